import type { ConditionName, DataCategory } from './conditions.js';
import { RELEASED } from './conditions.js';
import { ROLES, STAFF_ROLES, type Role } from './roles.js';

/**
 * THE POLICY: who may read each field of each type, ask each query and make each change, and
 * under which named condition (shield/conditions.ts). This file is the single source: the
 * gateway's field rules and pre-plan decisions (shield/rules.ts), the checks made before a
 * change or a root field is forwarded (gateway/redaction/root-field-checks.ts), every
 * subgraph's guard on its root fields and entities (subgraphs/shared/policy-guard.ts), the
 * legal bases of exceptional disclosure and the policy document a data protection officer
 * signs off (docs/POLICY.md, `npm run policy:doc`) are all derived from it.
 *
 * Deny by default: a role not named for a field gets nothing; a field or root field missing
 * here is denied to everyone, and the start-up check and the policy tests fail until it is added.
 *
 * A grant is `always` (the role alone decides), one condition, or a list of conditions any one
 * of which is enough.
 */

export type Grant = 'always' | ConditionName | readonly ConditionName[];
export type Access = Readonly<Partial<Record<Role, Grant>>>;

/** Where a root field's subject comes from: an argument naming a client (or team), or a record about one. */
export interface SubjectLocator {
  readonly argument: string;
  readonly kind: 'client' | 'team';
  /** The argument names a record, not the client: `Type.field` of that record leads to its client. */
  readonly through?: { readonly type: string; readonly field: string };
}

export interface RootRule {
  readonly access: Access;
  /** The entity type each ID argument's opaque token must name; any other ID argument is refused. */
  readonly ids?: Readonly<Record<string, string>>;
  /** Whom the field is about: conditions on this rule are checked on this subject before anything is forwarded. */
  readonly subject?: SubjectLocator;
  /** Why, where the choice is not obvious (printed in the policy document). */
  readonly note?: string;
}

const STAFF = STAFF_ROLES;

function everyone(roles: readonly Role[], grant: Grant = 'always'): Access {
  return Object.fromEntries(roles.map((role) => [role, grant]));
}

function fields<T>(value: T, names: readonly string[]): Record<string, T> {
  return Object.fromEntries(names.map((name) => [name, value]));
}

// ---------------------------------------------------------------------------------------------
// Named access sets: the shapes that recur (policy 001: need to know; 004: consent).
// ---------------------------------------------------------------------------------------------

/**
 * A client's full record in one data category: the keyworkers, the manager of the client's
 * team, the person themself, an outside organisation the category is released to, and a trustee
 * under a grant (except contact details, which a complaint review never needs).
 */
function fullRecord(category: DataCategory): Access {
  return {
    support_worker: 'onCaseload',
    team_manager: 'inTeam',
    service_user: 'themself',
    external_agency: RELEASED[category],
    ...(category === 'CONTACT' ? {} : { trustee: 'trusteeGranted' as const }),
  };
}

/** The restricted-notice view: any care staff member sees that a client exists and whom to contact. */
const CLIENT_IDENTITY: Access = {
  support_worker: 'always',
  team_manager: 'always',
  safeguarding_officer: 'always',
  data_protection_officer: 'always',
  service_user: 'themself',
  duty_officer: 'duringVisit',
  external_agency: 'releasedIdentity',
  trustee: 'trusteeGranted',
};

/** The sealed part of a restriction: only the designated circle (the keyworkers, the team's manager). */
const DESIGNATED_CIRCLE: Access = { support_worker: 'onCaseload', team_manager: ['onCaseload', 'inTeam'] };

const STAFF_VIEW: Access = everyone([...STAFF, 'service_user', 'external_agency', 'trustee']);
const HR_ONLY: Access = { hr: 'always' };
const REPORTS_ONLY: Access = { reporting: 'always' };
const DPO_ONLY: Access = { data_protection_officer: 'always' };
const BREAK_GLASS_RECORD: Access = { safeguarding_officer: 'always', data_protection_officer: 'always' };
const CONSENT_RECORD: Access = everyone(['support_worker', 'team_manager', 'safeguarding_officer', 'data_protection_officer', 'service_user']);
/** Records reached only through a client field that is itself checked (notes, visits): the check is on that field. */
const CASE_RECORD: Access = everyone(['support_worker', 'team_manager', 'service_user', 'external_agency', 'trustee']);
/** The export types carry no ids and are reached only through the person's own export or a DPO's logged request. */
const EXPORT: Access = { service_user: 'always', data_protection_officer: 'always' };

// ---------------------------------------------------------------------------------------------
// Fields of each type.
// ---------------------------------------------------------------------------------------------

export const TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Client: 'A service user’s record in the client database (policy 000–003).',
  Restriction: 'The marker on a restricted record (service-user employee, refuge resident, witness protection): its reason is sealed.',
  CaseNote:
    'A factual, append-only case note, reached only through a client’s case notes (whose rule decides who sees them), a page of them (checked on the client first) or a change that made it.',
  HomeVisit: 'A lone-working home visit, reached through a client’s home visits (whose rule decides), the duty officer’s visits in progress, or a change.',
  PostalAddress: 'The parts of an address (the field holding the address decides who sees it).',
  StaffMember: 'The minimal staff view (name, team, work phone): how staff appear on client data.',
  Team: 'A team and its manager.',
  Employee: 'An HR record: employment data only, never linked to a client record.',
  Consent:
    'A consent to share, from the consent store, reached through a client’s consents (whose rule decides), a subject’s consents or a page of them (checked on the client first), or a change.',
  Disclosure: 'A disclosure made under consent, reached through a client’s disclosures (whose rule decides).',
  ExceptionalDisclosure: 'A break-glass disclosure with a legal basis.',
  TrusteeGrant: 'A DPO’s time-limited grant of one record to a trustee for a complaint.',
  EmergencyLookupResult:
    'The yes/no answer of an emergency lookup and whom to contact; the record found is fetched for the audit trail and the DPO’s alerts only.',
  SubjectAccessRequest: 'The DPO’s register of subject access requests.',
  SubjectAccessExtension: 'An extension of a subject access request by up to two further months (UK GDPR Art. 12(3)), with its reason.',
  SubjectAccessRequestConnection: 'A page of the DPO’s register of subject access requests.',
  DecisionNotToShare:
    'A refused request for disclosure (Caldicott: a decision not to share is recorded too), reached through the DPO’s list or the change that made it.',
  DecisionNotToShareConnection: 'A page of the DPO’s list of decisions not to share.',
  ClientConnection: 'A page of a caseload (the caller’s own, or their team’s); each client then by the client rules.',
  CaseNoteConnection: 'A page of one client’s case notes, newest first; who may ask was checked on the client before it was read.',
  ConsentConnection: 'A page of one subject’s consents, newest first; who may ask was checked on the client before it was forwarded.',
  AuditSubjectName: 'The name of a client the audit trail names, for the DPO reading the trail: the name and nothing else.',
  ExportedDecisionNotToShare: 'Part of a subject access export: a refused request for the person’s data; the reason’s free text left out (it can name others).',
  Me: 'Who the caller is and what their role needs to start, from the token alone: one identity per token, nothing linking two.',
  SubjectAccessExport: 'Everything held about one person (right of access): no ids, no staff names; its subject is fetched for the audit trail only.',
  ExportedClientRecord: 'Part of a subject access export: no ids, no staff names.',
  ExportedCaseNote: 'Part of a subject access export: other people’s names replaced.',
  ExportedHomeVisit: 'Part of a subject access export.',
  ExportedConsent: 'Part of a subject access export.',
  ExportedDisclosure: 'Part of a subject access export.',
  ExportedExceptionalDisclosure: 'Part of a subject access export: the reason’s free text left out (it can name others).',
  ReportTable: 'An anonymised aggregate, disclosure-controlled before it leaves the subgraph.',
  ReportRow: 'One row of a report table.',
  ReportCell: 'One count of a report table, or suppressed.',
  Post: 'Part of an HR record: a post.',
  Contract: 'Part of an HR record: the contract.',
  Absence: 'Part of an HR record: an absence.',
  TrainingRecord: 'Part of an HR record: a training course completed.',
  DbsCheck: 'Part of an HR record: the DBS check.',
};

export const FIELDS: Readonly<Record<string, Readonly<Record<string, Access>>>> = {
  Client: {
    // An opaque id tells the caller nothing they did not already hold: whoever may reach a client gets it.
    id: everyone([
      'support_worker',
      'team_manager',
      'duty_officer',
      'safeguarding_officer',
      'data_protection_officer',
      'service_user',
      'external_agency',
      'trustee',
    ]),
    name: CLIENT_IDENTITY,
    ...fields(fullRecord('IDENTITY'), ['dateOfBirth', 'gender']),
    address: { support_worker: 'onCaseload', team_manager: 'inTeam', service_user: 'themself', external_agency: 'releasedAddress' },
    phone: fullRecord('CONTACT'),
    ...fields(fullRecord('SUPPORT'), ['services', 'status', 'referredOn', 'closedOn', 'team', 'keyworkers']),
    restriction: { support_worker: 'always', team_manager: 'always', service_user: 'themself' },
    caseNotes: fullRecord('CASE_NOTES'),
    homeVisits: fullRecord('HOME_VISITS'),
    ...fields<Access>(
      { support_worker: 'onCaseload', team_manager: 'inTeam', service_user: 'themself', safeguarding_officer: 'always', data_protection_officer: 'always' },
      ['consents', 'disclosures'],
    ),
    exceptionalDisclosures: BREAK_GLASS_RECORD,
    trusteeGrants: DPO_ONLY,
  },
  Restriction: {
    reason: DESIGNATED_CIRCLE,
    sealedNote: DESIGNATED_CIRCLE,
    contact: { support_worker: 'always', team_manager: 'always', service_user: 'themself' },
  },
  CaseNote: fields(CASE_RECORD, ['id', 'client', 'author', 'occurredAt', 'venue', 'recordedAt', 'text', 'corrects']),
  HomeVisit: {
    ...fields(everyone(['support_worker', 'team_manager', 'service_user', 'external_agency', 'duty_officer', 'trustee']), [
      'id',
      'client',
      'worker',
      'startedAt',
      'endedAt',
      'inProgress',
    ]),
    // A visit's address is the client's address: the same rule, plus the duty officer while the visit is in progress.
    address: { support_worker: 'always', team_manager: 'always', service_user: 'always', duty_officer: 'duringVisit', external_agency: 'releasedAddress' },
  },
  PostalAddress: fields(everyone([...STAFF, 'service_user', 'external_agency']), ['line1', 'line2', 'town', 'postcode']),
  StaffMember: fields(STAFF_VIEW, ['id', 'name', 'team', 'workPhone']),
  Team: fields(STAFF_VIEW, ['id', 'name', 'service', 'manager']),
  Employee: fields(HR_ONLY, [
    'id',
    'payrollNumber',
    'name',
    'dateOfBirth',
    'homeAddress',
    'niNumber',
    'post',
    'team',
    'lineManager',
    'startDate',
    'contract',
    'absences',
    'training',
    'dbsCheck',
  ]),
  Post: fields(HR_ONLY, ['id', 'title', 'grade']),
  Contract: fields(HR_ONLY, ['type', 'hoursPerWeek']),
  Absence: fields(HR_ONLY, ['id', 'kind', 'startDate', 'endDate']),
  TrainingRecord: fields(HR_ONLY, ['course', 'completedOn', 'expiresOn']),
  DbsCheck: fields(HR_ONLY, ['level', 'certificateNumber', 'issuedOn', 'status']),
  Consent: fields(CONSENT_RECORD, [
    'id',
    'subject',
    'recipientOrganisation',
    'recipientType',
    'purpose',
    'dataCategories',
    'signedBy',
    'signedHow',
    'signedAt',
    'validFrom',
    'validUntil',
    'withdrawnAt',
    'active',
  ]),
  Disclosure: fields(CONSENT_RECORD, ['id', 'subject', 'recipientOrganisation', 'dataCategories', 'madeAt', 'madeBy', 'basis']),
  ExceptionalDisclosure: fields(BREAK_GLASS_RECORD, [
    'id',
    'subject',
    'recipientOrganisation',
    'legalBasis',
    'reason',
    'dataCategories',
    'openedBy',
    'openedAt',
    'expiresAt',
    'closedAt',
    'active',
  ]),
  TrusteeGrant: fields(DPO_ONLY, ['id', 'trusteeId', 'subject', 'complaintReference', 'grantedBy', 'grantedAt', 'expiresAt', 'revokedAt', 'active']),
  // Yes or no and whom to contact; the record found is fetched for the audit trail and alerts only.
  EmergencyLookupResult: { known: { duty_officer: 'always' }, contact: { duty_officer: 'always' }, client: {} },
  SubjectAccessRequest: fields(DPO_ONLY, [
    'id',
    'subject',
    'receivedOn',
    'dueOn',
    'status',
    'overdue',
    'loggedBy',
    'completedAt',
    'export',
    'originalDueOn',
    'extended',
    'extension',
  ]),
  SubjectAccessExtension: fields(DPO_ONLY, ['months', 'reason', 'personToldOn', 'extendedBy', 'extendedAt']),
  SubjectAccessRequestConnection: fields(DPO_ONLY, ['nodes', 'hasNextPage']),
  // The recorder sees what they recorded (the change's answer); only the DPO lists them.
  DecisionNotToShare: fields(everyone(['safeguarding_officer', 'team_manager', 'data_protection_officer']), [
    'id',
    'subject',
    'requestingOrganisation',
    'purpose',
    'dataCategories',
    'reason',
    'decidedBy',
    'decidedAt',
  ]),
  DecisionNotToShareConnection: fields(DPO_ONLY, ['nodes', 'hasNextPage']),
  AuditSubjectName: fields(DPO_ONLY, ['subject', 'name']),
  ClientConnection: fields(everyone(['support_worker', 'team_manager']), ['nodes', 'hasNextPage']),
  // Reached only through the page queries, whose subject check decides: whoever gets a page reads it.
  CaseNoteConnection: fields(everyone(['support_worker', 'team_manager', 'service_user']), ['nodes', 'hasNextPage']),
  ConsentConnection: fields(everyone(['support_worker', 'team_manager', 'service_user', 'safeguarding_officer', 'data_protection_officer']), [
    'nodes',
    'hasNextPage',
  ]),
  ExportedDecisionNotToShare: fields(EXPORT, ['requestingOrganisation', 'purpose', 'dataCategories', 'decidedAt']),
  Me: {
    role: everyone(ROLES),
    staffMember: everyone(STAFF),
    ...fields<Access>({ support_worker: 'always', team_manager: 'always' }, ['team', 'caseloadSize']),
    client: { service_user: 'always' },
    ...fields<Access>({ external_agency: 'always' }, ['organisation', 'purpose']),
  },
  SubjectAccessExport: {
    ...fields(EXPORT, ['id', 'record', 'caseNotes', 'homeVisits', 'consents', 'disclosures', 'exceptionalDisclosures', 'decisionsNotToShare']),
    // Fetched for the audit trail only: the export carries no ids.
    subject: {},
  },
  ExportedClientRecord: fields(EXPORT, ['name', 'dateOfBirth', 'gender', 'address', 'phone', 'services', 'status', 'referredOn', 'closedOn', 'restricted']),
  ExportedCaseNote: fields(EXPORT, ['occurredAt', 'venue', 'recordedAt', 'text', 'correction']),
  ExportedHomeVisit: fields(EXPORT, ['startedAt', 'endedAt', 'address']),
  ExportedConsent: fields(EXPORT, [
    'recipientOrganisation',
    'recipientType',
    'purpose',
    'dataCategories',
    'signedBy',
    'signedHow',
    'signedAt',
    'validFrom',
    'validUntil',
    'withdrawnAt',
  ]),
  ExportedDisclosure: fields(EXPORT, ['recipientOrganisation', 'dataCategories', 'madeAt', 'basis']),
  ExportedExceptionalDisclosure: fields(EXPORT, ['recipientOrganisation', 'legalBasis', 'dataCategories', 'openedAt', 'expiresAt', 'closedAt']),
  ReportTable: fields(REPORTS_ONLY, [
    'name',
    'period',
    'rowDimension',
    'columnDimension',
    'columns',
    'rows',
    'columnTotals',
    'grandTotal',
    'threshold',
    'roundingBase',
  ]),
  ReportRow: fields(REPORTS_ONLY, ['label', 'cells', 'total']),
  ReportCell: fields(REPORTS_ONLY, ['value', 'suppressed']),
};

// ---------------------------------------------------------------------------------------------
// Queries and changes. A condition here is checked on the subject before anything is forwarded.
// ---------------------------------------------------------------------------------------------

const CLIENT_SUBJECT = (argument: string): SubjectLocator => ({ argument, kind: 'client' });
const RECORD_SUBJECT = (argument: string, type: string, field: string): SubjectLocator => ({ argument, kind: 'client', through: { type, field } });

/** Changes about a client made by the care team: the client's keyworkers and their team's manager. */
const CARE_CIRCLE: Access = { support_worker: 'onCaseload', team_manager: 'inTeam' };

export const QUERIES: Readonly<Record<string, RootRule>> = {
  client: {
    access: {
      support_worker: 'always',
      team_manager: 'always',
      safeguarding_officer: 'always',
      data_protection_officer: 'always',
      external_agency: 'always',
      trustee: 'always',
      service_user: 'themself',
    },
    ids: { id: 'Client' },
    subject: CLIENT_SUBJECT('id'),
    note:
      'Who may ask; each field of the client is then decided by its own rule. Decided: the duty officer may not look a client up by id ' +
      '(the clients subgraph used to let them): they see clients only through visits in progress and the yes/no emergency lookup.',
  },
  myCaseload: { access: everyone(['support_worker', 'team_manager']) },
  teamCaseload: { access: { team_manager: 'ownTeam' }, ids: { teamId: 'Team' }, subject: { argument: 'teamId', kind: 'team' } },
  myCaseloadPage: {
    access: everyone(['support_worker', 'team_manager']),
    ids: { after: 'Client' },
    note: 'myCaseload a page at a time (at most 100). The cursor is a client id and must be on the caller’s own caseload, or it is refused: any other client as a cursor would tell where their name sorts.',
  },
  teamCaseloadPage: {
    access: { team_manager: 'ownTeam' },
    ids: { teamId: 'Team', after: 'Client' },
    subject: { argument: 'teamId', kind: 'team' },
    note: 'teamCaseload a page at a time (at most 100); the cursor must be on that team’s caseload, as for myCaseloadPage.',
  },
  homeVisitsInProgress: {
    access: { duty_officer: 'always' },
    note:
      'Decided: the duty officer only (the clients subgraph used to let team managers in too). A manager sees their team’s visits ' +
      'through each client’s home visits, under the client’s rules; the list of every visit in progress across the charity is for lone-working safety.',
  },
  emergencyLookup: { access: { duty_officer: 'always' }, note: 'Rate-limited per duty officer; a match with a restricted record raises an alert to the DPO.' },
  caseloadReport: { access: REPORTS_ONLY },
  referralsAndClosuresReport: { access: REPORTS_ONLY },
  headcountReport: { access: REPORTS_ONLY },
  consentActivityReport: { access: REPORTS_ONLY },
  exceptionalDisclosureReport: { access: REPORTS_ONLY },
  employees: { access: HR_ONLY },
  employee: { access: HR_ONLY, ids: { id: 'Employee' } },
  teams: { access: everyone(STAFF) },
  team: { access: everyone(STAFF), ids: { id: 'Team' } },
  staffMember: { access: everyone(STAFF), ids: { id: 'StaffMember' } },
  caseNotesPage: {
    access: { support_worker: 'onCaseload', team_manager: 'inTeam', service_user: 'themself' },
    ids: { clientId: 'Client', after: 'CaseNote' },
    subject: CLIENT_SUBJECT('clientId'),
    note:
      'Client.caseNotes a page at a time (at most 100, newest first), checked on the client before anything is forwarded, and again by the ' +
      'clients subgraph, which holds the circle. The cursor must be a note of that same client, or it is refused. Decided: an outside ' +
      'organisation (a consent releasing CASE_NOTES) and a trustee (a grant) keep Client.caseNotes only: their conditions need the ' +
      'sharing and grant facts, which the check before forwarding does not fetch; the field rule on Client.caseNotes decides for them.',
  },
  consentsPage: {
    access: {
      support_worker: 'onCaseload',
      team_manager: 'inTeam',
      service_user: 'themself',
      safeguarding_officer: 'always',
      data_protection_officer: 'always',
    },
    ids: { subjectId: 'Client', after: 'Consent' },
    subject: CLIENT_SUBJECT('subjectId'),
    note:
      'Client.consents a page at a time (at most 100, newest first), the same roles under the same conditions, checked on the client ' +
      'before anything is forwarded (the consent store holds no circle, so unlike consentsForSubject the care team is checked at the gateway). ' +
      'The cursor must be a consent of that same subject, or it is refused.',
  },
  consentsForSubject: {
    access: { safeguarding_officer: 'always', data_protection_officer: 'always', service_user: 'themself' },
    ids: { subjectId: 'Client' },
    subject: CLIENT_SUBJECT('subjectId'),
    note:
      'Decided: care staff read consents through the client they may reach (Client.consents), never by a subject id alone ' +
      '(the consent subgraph used to let them, which skipped the caseload check).',
  },
  exceptionalDisclosures: { access: BREAK_GLASS_RECORD },
  mySubjectAccessExport: { access: { service_user: 'always' } },
  subjectAccessRequests: { access: DPO_ONLY },
  subjectAccessRequest: { access: DPO_ONLY, ids: { id: 'SubjectAccessRequest' } },
  subjectAccessRegister: {
    access: DPO_ONLY,
    ids: { after: 'SubjectAccessRequest' },
    note: 'The cursor is the opaque id of the last request of the previous page, so it is checked like any id; at most 100 a page.',
  },
  decisionsNotToShare: {
    access: DPO_ONLY,
    ids: { after: 'DecisionNotToShare' },
    note: 'The cursor is the opaque id of the last decision of the previous page; at most 100 a page.',
  },
  me: {
    access: everyone(ROLES),
    note:
      'Answered from the token alone (no argument, so it cannot be asked about anyone else); each field by its own rule. A person with two ' +
      'tokens (Sam, employee and client) sees one identity with each, and nothing links them.',
  },
  findPeople: {
    access: DPO_ONLY,
    note:
      'To log a subject access request: exact name and date of birth, answered with each match’s id as the DPO sees it and nothing ' +
      'else the DPO may not already read; the search (name and date of birth) is on the audit trail, matches or not.',
  },
  auditSubjectNames: {
    access: DPO_ONLY,
    ids: { ids: 'Client' },
    note:
      'Decided: the DPO reads the audit trail by name, not by opaque ids alone. The DPO may already read a client’s name (the identity ' +
      'rule) but not the rest of the record; this is that name, for a whole page of the trail in one bounded request (at most 100 ids, ' +
      'only ids in the DPO’s own audience, as the trail shows them; any other is refused as invalid). Nothing new is disclosed, the ' +
      'console needs no back door, and each name returned is itself on the trail as a read of that client. Employees on the trail are ' +
      'not named here (the HR record stays HR’s).',
  },
  myGrantedRecords: {
    access: { trustee: 'always' },
    note: 'The clients a DPO granted this trustee, while the grant is active; each field then by the trustee grant rule.',
  },
};

export const MUTATIONS: Readonly<Record<string, RootRule>> = {
  recordCaseNote: { access: CARE_CIRCLE, ids: { clientId: 'Client', correctsNoteId: 'CaseNote' }, subject: CLIENT_SUBJECT('clientId') },
  startHomeVisit: { access: CARE_CIRCLE, ids: { clientId: 'Client' }, subject: CLIENT_SUBJECT('clientId') },
  endHomeVisit: {
    access: CARE_CIRCLE,
    ids: { visitId: 'HomeVisit' },
    subject: RECORD_SUBJECT('visitId', 'HomeVisit', 'client'),
    note: 'The clients subgraph also requires the worker on the visit, or the manager of the client’s team.',
  },
  recordConsent: {
    access: { support_worker: 'onCaseload', team_manager: 'inTeam', service_user: 'themself' },
    ids: { subjectId: 'Client' },
    subject: CLIENT_SUBJECT('subjectId'),
    note: 'A consent releases data to an outside organisation: only the person or their own care team records one.',
  },
  withdrawConsent: {
    access: { support_worker: 'onCaseload', team_manager: 'inTeam', service_user: 'themself', data_protection_officer: 'always' },
    ids: { consentId: 'Consent' },
    subject: RECORD_SUBJECT('consentId', 'Consent', 'subject'),
  },
  openExceptionalDisclosure: {
    access: { safeguarding_officer: 'always' },
    ids: { subjectId: 'Client' },
    subject: CLIENT_SUBJECT('subjectId'),
    note: 'Break-glass is for any client by design; it needs a reason and a legal basis, expires, and the DPO sees it.',
  },
  closeExceptionalDisclosure: {
    access: BREAK_GLASS_RECORD,
    ids: { id: 'ExceptionalDisclosure' },
    subject: RECORD_SUBJECT('id', 'ExceptionalDisclosure', 'subject'),
  },
  grantTrusteeAccess: { access: DPO_ONLY, ids: { subjectId: 'Client' }, subject: CLIENT_SUBJECT('subjectId') },
  revokeTrusteeAccess: { access: DPO_ONLY, ids: { id: 'TrusteeGrant' }, subject: RECORD_SUBJECT('id', 'TrusteeGrant', 'subject') },
  logSubjectAccessRequest: { access: DPO_ONLY, ids: { subjectId: 'Client' }, subject: CLIENT_SUBJECT('subjectId') },
  completeSubjectAccessRequest: { access: DPO_ONLY, ids: { id: 'SubjectAccessRequest' }, subject: RECORD_SUBJECT('id', 'SubjectAccessRequest', 'subject') },
  extendSubjectAccessRequest: {
    access: DPO_ONLY,
    ids: { id: 'SubjectAccessRequest' },
    subject: RECORD_SUBJECT('id', 'SubjectAccessRequest', 'subject'),
    note: 'Once, by one or two further months, when the person was told within the first month (UK GDPR Art. 12(3)); the reason is kept.',
  },
  recordDecisionNotToShare: {
    access: { safeguarding_officer: 'always', team_manager: 'inTeam' },
    ids: { subjectId: 'Client' },
    subject: CLIENT_SUBJECT('subjectId'),
    note:
      'Caldicott: a decision not to share is recorded too. The safeguarding lead for any client; a team manager for their own team’s ' +
      'clients, checked before it is forwarded. The DPO lists them; they appear in the person’s export without the free-text reason.',
  },
};

/** Who may call a route beside /graphql at all; what it returns is read through the rules above. */
export interface RouteRule {
  readonly access: Access;
  readonly note?: string;
}

/** The HTTP routes beside /graphql. `*` stands for one path segment's name. */
export const ROUTES: Readonly<Record<string, RouteRule>> = {
  '/reports/*.csv': { access: REPORTS_ONLY, note: 'The same reports as the GraphQL ones, as CSV, under the same rules.' },
  '/subject-access/export': { access: EXPORT, note: 'A service user gets their own export; the DPO gets one for a logged request only.' },
  '/audit/entries': { access: DPO_ONLY },
  '/audit/my-record': { access: { service_user: 'always' }, note: 'When, by which role and organisation their record was read; never which member of staff.' },
  '/alerts': {
    access: { data_protection_officer: 'always', team_manager: 'always' },
    note: 'A team manager sees only the alerts about their own team’s clients, and cannot close them.',
  },
  '/alerts/close': { access: DPO_ONLY },
};

// ---------------------------------------------------------------------------------------------
// What else the policy decides.
// ---------------------------------------------------------------------------------------------

export type LegalBasis = 'SAFEGUARDING' | 'SERIOUS_HARM' | 'CRIME_PREVENTION' | 'COURT_ORDER' | 'VITAL_INTERESTS';

/**
 * What each legal basis for an exceptional disclosure releases: the minimum the basis needs
 * (policies 001–003), never case notes unless a court orders it.
 */
export const RELEASED_BY_BASIS: Readonly<Record<LegalBasis, readonly DataCategory[]>> = {
  SAFEGUARDING: ['IDENTITY', 'CONTACT', 'SUPPORT'],
  SERIOUS_HARM: ['IDENTITY', 'CONTACT'],
  CRIME_PREVENTION: ['IDENTITY'],
  COURT_ORDER: ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES'],
  VITAL_INTERESTS: ['IDENTITY', 'CONTACT'],
};

/** Why, where a basis's release is a decision worth reading (printed in the policy document). */
export const LEGAL_BASIS_NOTES: Readonly<Partial<Record<LegalBasis, string>>> = {
  VITAL_INTERESTS:
    'Decided: vital interests release identity and contact details only, not support details (the demo data used to release ' +
    'support details too). Responders need to find and reach the person; the support they receive is not needed to save a life, ' +
    'and the safeguarding officer can open a disclosure on a wider basis if it ever is.',
};

/**
 * Readers outside the care team: in the case notes they read, every person's name known to any
 * store is replaced the same way (a note is about its client, not about the others it names).
 */
export const OUTSIDE_READERS: readonly Role[] = ['service_user', 'external_agency', 'trustee'];

export { STAFF_ROLES };
