import { fileURLToPath } from 'node:url';
import { CONDITIONS, DATA_CATEGORIES, RELEASED, type ConditionName, type DataCategory } from './conditions.js';
import {
  LEGAL_BASIS_NOTES,
  FIELDS,
  MUTATIONS,
  OUTSIDE_READERS,
  QUERIES,
  RELEASED_BY_BASIS,
  ROUTES,
  STAFF_ROLES,
  TYPE_DESCRIPTIONS,
  type Access,
  type Grant,
  type LegalBasis,
  type RootRule,
  type RouteRule,
  type SubjectLocator,
} from './policy.js';
import { conditionsOf } from './policy-rule.js';
import { ROLES, type Role } from './roles.js';

/**
 * The policy document a data protection officer reads and signs off (docs/POLICY.md), rendered
 * from shield/policy.ts and nothing else, so what is signed off is what the gateway and the
 * subgraphs enforce. The threat is drift: a hand-written policy that says one thing while the
 * code does another. `npm run policy:doc` writes it; a test and CI fail when the committed copy
 * differs from what the policy renders. Output is deterministic (no dates, fixed order).
 */

export const POLICY_DOCUMENT_PATH = fileURLToPath(new URL('../docs/POLICY.md', import.meta.url));

/** Everything the document is rendered from; the real policy is the default, a test passes a changed copy. */
export interface PolicySource {
  readonly roles: readonly Role[];
  readonly staffRoles: readonly Role[];
  readonly conditions: Readonly<Record<ConditionName, { readonly means: string }>>;
  readonly fields: Readonly<Record<string, Readonly<Record<string, Access>>>>;
  readonly typeDescriptions: Readonly<Record<string, string>>;
  readonly queries: Readonly<Record<string, RootRule>>;
  readonly mutations: Readonly<Record<string, RootRule>>;
  readonly routes: Readonly<Record<string, RouteRule>>;
  readonly releasedByBasis: Readonly<Record<LegalBasis, readonly DataCategory[]>>;
  readonly outsideReaders: readonly Role[];
}

export const THE_POLICY: PolicySource = {
  roles: ROLES,
  staffRoles: STAFF_ROLES,
  conditions: CONDITIONS,
  fields: FIELDS,
  typeDescriptions: TYPE_DESCRIPTIONS,
  queries: QUERIES,
  mutations: MUTATIONS,
  routes: ROUTES,
  releasedByBasis: RELEASED_BY_BASIS,
  outsideReaders: OUTSIDE_READERS,
};

interface RoleDescription {
  /** The column header in the matrices. */
  readonly short: string;
  readonly title: string;
  /** Who holds the role (DESIGN.md's roles table); what they see is in the matrices. */
  readonly who: string;
}

/** Keyed by every role, so a new role does not compile until it is described here. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, RoleDescription>> = {
  support_worker: { short: 'SW', title: 'Support worker', who: 'A keyworker or care worker, working with the clients on their own caseload.' },
  team_manager: {
    short: 'TM',
    title: 'Team manager',
    who: 'The line manager of a team: responsible for its clients, assigns keyworkers, and is the contact named on restricted records.',
  },
  duty_officer: {
    short: 'DO',
    title: 'Duty officer',
    who: 'Takes emergency calls (is this person known to us?) and looks after staff working alone on home visits.',
  },
  hr: { short: 'HR', title: 'HR staff', who: 'Keeps employment records: employees, posts, absences, training and DBS checks.' },
  safeguarding_officer: {
    short: 'SO',
    title: 'Safeguarding officer',
    who: 'The safeguarding lead: may open an exceptional ("break-glass") disclosure about one client, with a reason and a legal basis, for a limited time.',
  },
  data_protection_officer: {
    short: 'DPO',
    title: 'Data protection officer',
    who: 'Keeps the audit trail and the register of subject access requests, and grants trustees time-limited access for a complaint.',
  },
  trustee: {
    short: 'Tr',
    title: 'Trustee',
    who: 'A board member: sees nothing unless a data protection officer has granted them one client’s case for a complaint, until the grant ends.',
  },
  reporting: { short: 'Rep', title: 'Reporting tool', who: 'The reporting tools’ service account: anonymised counts only, with small counts suppressed.' },
  service_user: { short: 'SU', title: 'Service user', who: 'The person the client record is about, acting for themself.' },
  external_agency: {
    short: 'EA',
    title: 'Outside organisation',
    who: 'An outside organisation (NHS, social services, police), acting for one organisation and one purpose.',
  },
};

/** The short label a matrix cell shows for each condition; keyed by every condition, like the roles. */
export const CONDITION_LABELS: Readonly<Record<ConditionName, string>> = {
  onCaseload: 'own caseload',
  inTeam: 'own team',
  themself: 'themself',
  ownTeam: 'own team asked for',
  duringVisit: 'during visit',
  trusteeGranted: 'DPO grant',
  releasedIdentity: 'released: IDENTITY',
  releasedContact: 'released: CONTACT',
  releasedSupport: 'released: SUPPORT',
  releasedCaseNotes: 'released: CASE_NOTES',
  releasedHomeVisits: 'released: HOME_VISITS',
  releasedAddress: 'released: address',
};

/** Conditions that release a category's data only with a proviso (the address: never when protected). */
const RELEASED_WITH_PROVISO: Readonly<Partial<Record<ConditionName, { readonly category: DataCategory; readonly proviso: string }>>> = {
  releasedAddress: { category: 'CONTACT', proviso: 'unless the client’s restriction protects their address (refuge, witness protection)' },
};

/** Decisions about the legal bases, as the policy source states them. */
export const LEGAL_BASIS_DECISIONS: Readonly<Partial<Record<LegalBasis, string>>> = LEGAL_BASIS_NOTES;

const NEVER = '—';
const ALWAYS = '✓';
/** Longest field list in one matrix row, so tables stay narrow enough for a terminal. */
const FIELD_CELL_WIDTH = 40;

function roleName(role: Role): string {
  const { title, short } = ROLE_DESCRIPTIONS[role];
  return `${title} (${short})`;
}

/** "a, b and c". */
function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function grantCell(grant: Grant | undefined): string {
  if (grant === undefined) return NEVER;
  if (grant === 'always') return ALWAYS;
  return conditionsOf(grant)
    .map((name) => CONDITION_LABELS[name])
    .join(' or ');
}

/** "HomeVisit" → "home visit". */
function words(typeName: string): string {
  return typeName.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

function subjectText(subject: SubjectLocator | undefined): string {
  if (subject === undefined) return '';
  if (subject.kind === 'team') return 'the team asked for';
  return subject.through ? `the client of the ${words(subject.through.type)}` : 'the client';
}

function cellText(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table padded so the columns line up in a terminal as well as on GitHub. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(3, [...title].length, ...rows.map((row) => [...cellText(row[column] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    `| ${widths
      .map((width, column) => {
        const text = cellText(cells[column] ?? '');
        return text + ' '.repeat(width - [...text].length);
      })
      .join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line), ''];
}

function code(name: string): string {
  return `\`${name}\``;
}

/** A list of field names as lines no wider than FIELD_CELL_WIDTH, each but the last ending in a comma. */
function wrapNames(names: readonly string[]): string[] {
  const lines: string[] = [];
  let current = '';
  for (const name of names.map(code)) {
    const next = current === '' ? name : `${current}, ${name}`;
    if (current !== '' && [...next].length + 1 > FIELD_CELL_WIDTH) {
      lines.push(`${current},`);
      current = name;
    } else {
      current = next;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

function sameAccess(a: Access, b: Access, roles: readonly Role[]): boolean {
  return roles.every((role) => grantCell(a[role]) === grantCell(b[role]));
}

function usedConditions(policy: PolicySource): Set<ConditionName> {
  const used = new Set<ConditionName>();
  const accesses = [
    ...Object.values(policy.fields).flatMap((byField) => Object.values(byField)),
    ...Object.values(policy.queries).map((rule) => rule.access),
    ...Object.values(policy.mutations).map((rule) => rule.access),
  ];
  for (const access of accesses) {
    for (const grant of Object.values(access)) if (grant !== undefined) for (const name of conditionsOf(grant)) used.add(name);
  }
  return used;
}

// ---------------------------------------------------------------------------------------------
// Sections.
// ---------------------------------------------------------------------------------------------

function header(): string[] {
  return [
    '# The confidentiality policy: who sees and does what',
    '',
    '> **Generated** from `shield/policy.ts` by `npm run policy:doc`. **Do not edit this file by hand**: change the policy',
    '> and run the command again. The gateway and the database services enforce the policy from that same file, and',
    '> the project’s checks fail while this document is out of date.',
    '',
    '**Deny by default.** Anything not listed here is denied to everyone. A role with `—` in a table gets nothing there;',
    'a role, field, query or change this document does not name is refused to every role.',
    '',
    'Contents: [How to read the tables](#how-to-read-the-tables) · [Roles](#roles) · [Conditions](#conditions) ·',
    '[Queries](#queries-what-each-role-may-ask) · [Changes](#changes-who-may-make-each-change-about-whom) ·',
    '[Records, field by field](#records-field-by-field) · [Data categories](#data-categories) ·',
    '[Exceptional disclosure](#exceptional-disclosure-legal-bases) · [Names in case notes](#names-in-case-notes)',
    '',
  ];
}

function howToRead(): string[] {
  return [
    '## How to read the tables',
    '',
    'Rows are fields, queries or changes; columns are the roles, abbreviated as in [Roles](#roles). A cell says when',
    'that role is allowed:',
    '',
    `- \`${ALWAYS}\` always: the role alone decides;`,
    `- \`${NEVER}\` never;`,
    '- a condition, such as `own caseload`: only when it holds for the client concerned ([Conditions](#conditions));',
    '  `a or b` means either is enough.',
    '',
    'Each field is decided on its own: someone allowed a client’s name but not their address gets the name and an',
    'empty address, never a hint of why. A record’s fields apply once the role has reached the record, which is decided',
    'where it is reached from: a case note through the client’s `caseNotes`, a consent through the client’s `consents`',
    'or a query. So `✓` on a case note’s `text` means “whenever this role may see the client’s case notes at all”.',
    '',
  ];
}

function rolesSection(policy: PolicySource): string[] {
  const staff = policy.staffRoles.map((role) => ROLE_DESCRIPTIONS[role].short).join(', ');
  return [
    '## Roles',
    '',
    'Every request acts in exactly one role; a person with two jobs uses each role separately. The tables name the',
    'roles by the short form in bold.',
    '',
    ...policy.roles.map((role) => {
      const { short, title, who } = ROLE_DESCRIPTIONS[role];
      return `- **${short}**: ${title} (${code(role)}). ${who}`;
    }),
    '',
    `Members of staff (${staff}) see colleagues only through the minimal staff view: name, team and work phone.`,
    '',
  ];
}

function conditionsSection(policy: PolicySource): string[] {
  const names = Object.keys(policy.conditions) as ConditionName[];
  const used = usedConditions(policy);
  const unused = names.filter((name) => !used.has(name));
  return [
    '## Conditions',
    '',
    'A condition is checked on the client (or team) concerned each time, against the records as they are at that moment:',
    'a consent withdrawn, a visit ended or a grant expired stops counting from the next request.',
    '',
    ...names.map((name) => `- **${CONDITION_LABELS[name]}** (${code(name)}): ${policy.conditions[name].means}.`),
    '',
    ...(unused.length > 0 ? [`Defined but not used anywhere in this policy: ${unused.map((name) => CONDITION_LABELS[name]).join(', ')}.`, ''] : []),
  ];
}

function decisions(rules: Readonly<Record<string, RootRule | RouteRule>>): string[] {
  const noted = Object.entries(rules).filter(([, rule]) => rule.note !== undefined);
  if (noted.length === 0) return [];
  return ['**Decisions**', '', ...noted.map(([name, rule]) => `- ${code(name)}: ${rule.note ?? ''}`), ''];
}

function rootMatrix(policy: PolicySource, rules: Readonly<Record<string, RootRule | RouteRule>>, firstColumn: string): string[] {
  const withSubject = Object.values(rules).some((rule) => 'subject' in rule && rule.subject !== undefined);
  return table(
    [firstColumn, ...policy.roles.map((role) => ROLE_DESCRIPTIONS[role].short), ...(withSubject ? ['checked on'] : [])],
    Object.entries(rules).map(([name, rule]) => [
      code(name),
      ...policy.roles.map((role) => grantCell(rule.access[role])),
      ...(withSubject ? [subjectText('subject' in rule ? rule.subject : undefined)] : []),
    ]),
  );
}

function queriesSection(policy: PolicySource): string[] {
  return [
    '## Queries: what each role may ask',
    '',
    'A query only opens the door: every field of what it returns is then decided by the [record tables](#records-field-by-field).',
    'Where a condition applies, it is checked on the client or team the query names (“checked on”) before the query is',
    'passed on, and a query refused there returns nothing.',
    '',
    ...rootMatrix(policy, policy.queries, 'query'),
    ...decisions(policy.queries),
  ];
}

function changesSection(policy: PolicySource): string[] {
  return [
    '## Changes: who may make each change, about whom',
    '',
    'A change about a person is accepted only from the roles below. Where a condition applies, it is checked on the',
    'person the change is about (“checked on”) **before** the change is passed to the database that stores it; a change',
    'refused there is not made.',
    '',
    ...rootMatrix(policy, policy.mutations, 'change'),
    ...decisions(policy.mutations),
  ];
}

function routesSection(policy: PolicySource): string[] {
  return [
    '## Routes beside the API',
    '',
    'The reports as CSV, the subject access export, the audit trail and the privacy alerts are also served as plain',
    'web addresses. Who may call each is below; a role not named is refused before the route runs, and the refusal',
    'is on the audit trail. What a route returns is read through the same rules as the API.',
    '',
    ...rootMatrix(policy, policy.routes, 'route'),
    ...decisions(policy.routes),
  ];
}

function typeSection(policy: PolicySource, typeName: string, byField: Readonly<Record<string, Access>>): string[] {
  const accesses = Object.values(byField);
  const columns = policy.roles.filter((role) => accesses.some((access) => access[role] !== undefined));
  const without = policy.roles.filter((role) => !columns.includes(role));
  const groups: { access: Access; fields: string[] }[] = [];
  for (const [field, access] of Object.entries(byField)) {
    const group = groups.find((each) => sameAccess(each.access, access, policy.roles));
    if (group) group.fields.push(field);
    else groups.push({ access, fields: [field] });
  }
  const hidden = Object.entries(byField)
    .filter(([, access]) => policy.roles.every((role) => access[role] === undefined))
    .map(([field]) => code(field));
  const description = policy.typeDescriptions[typeName];
  const lines = [`### ${typeName}`, ''];
  if (description !== undefined) lines.push(description, '');
  if (columns.length === 0) {
    lines.push(`No role sees any of its fields: ${Object.keys(byField).map(code).join(', ')}.`, '');
    return lines;
  }
  lines.push(
    ...table(
      ['field', ...columns.map((role) => ROLE_DESCRIPTIONS[role].short)],
      groups.flatMap(({ access, fields }) => wrapNames(fields).map((names) => [names, ...columns.map((role) => grantCell(access[role]))])),
    ),
  );
  if (hidden.length > 0) lines.push(`Never returned to anyone: ${hidden.join(', ')}.`, '');
  if (without.length > columns.length) lines.push('No other role sees any field of this record.', '');
  else if (without.length > 0) lines.push(`${listing(without.map(roleName))}: no field of this record.`, '');
  return lines;
}

function recordsSection(policy: PolicySource): string[] {
  return [
    '## Records, field by field',
    '',
    'One table per kind of record; fields with the same rule share a row. A role with no field of a record is left out',
    'of its table.',
    '',
    ...Object.entries(policy.fields).flatMap(([typeName, byField]) => typeSection(policy, typeName, byField)),
  ];
}

/** The fields whose grants release a category, by type: derived from where the release conditions are used. */
function fieldsReleasedAs(policy: PolicySource, condition: ConditionName): string {
  return Object.entries(policy.fields)
    .map(([typeName, byField]) => {
      const fields = Object.entries(byField)
        .filter(([, access]) => Object.values(access).some((grant) => grant !== undefined && conditionsOf(grant).includes(condition)))
        .map(([field]) => code(field));
      return fields.length > 0 ? `${typeName} ${fields.join(', ')}` : '';
    })
    .filter((text) => text !== '')
    .join('; ');
}

function categoriesSection(policy: PolicySource): string[] {
  return [
    '## Data categories',
    '',
    'A consent, and an exceptional disclosure, release data to an outside organisation by category. What each category',
    'covers:',
    '',
    ...table(
      ['category', 'covers'],
      DATA_CATEGORIES.map((category) => {
        const covered = [fieldsReleasedAs(policy, RELEASED[category])];
        for (const [condition, extra] of Object.entries(RELEASED_WITH_PROVISO) as [ConditionName, { category: DataCategory; proviso: string }][]) {
          if (extra.category !== category) continue;
          const fields = fieldsReleasedAs(policy, condition);
          if (fields !== '') covered.push(`${extra.proviso}: ${fields}`);
        }
        return [code(category), covered.filter((text) => text !== '').join('; and, ') || 'nothing in this policy'];
      }),
    ),
  ];
}

function legalBasesSection(policy: PolicySource): string[] {
  const bases = Object.keys(policy.releasedByBasis) as LegalBasis[];
  const noted = bases.filter((basis) => LEGAL_BASIS_DECISIONS[basis] !== undefined);
  return [
    '## Exceptional disclosure: legal bases',
    '',
    'An exceptional (“break-glass”) disclosure names one client, one outside organisation, a reason and a legal basis. Until it',
    'expires or is closed, that organisation sees the categories its basis releases, and nothing else:',
    '',
    ...table(
      ['legal basis', 'releases', 'does not release'],
      bases.map((basis) => {
        const released = policy.releasedByBasis[basis];
        return [
          code(basis),
          released.map(code).join(', '),
          DATA_CATEGORIES.filter((category) => !released.includes(category))
            .map(code)
            .join(', ') || NEVER,
        ];
      }),
    ),
    ...(noted.length > 0 ? ['**Decisions**', '', ...noted.map((basis) => `- ${code(basis)}: ${LEGAL_BASIS_DECISIONS[basis] ?? ''}`), ''] : []),
  ];
}

function outsideReadersSection(policy: PolicySource): string[] {
  return [
    '## Names in case notes',
    '',
    `When ${listing(policy.outsideReaders.map(roleName))} read case notes, every other person named in them whom the`,
    'organisation knows (client or member of staff alike) is replaced by the same placeholder: a note tells them about its',
    'client, not about the other people it names.',
    '',
  ];
}

export function renderPolicyDocument(policy: PolicySource = THE_POLICY): string {
  return [
    ...header(),
    ...howToRead(),
    ...rolesSection(policy),
    ...conditionsSection(policy),
    ...queriesSection(policy),
    ...changesSection(policy),
    ...routesSection(policy),
    ...recordsSection(policy),
    ...categoriesSection(policy),
    ...legalBasesSection(policy),
    ...outsideReadersSection(policy),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}
