/**
 * What `npm run bench` measures: the same operation text against the gateway with redaction
 * on, with it off, and against the peer gateway (Hive). Only the variables differ between the
 * stacks: where an operation takes an id, the redacting gateway wants the opaque id the caller's
 * audience is shown, and every other stack the raw id (StackKind says which).
 *
 * Every field asked for here is one the principal may see, so both stacks answer without
 * errors and with the same data (ids aside): the difference measured is the cost of
 * redaction, not of denying something.
 */
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';

/** Which ids a stack takes: `on` opaque ones (redaction on), `off` raw ones (redaction off, and the peer). */
export type StackKind = 'on' | 'off';

/** Mints the id `principal` must send for `rawId` of `typeName` to the given stack. */
export type IdFor = (stack: StackKind, principal: Principal, typeName: string, rawId: string) => string;

export interface Scenario {
  /** Short key used in the table and on the command line. */
  readonly key: string;
  readonly title: string;
  readonly principal: Principal;
  readonly query: string;
  variables(stack: StackKind, idFor: IdFor): Record<string, unknown> | undefined;
  /**
   * A one-line summary of what a response holds (e.g. "12 clients, 140 notes"); throws when
   * the data is too thin to be worth measuring (an empty caseload measures nothing).
   */
  summarise(data: Record<string, unknown>): string;
}

const supportWorker: Principal = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam };
const teamManager: Principal = { role: 'team_manager', sub: PERSONAS.teamManagerNorth, team: PERSONAS.teams.north };
const hrOfficer: Principal = { role: 'hr', sub: PERSONAS.hrOfficer };
const reportingTool: Principal = { role: 'reporting', sub: PERSONAS.reportingAccount };

/** The quarter the bench runs in (`2026-Q3`): the seeded caseload is around now. */
function currentQuarter(now = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

function list(data: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const value = data[field];
  if (!Array.isArray(value) || value.length === 0) throw new Error(`expected a non-empty list at ${field}`);
  return value as Record<string, unknown>[];
}

function total(items: readonly Record<string, unknown>[], field: string): number {
  return items.reduce((sum, item) => sum + (Array.isArray(item[field]) ? (item[field] as unknown[]).length : 0), 0);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'a',
    title: 'myCaseload (support worker)',
    principal: supportWorker,
    query: `query BenchMyCaseload {
  myCaseload {
    id name dateOfBirth status referredOn
    restriction { reason contact { name } }
    keyworkers { id name workPhone team { name } }
    caseNotes { id occurredAt venue recordedAt text author { name } }
    consents { id recipientOrganisation purpose dataCategories validUntil active }
  }
}`,
    variables: () => undefined,
    summarise(data) {
      const clients = list(data, 'myCaseload');
      return `${clients.length} clients, ${total(clients, 'caseNotes')} notes, ${total(clients, 'consents')} consents`;
    },
  },
  {
    key: 'b',
    title: 'teamCaseload (team manager)',
    principal: teamManager,
    query: `query BenchTeamCaseload($teamId: ID!) {
  teamCaseload(teamId: $teamId) {
    id name dateOfBirth status referredOn
    restriction { reason contact { name } }
    keyworkers { id name }
    consents { recipientOrganisation active }
  }
}`,
    variables: (stack, idFor) => ({ teamId: idFor(stack, teamManager, 'Team', PERSONAS.teams.north) }),
    summarise(data) {
      const clients = list(data, 'teamCaseload');
      return `${clients.length} clients, ${total(clients, 'keyworkers')} keyworkers, ${total(clients, 'consents')} consents`;
    },
  },
  {
    key: 'c',
    title: 'employees(limit: 100) (HR)',
    principal: hrOfficer,
    query: `query BenchEmployees {
  employees(limit: 100) {
    id payrollNumber name startDate
    post { title grade }
    team { id name service }
    absences { kind startDate endDate }
  }
}`,
    variables: () => undefined,
    summarise(data) {
      const employees = list(data, 'employees');
      return `${employees.length} employees, ${total(employees, 'absences')} absences`;
    },
  },
  {
    key: 'd',
    title: 'client(id:) (support worker)',
    principal: supportWorker,
    query: `query BenchClient($id: ID!) {
  client(id: $id) { id name dateOfBirth status team { name } }
}`,
    variables: (stack, idFor) => ({ id: idFor(stack, supportWorker, 'Client', PERSONAS.sam.clientId) }),
    summarise(data) {
      const client = data.client as Record<string, unknown> | null | undefined;
      if (!client || typeof client.name !== 'string') throw new Error('expected a client with a name');
      return '1 client';
    },
  },
  {
    // One aggregation over every client, then disclosure control: what a reporting tool costs.
    // The stack without redaction answers it too: the subgraph checks the role itself.
    key: 'e',
    // SERVICE × GENDER: few groups. Age bands group by date of birth, which FerretDB 1.x's $group
    // (a linear search of the groups per document) takes minutes over at the bench size.
    title: 'caseloadReport SERVICE × GENDER (reporting)',
    principal: reportingTool,
    query: `query BenchCaseloadReport($period: String!) {
  caseloadReport(period: $period, rows: SERVICE, columns: GENDER) {
    period columns
    rows { label cells { value suppressed } total { value suppressed } }
    columnTotals { value suppressed }
    grandTotal { value suppressed }
  }
}`,
    variables: () => ({ period: currentQuarter() }),
    summarise(data) {
      const report = data.caseloadReport as { rows?: unknown[]; grandTotal?: { value?: number | null } } | null | undefined;
      const rows = report?.rows?.length ?? 0;
      const clients = report?.grandTotal?.value;
      if (rows === 0 || typeof clients !== 'number') throw new Error('expected a caseload report with rows and a grand total');
      return `${rows} services, ${clients} client-services`;
    },
  },
];
