import { runOperation, type ApiErrorItem } from '../api.js';
import { agencyReference, devToken, type LensPerson } from '../dev.js';
import { humanise } from '../details.js';
import { when } from '../dom.js';
import { LensClient, LensEmployee, LensEmployees, LensMyCaseload, LensVisits } from './lens-queries.js';

/**
 * Builds each column of the role lens: what one role gets for one person, asked through the
 * public API under a demo token for that role. Each role finds the person the way it could in
 * practice: the keyworker on their caseload, another worker by the id care staff share, HR on
 * the staff list, the duty officer among visits in progress, an agency by the reference the
 * charity gave it. Nothing here combines two roles' answers.
 */

interface LensRow {
  readonly label: string;
  readonly value: string;
  readonly withheld: boolean;
}

export interface LensColumn {
  readonly key: string;
  readonly title: string;
  readonly who: string;
  /** The id this role holds for the person, if it can hold one. */
  readonly id: string | null;
  readonly rows: readonly LensRow[];
  readonly note?: string;
}

type Value = unknown;

const CLIENT_FIELDS: readonly [string, string, (value: Value) => string][] = [
  ['name', 'Name', String],
  ['dateOfBirth', 'Date of birth', String],
  ['gender', 'Gender', (v) => humanise(String(v))],
  ['phone', 'Phone', String],
  [
    'address',
    'Address',
    (v) =>
      Object.values(v as Record<string, unknown>)
        .filter(Boolean)
        .join(', '),
  ],
  ['services', 'Services', (v) => (v as string[]).join(', ') || 'none'],
  ['status', 'Status', (v) => humanise(String(v))],
  ['team', 'Team', (v) => String((v as { name?: string | null }).name ?? 'withheld')],
  ['keyworkers', 'Keyworkers', (v) => (v as { name?: string | null }[]).map((k) => k.name ?? 'withheld').join(', ') || 'none'],
  [
    'restriction',
    'Restriction',
    (v) => {
      const r = v as { reason?: string | null; contact?: { name?: string | null; workPhone?: string | null } | null };
      return `Restricted — contact ${r.contact?.name ?? 'the team manager'}${r.contact?.workPhone ? `, ${r.contact.workPhone}` : ''}${r.reason ? ` (reason: ${humanise(r.reason)})` : ''}`;
    },
  ],
  ['caseNotes', 'Case notes', (v) => `${(v as unknown[]).length} notes`],
  [
    'consents',
    'Consents',
    (v) =>
      (v as { recipientOrganisation?: string | null; active?: boolean | null }[])
        .map((c) => `${c.recipientOrganisation ?? 'withheld'}${c.active ? ' (active)' : ''}`)
        .join(', ') || 'none',
  ],
];

const EMPLOYEE_FIELDS: readonly [string, string, (value: Value) => string][] = [
  ['name', 'Name', String],
  ['dateOfBirth', 'Date of birth', String],
  ['payrollNumber', 'Payroll number', String],
  ['post', 'Post', (v) => String((v as { title?: string | null }).title ?? 'withheld')],
  ['team', 'Team', (v) => String((v as { name?: string | null }).name ?? 'withheld')],
  ['startDate', 'Started', String],
  ['lineManager', 'Line manager', (v) => String((v as { name?: string | null }).name ?? 'withheld')],
  [
    'contract',
    'Contract',
    (v) => {
      const c = v as { type?: string | null; hoursPerWeek?: number | null };
      return `${humanise(c.type ?? '')}${c.hoursPerWeek ? `, ${c.hoursPerWeek} h a week` : ''}`;
    },
  ],
  ['dbsCheck', 'DBS check', (v) => humanise(String((v as { status?: string | null }).status ?? 'withheld'))],
];

function rowsOf(record: Record<string, unknown> | null | undefined, root: string, fields: typeof CLIENT_FIELDS, errors: readonly ApiErrorItem[]): LensRow[] {
  return fields.map(([name, label, format]) => {
    const value = record?.[name];
    const denied = errors.some((e) => e.path?.[0] === root && e.path[1] === name);
    if (value === null || value === undefined) return { label, value: denied ? 'withheld' : 'none', withheld: denied };
    return { label, value: format(value), withheld: false };
  });
}

const errorText = (errors: readonly ApiErrorItem[]): string => {
  const first = errors[0];
  return first ? `${first.message}${first.extensions?.code ? ` (${first.extensions.code})` : ''}` : 'nothing came back';
};

async function clientColumn(key: string, title: string, who: string, token: string, id: string | null, note?: string): Promise<LensColumn> {
  if (id === null) return { key, title, who, id: null, rows: [], note: note ?? 'This role cannot find the person.' };
  const { data, errors } = await runOperation(LensClient, { id }, token);
  const client = data?.client as Record<string, unknown> | null | undefined;
  if (!client) return { key, title, who, id: null, rows: [], note: `Nothing: ${errorText(errors)}.` };
  return { key, title, who, id: String(client.id), rows: rowsOf(client, 'client', CLIENT_FIELDS, errors), ...(note ? { note } : {}) };
}

async function findEmployee(token: string, name: string): Promise<string | null> {
  // Bounded: the demo staff list is a few pages; the benchmark's 2,000 employees are 20.
  for (let page = 0; page < 30; page += 1) {
    const { data } = await runOperation(LensEmployees, { offset: page * 100 }, token);
    const employees = data?.employees ?? [];
    const found = employees.find((e) => e.name === name);
    if (found) return found.id;
    if (employees.length < 100) return null;
  }
  return null;
}

export async function lensColumns(person: LensPerson): Promise<LensColumn[]> {
  const tokens = Object.fromEntries(
    await Promise.all(['hr', 'keyworker', 'other-worker', 'duty', 'reporting', 'nhs', 'council'].map(async (k) => [k, await devToken(k)] as const)),
  );
  const token = (key: string): string => tokens[key] ?? '';

  const caseload = await runOperation(LensMyCaseload, undefined, token('keyworker'));
  const careId = caseload.data?.myCaseload?.find((c) => c.name === person.name)?.id ?? null;

  const hr = async (): Promise<LensColumn> => {
    const employeeId = await findEmployee(token('hr'), person.name);
    if (employeeId === null)
      return { key: 'hr', title: 'HR', who: 'HR officer', id: null, rows: [], note: 'Not on the staff list: HR sees nothing about this person.' };
    const { data, errors } = await runOperation(LensEmployee, { id: employeeId }, token('hr'));
    const employee = data?.employee as Record<string, unknown> | null | undefined;
    return {
      key: 'hr',
      title: 'HR',
      who: 'HR officer',
      id: employeeId,
      rows: rowsOf(employee, 'employee', EMPLOYEE_FIELDS, errors),
      note: 'Employment data only.',
    };
  };

  const duty = async (): Promise<LensColumn> => {
    const { data, errors } = await runOperation(LensVisits, undefined, token('duty'));
    const visit = data?.homeVisitsInProgress?.find((v) => v.client?.name === person.name);
    const base = { key: 'duty', title: 'Duty officer', who: 'Duty officer', id: null };
    if (!data) return { ...base, rows: [], note: `Nothing: ${errorText(errors)}.` };
    if (!visit)
      return { ...base, rows: [], note: 'Nothing: not on a home visit in progress. An emergency lookup would answer only yes or no, and whom to contact.' };
    return {
      ...base,
      rows: [
        { label: 'Name', value: visit.client?.name ?? 'withheld', withheld: !visit.client?.name },
        {
          label: 'Address',
          value: [visit.address?.line1, visit.address?.town, visit.address?.postcode].filter(Boolean).join(', ') || 'withheld',
          withheld: !visit.address,
        },
        { label: 'Visit started', value: when(visit.startedAt), withheld: false },
      ],
      note: 'Only while a home visit is in progress (lone-working safety).',
    };
  };

  const reporting = async (): Promise<LensColumn> => {
    const base = { key: 'reporting', title: 'Reporting', who: 'Reporting tool', id: null, rows: [] };
    if (careId === null) return { ...base, note: 'Aggregates only: counts by service, team, quarter, age band and outcome, small cells suppressed.' };
    const { errors } = await runOperation(LensClient, { id: careId }, token('reporting'));
    return { ...base, note: `Aggregates only. Asking for this person’s record with a care id: ${errorText(errors)}.` };
  };

  const agency = async (key: 'nhs' | 'council', title: string, who: string, note: string): Promise<LensColumn> =>
    clientColumn(key, title, who, token(key), await agencyReference(key, person.key), note);

  return Promise.all([
    hr(),
    clientColumn('keyworker', 'Keyworker', 'Their keyworker', token('keyworker'), careId, careId === null ? 'Not on this keyworker’s caseload.' : undefined),
    clientColumn(
      'other-worker',
      'Another support worker',
      'A support worker who is not theirs',
      token('other-worker'),
      careId,
      'Uses the id care staff share.',
    ),
    duty(),
    reporting(),
    agency(
      'nhs',
      'Agency: NHS trust',
      'Northshire NHS Trust, care coordination',
      'Sees only what an active consent for its organisation and purpose, or a break-glass disclosure to it, releases.',
    ),
    agency('council', 'Agency without consent', 'Northshire Council, care coordination', 'No consent or disclosure names it.'),
  ]);
}
