import { allowRoles, anyOf, checkFor, denyAll, type PolicyRule } from './policy-rule.js';
import { STAFF_ROLES, type Role } from './roles.js';
import {
  CLIENT_CIRCLE_NEEDS,
  CLIENT_SHARING_NEEDS,
  TRUSTEE_NEEDS,
  VISIT_NEEDS,
  addressIsProtected,
  isGrantedToTrustee,
  isInTeamOf,
  isOnCaseloadOf,
  isTheClientThemself,
  owningClient,
  sharingReleases,
  visitInProgressAbove,
} from './circles.js';

/**
 * The policy, field by field: DESIGN.md's roles table as rules. Every field of every type
 * in the supergraph must appear here; a field without a rule is denied to everyone, and
 * the policy matrix test fails until it gets one.
 */

const STAFF = STAFF_ROLES;
const CARE: readonly Role[] = ['support_worker', 'team_manager'];

// Circles around one client, over data fetched for the rule.
const keyworker = checkFor('keyworker', ['support_worker'], CLIENT_CIRCLE_NEEDS, (client, _a, ctx) => isOnCaseloadOf(client, ctx));
const teamManager = checkFor('team-manager', ['team_manager'], CLIENT_CIRCLE_NEEDS, (client, _a, ctx) => isInTeamOf(client, ctx));
const themself = checkFor('themself', ['service_user'], CLIENT_CIRCLE_NEEDS, (client, _a, ctx) => isTheClientThemself(client, ctx));
// graphql-shield requires one rule object per name: one per category, made once.
const releasedRules = new Map<string, PolicyRule>();
const releasedTo = (category: string): PolicyRule => {
  let made = releasedRules.get(category);
  if (!made) {
    made = checkFor(`released:${category}`, ['external_agency'], CLIENT_SHARING_NEEDS, sharingReleases(category));
    releasedRules.set(category, made);
  }
  return made;
};
const grantedTrustee = checkFor('granted-trustee', ['trustee'], TRUSTEE_NEEDS, (client, _a, ctx) => isGrantedToTrustee(client, ctx));
const dutyDuringVisit = checkFor('duty-during-visit', ['duty_officer'], VISIT_NEEDS, (_client, ancestors) => visitInProgressAbove(ancestors));

/** An agency's address access: CONTACT released, and never a refuge or witness-protection address. */
const addressReleased = checkFor('agency-address', ['external_agency'], CLIENT_SHARING_NEEDS, (client, ancestors, ctx) =>
  !addressIsProtected(client) && sharingReleases('CONTACT')(client, ancestors, ctx),
);

/**
 * The full record: its keyworkers, its team's manager, the person themself, and sharing for
 * the category; a trustee under a DPO's grant reads everything but contact details.
 */
const fullRecord = (category: string) =>
  category === 'CONTACT' ? anyOf(keyworker, teamManager, themself, releasedTo(category)) : anyOf(keyworker, teamManager, themself, releasedTo(category), grantedTrustee);

/** The restricted-notice view: what any care staff member sees of any client, restricted or not. */
const identity = anyOf(
  allowRoles('identity-staff', [...CARE, 'safeguarding_officer', 'data_protection_officer']),
  themself,
  dutyDuringVisit,
  releasedTo('IDENTITY'),
  grantedTrustee,
);

/**
 * The sealed reason: only the designated circle, the client's keyworkers and their team's
 * manager. A team claim on a support worker's token opens nothing here.
 */
const designatedCircle = checkFor('designated-circle', CARE, CLIENT_CIRCLE_NEEDS, (_restriction, ancestors, ctx) => {
  const client = owningClient(ancestors);
  if (client === undefined) return false;
  if (isOnCaseloadOf(client, ctx)) return true;
  return ctx.principal.role === 'team_manager' && isInTeamOf(client, ctx);
});

const hrOnly = allowRoles('hr', ['hr']);
// Anonymised aggregates only, for the reporting tools' service account (DESIGN.md invariant 8).
const reportsOnly = allowRoles('reports', ['reporting']);
const staffView = allowRoles('staff-view', [...STAFF, 'service_user', 'external_agency', 'trustee']);
const caseRecord = allowRoles('case-record', [...CARE, 'service_user', 'external_agency', 'trustee']);
const consentRecord = allowRoles('consent-record', [...CARE, 'safeguarding_officer', 'data_protection_officer', 'service_user']);
const breakGlassRecord = allowRoles('break-glass-record', ['safeguarding_officer', 'data_protection_officer']);
/**
 * Subject access (UK GDPR Article 15): the person's own export, or the DPO's for a logged
 * request. The export types are separate from the record types so this opens nothing else:
 * the DPO still cannot read a client record, and the person gets no staff or internal ids.
 */
// Two ways in: mySubjectAccessExport (the caller's own, by their token) and a DPO's logged
// request; neither takes a person's id, so the type itself needs no per-object check.
const subjectAccessExport = allowRoles('subject-access-export', ['service_user', 'data_protection_officer']);
const dpoOnly = allowRoles('dpo', ['data_protection_officer']);
const visitDetail = allowRoles('visit', [...CARE, 'service_user', 'external_agency', 'duty_officer', 'trustee']);

function fields(rule: PolicyRule, names: readonly string[]): Record<string, PolicyRule> {
  return Object.fromEntries(names.map((name) => [name, rule]));
}

export const POLICY: Readonly<Record<string, Readonly<Record<string, PolicyRule>>>> = {
  Query: {
    client: allowRoles('query-client', [...CARE, 'safeguarding_officer', 'data_protection_officer', 'service_user', 'external_agency', 'trustee']),
    myCaseload: allowRoles('query-my-caseload', CARE),
    teamCaseload: allowRoles('query-team-caseload', ['team_manager']),
    homeVisitsInProgress: allowRoles('query-visits-in-progress', ['duty_officer']),
    emergencyLookup: allowRoles('emergency-lookup', ['duty_officer']),
    caseloadReport: reportsOnly,
    referralsAndClosuresReport: reportsOnly,
    headcountReport: reportsOnly,
    consentActivityReport: reportsOnly,
    exceptionalDisclosureReport: reportsOnly,
    employees: hrOnly,
    employee: hrOnly,
    teams: allowRoles('query-teams', STAFF),
    team: allowRoles('query-team', STAFF),
    staffMember: allowRoles('query-staff-member', STAFF),
    consentsForSubject: allowRoles('query-consents', ['safeguarding_officer', 'data_protection_officer', 'service_user']),
    exceptionalDisclosures: breakGlassRecord,
    mySubjectAccessExport: allowRoles('query-my-export', ['service_user']),
    subjectAccessRequests: dpoOnly,
    subjectAccessRequest: dpoOnly,
  },
  Mutation: {
    recordCaseNote: allowRoles('record-case-note', CARE),
    startHomeVisit: allowRoles('start-visit', CARE),
    endHomeVisit: allowRoles('end-visit', CARE),
    recordConsent: allowRoles('record-consent', [...CARE, 'service_user']),
    withdrawConsent: allowRoles('withdraw-consent', [...CARE, 'data_protection_officer', 'service_user']),
    openExceptionalDisclosure: allowRoles('open-break-glass', ['safeguarding_officer']),
    closeExceptionalDisclosure: breakGlassRecord,
    grantTrusteeAccess: allowRoles('grant-trustee', ['data_protection_officer']),
    revokeTrusteeAccess: allowRoles('revoke-trustee', ['data_protection_officer']),
    logSubjectAccessRequest: dpoOnly,
    completeSubjectAccessRequest: dpoOnly,
  },
  Client: {
    // An opaque id says nothing the caller did not already hold: whoever may reach a client gets it.
    id: allowRoles('client-id', [...CARE, 'duty_officer', 'safeguarding_officer', 'data_protection_officer', 'service_user', 'external_agency', 'trustee']),
    name: identity,
    ...fields(fullRecord('IDENTITY'), ['dateOfBirth', 'gender']),
    address: anyOf(keyworker, teamManager, themself, addressReleased),
    phone: fullRecord('CONTACT'),
    ...fields(fullRecord('SUPPORT'), ['services', 'status', 'referredOn', 'closedOn', 'team', 'keyworkers']),
    restriction: anyOf(allowRoles('restriction-notice', CARE), themself),
    caseNotes: fullRecord('CASE_NOTES'),
    homeVisits: fullRecord('HOME_VISITS'),
    ...fields(anyOf(keyworker, teamManager, themself, allowRoles('consents-oversight', ['safeguarding_officer', 'data_protection_officer'])), ['consents', 'disclosures']),
    exceptionalDisclosures: breakGlassRecord,
    trusteeGrants: allowRoles('trustee-grants', ['data_protection_officer']),
  },
  TrusteeGrant: fields(allowRoles('trustee-grant', ['data_protection_officer']), [
    'id', 'trusteeId', 'subject', 'complaintReference', 'grantedBy', 'grantedAt', 'expiresAt', 'revokedAt', 'active',
  ]),
  Restriction: {
    reason: designatedCircle,
    sealedNote: designatedCircle,
    contact: anyOf(
      allowRoles('restriction-contact', CARE),
      checkFor('themself-restriction', ['service_user'], CLIENT_CIRCLE_NEEDS, (_restriction, ancestors, ctx) => {
        const client = owningClient(ancestors);
        return client !== undefined && isTheClientThemself(client, ctx);
      }),
    ),
  },
  CaseNote: fields(caseRecord, ['id', 'client', 'author', 'occurredAt', 'venue', 'recordedAt', 'text', 'corrects']),
  HomeVisit: {
    ...fields(visitDetail, ['id', 'client', 'worker', 'startedAt', 'endedAt', 'inProgress']),
    // A visit's address is the client's address: the same rule, read on the client the visit belongs to.
    address: anyOf(
      allowRoles('visit-address', [...CARE, 'service_user']),
      checkFor('duty-visit-address', ['duty_officer'], VISIT_NEEDS, (visit) => visit._ntk_in_progress === true),
      checkFor('agency-visit-address', ['external_agency'], CLIENT_SHARING_NEEDS, (_visit, ancestors, ctx) => {
        const client = owningClient(ancestors, '_ntk_consents');
        return client !== undefined && !addressIsProtected(client) && sharingReleases('CONTACT')(client, ancestors, ctx);
      }),
    ),
  },
  // Yes or no and whom to contact; the record looked up is fetched for the audit trail only.
  EmergencyLookupResult: {
    known: allowRoles('lookup-answer', ['duty_officer']),
    contact: allowRoles('lookup-contact', ['duty_officer']),
    client: denyAll,
  },
  SubjectAccessRequest: fields(dpoOnly, ['id', 'subject', 'receivedOn', 'dueOn', 'status', 'overdue', 'loggedBy', 'completedAt', 'export']),
  SubjectAccessExport: {
    ...fields(subjectAccessExport, ['id', 'record', 'caseNotes', 'homeVisits', 'consents', 'disclosures', 'exceptionalDisclosures']),
    // Fetched for the audit trail only: the export carries no ids.
    subject: denyAll,
  },
  ExportedClientRecord: fields(subjectAccessExport, ['name', 'dateOfBirth', 'gender', 'address', 'phone', 'services', 'status', 'referredOn', 'closedOn', 'restricted']),
  ExportedCaseNote: fields(subjectAccessExport, ['occurredAt', 'venue', 'recordedAt', 'text', 'correction']),
  ExportedHomeVisit: fields(subjectAccessExport, ['startedAt', 'endedAt', 'address']),
  ExportedConsent: fields(subjectAccessExport, ['recipientOrganisation', 'recipientType', 'purpose', 'dataCategories', 'signedBy', 'signedHow', 'signedAt', 'validFrom', 'validUntil', 'withdrawnAt']),
  ExportedDisclosure: fields(subjectAccessExport, ['recipientOrganisation', 'dataCategories', 'madeAt', 'basis']),
  ExportedExceptionalDisclosure: fields(subjectAccessExport, ['recipientOrganisation', 'legalBasis', 'dataCategories', 'openedAt', 'expiresAt', 'closedAt']),
  ReportTable: fields(reportsOnly, ['name', 'period', 'rowDimension', 'columnDimension', 'columns', 'rows', 'columnTotals', 'grandTotal', 'threshold', 'roundingBase']),
  ReportRow: fields(reportsOnly, ['label', 'cells', 'total']),
  ReportCell: fields(reportsOnly, ['value', 'suppressed']),
  StaffMember: fields(staffView, ['id', 'name', 'team', 'workPhone']),
  Team: fields(staffView, ['id', 'name', 'service', 'manager']),
  PostalAddress: fields(allowRoles('address-parts', [...STAFF, 'service_user', 'external_agency']), ['line1', 'line2', 'town', 'postcode']),
  Employee: fields(hrOnly, ['id', 'payrollNumber', 'name', 'dateOfBirth', 'homeAddress', 'niNumber', 'post', 'team', 'lineManager', 'startDate', 'contract', 'absences', 'training', 'dbsCheck']),
  Post: fields(hrOnly, ['id', 'title', 'grade']),
  Contract: fields(hrOnly, ['type', 'hoursPerWeek']),
  Absence: fields(hrOnly, ['id', 'kind', 'startDate', 'endDate']),
  TrainingRecord: fields(hrOnly, ['course', 'completedOn', 'expiresOn']),
  DbsCheck: fields(hrOnly, ['level', 'certificateNumber', 'issuedOn', 'status']),
  Consent: fields(consentRecord, ['id', 'subject', 'recipientOrganisation', 'recipientType', 'purpose', 'dataCategories', 'signedBy', 'signedHow', 'signedAt', 'validFrom', 'validUntil', 'withdrawnAt', 'active']),
  Disclosure: fields(consentRecord, ['id', 'subject', 'recipientOrganisation', 'dataCategories', 'madeAt', 'madeBy', 'basis']),
  ExceptionalDisclosure: fields(breakGlassRecord, ['id', 'subject', 'recipientOrganisation', 'legalBasis', 'reason', 'dataCategories', 'openedBy', 'openedAt', 'expiresAt', 'closedAt', 'active']),
};

/** ID arguments and the entity type their opaque tokens must name. Any other ID argument is refused. */
export const ID_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Query.client': { id: 'Client' },
  'Query.teamCaseload': { teamId: 'Team' },
  'Query.employee': { id: 'Employee' },
  'Query.team': { id: 'Team' },
  'Query.staffMember': { id: 'StaffMember' },
  'Query.consentsForSubject': { subjectId: 'Client' },
  'Mutation.recordCaseNote': { clientId: 'Client', correctsNoteId: 'CaseNote' },
  'Mutation.startHomeVisit': { clientId: 'Client' },
  'Mutation.endHomeVisit': { visitId: 'HomeVisit' },
  'Mutation.recordConsent': { subjectId: 'Client' },
  'Mutation.withdrawConsent': { consentId: 'Consent' },
  'Mutation.openExceptionalDisclosure': { subjectId: 'Client' },
  'Mutation.closeExceptionalDisclosure': { id: 'ExceptionalDisclosure' },
  'Mutation.grantTrusteeAccess': { subjectId: 'Client' },
  'Mutation.revokeTrusteeAccess': { id: 'TrusteeGrant' },
  'Query.subjectAccessRequest': { id: 'SubjectAccessRequest' },
  'Mutation.logSubjectAccessRequest': { subjectId: 'Client' },
  'Mutation.completeSubjectAccessRequest': { id: 'SubjectAccessRequest' },
};

export function policyFor(typeName: string, fieldName: string): PolicyRule | undefined {
  return POLICY[typeName]?.[fieldName];
}
