/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AbsenceKind =
  | 'ANNUAL_LEAVE'
  | 'OTHER'
  | 'PARENTAL'
  | 'SICKNESS';

/** What a caseload report can be broken down by: never a person-level attribute or an identifier. */
export type CaseloadDimension =
  | 'AGE_BAND'
  | 'GENDER'
  | 'OUTCOME'
  | 'SERVICE'
  /** The responsible team, by name. */
  | 'TEAM';

export type ClientStatus =
  | 'CLOSED'
  | 'OPEN';

export type ContractType =
  | 'FIXED_TERM'
  | 'PERMANENT'
  | 'SESSIONAL'
  | 'TRAINEE';

export type DataCategory =
  | 'CASE_NOTES'
  | 'CONTACT'
  | 'HOME_VISITS'
  | 'IDENTITY'
  | 'SUPPORT';

export type DbsLevel =
  | 'BASIC'
  | 'ENHANCED'
  | 'ENHANCED_WITH_BARRED_LISTS'
  | 'STANDARD';

export type DbsStatus =
  | 'CLEAR'
  | 'EXPIRED'
  | 'UNDER_REVIEW';

/** Who asked for an emergency lookup: recorded on the audit trail with the lookup. */
export type EmergencyCallerInput = {
  name: string;
  organisation: string;
  reason: string;
};

export type Gender =
  | 'FEMALE'
  | 'MALE'
  | 'NON_BINARY'
  | 'NOT_STATED';

export type LegalBasis =
  | 'COURT_ORDER'
  | 'CRIME_PREVENTION'
  | 'SAFEGUARDING'
  | 'SERIOUS_HARM'
  | 'VITAL_INTERESTS';

/** A person to find by exact name and date of birth. */
export type PersonSearchInput = {
  /** ISO 8601 date. */
  dateOfBirth: string;
  name: string;
};

/** What the referrals and closures report can be broken down by. */
export type ReferralDimension =
  /** Age on the day of the referral or closure counted. */
  | 'AGE_BAND'
  | 'GENDER'
  | 'SERVICE'
  /** The responsible team, by name. */
  | 'TEAM';

export type RestrictionReason =
  | 'OTHER'
  | 'REFUGE_RESIDENT'
  | 'SERVICE_USER_EMPLOYEE'
  | 'WITNESS_PROTECTION';

/** Which requests of the register to list. */
export type SubjectAccessRegisterFilter =
  | 'ALL'
  | 'COMPLETED'
  /** Open and not yet past their due date (extended ones included). */
  | 'DUE'
  /** Extended, open or completed. */
  | 'EXTENDED'
  /** Open past their due date. */
  | 'OVERDUE';

export type SubjectAccessRequestStatus =
  | 'COMPLETED'
  | 'OPEN';

export type DpoDecisionsNotToShareQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DpoDecisionsNotToShareQuery = { decisionsNotToShare: { hasNextPage: boolean | null, nodes: Array<{ id: string, requestingOrganisation: string | null, purpose: string | null, dataCategories: Array<DataCategory> | null, reason: string | null, decidedAt: string | null, subject: { id: string } | null, decidedBy: { name: string | null } | null }> | null } | null };

export type DpoFindPeopleQueryVariables = Exact<{
  person: PersonSearchInput;
}>;


export type DpoFindPeopleQuery = { findPeople: Array<{ id: string, name: string | null }> | null };

export type DpoGrantTrusteeAccessMutationVariables = Exact<{
  subjectId: string;
  trusteeId: string;
  complaintReference: string;
  expiresAt: string;
}>;


export type DpoGrantTrusteeAccessMutation = { grantTrusteeAccess: { id: string, trusteeId: string | null, complaintReference: string | null, expiresAt: string | null, active: boolean | null } | null };

export type DpoLogSubjectAccessRequestMutationVariables = Exact<{
  subjectId: string;
  receivedOn: string;
}>;


export type DpoLogSubjectAccessRequestMutation = { logSubjectAccessRequest: { id: string, receivedOn: string | null, dueOn: string | null, status: SubjectAccessRequestStatus | null } | null };

export type DpoSubjectAccessRegisterQueryVariables = Exact<{
  filter: SubjectAccessRegisterFilter;
  first: number;
  after?: string | null | undefined;
}>;


export type DpoSubjectAccessRegisterQuery = { subjectAccessRegister: { hasNextPage: boolean | null, nodes: Array<{ id: string, receivedOn: string | null, dueOn: string | null, originalDueOn: string | null, status: SubjectAccessRequestStatus | null, overdue: boolean | null, extended: boolean | null, completedAt: string | null, subject: { id: string, name: string | null } | null, loggedBy: { name: string | null } | null }> | null } | null };

export type DutyEmergencyLookupQueryVariables = Exact<{
  name: string;
  dateOfBirth: string;
  caller: EmergencyCallerInput;
}>;


export type DutyEmergencyLookupQuery = { emergencyLookup: { known: boolean, contact: { name: string | null, workPhone: string | null } | null } | null };

export type DutyVisitsInProgressQueryVariables = Exact<{ [key: string]: never; }>;


export type DutyVisitsInProgressQuery = { homeVisitsInProgress: Array<{ id: string, startedAt: string | null, client: { name: string | null } | null, address: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, worker: { name: string | null, workPhone: string | null } | null }> | null };

export type AgencyClientQueryVariables = Exact<{
  id: string;
}>;


export type AgencyClientQuery = { client: { id: string, name: string | null, dateOfBirth: string | null, phone: string | null, services: Array<string> | null, status: ClientStatus | null, address: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, caseNotes: Array<{ occurredAt: string | null, venue: string | null, text: string | null }> | null } | null };

export type AgencyWhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type AgencyWhoAmIQuery = { me: { role: string | null, organisation: string | null, purpose: string | null } | null };

export type HrEmployeePageQueryVariables = Exact<{
  id: string;
}>;


export type HrEmployeePageQuery = { employee: { id: string, payrollNumber: string | null, name: string | null, dateOfBirth: string | null, niNumber: string | null, startDate: string | null, homeAddress: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, post: { id: string, title: string | null, grade: string | null } | null, team: { name: string | null } | null, lineManager: { name: string | null, workPhone: string | null } | null, contract: { type: ContractType | null, hoursPerWeek: number | null } | null, absences: Array<{ id: string, kind: AbsenceKind | null, startDate: string | null, endDate: string | null }> | null, training: Array<{ course: string | null, completedOn: string | null, expiresOn: string | null }> | null, dbsCheck: { level: DbsLevel | null, certificateNumber: string | null, issuedOn: string | null, status: DbsStatus | null } | null } | null };

export type HrEmployeesQueryVariables = Exact<{
  limit: number;
  offset: number;
}>;


export type HrEmployeesQuery = { employees: Array<{ id: string, payrollNumber: string | null, name: string | null, post: { title: string | null } | null, team: { name: string | null } | null }> | null };

export type ReportTablePartsFragment = { name: string | null, period: string | null, rowDimension: string | null, columnDimension: string | null, columns: Array<string> | null, threshold: number | null, roundingBase: number | null, rows: Array<{ label: string | null, cells: Array<{ value: number | null, suppressed: boolean | null }> | null, total: { value: number | null, suppressed: boolean | null } | null }> | null, columnTotals: Array<{ value: number | null, suppressed: boolean | null }> | null, grandTotal: { value: number | null, suppressed: boolean | null } | null };

export type ReportingCaseloadQueryVariables = Exact<{
  period: string;
  rows: CaseloadDimension;
  columns: CaseloadDimension;
}>;


export type ReportingCaseloadQuery = { caseloadReport: { name: string | null, period: string | null, rowDimension: string | null, columnDimension: string | null, columns: Array<string> | null, threshold: number | null, roundingBase: number | null, rows: Array<{ label: string | null, cells: Array<{ value: number | null, suppressed: boolean | null }> | null, total: { value: number | null, suppressed: boolean | null } | null }> | null, columnTotals: Array<{ value: number | null, suppressed: boolean | null }> | null, grandTotal: { value: number | null, suppressed: boolean | null } | null } | null };

export type ReportingHeadcountQueryVariables = Exact<{ [key: string]: never; }>;


export type ReportingHeadcountQuery = { headcountReport: { name: string | null, period: string | null, rowDimension: string | null, columnDimension: string | null, columns: Array<string> | null, threshold: number | null, roundingBase: number | null, rows: Array<{ label: string | null, cells: Array<{ value: number | null, suppressed: boolean | null }> | null, total: { value: number | null, suppressed: boolean | null } | null }> | null, columnTotals: Array<{ value: number | null, suppressed: boolean | null }> | null, grandTotal: { value: number | null, suppressed: boolean | null } | null } | null };

export type ReportingReferralsAndClosuresQueryVariables = Exact<{
  period: string;
  rows: ReferralDimension;
}>;


export type ReportingReferralsAndClosuresQuery = { referralsAndClosuresReport: { name: string | null, period: string | null, rowDimension: string | null, columnDimension: string | null, columns: Array<string> | null, threshold: number | null, roundingBase: number | null, rows: Array<{ label: string | null, cells: Array<{ value: number | null, suppressed: boolean | null }> | null, total: { value: number | null, suppressed: boolean | null } | null }> | null, columnTotals: Array<{ value: number | null, suppressed: boolean | null }> | null, grandTotal: { value: number | null, suppressed: boolean | null } | null } | null };

export type SafeguardingCloseDisclosureMutationVariables = Exact<{
  id: string;
}>;


export type SafeguardingCloseDisclosureMutation = { closeExceptionalDisclosure: { id: string, closedAt: string | null, active: boolean | null } | null };

export type SafeguardingDisclosuresQueryVariables = Exact<{
  activeOnly: boolean;
}>;


export type SafeguardingDisclosuresQuery = { exceptionalDisclosures: Array<{ id: string, recipientOrganisation: string | null, legalBasis: LegalBasis | null, reason: string | null, dataCategories: Array<DataCategory> | null, openedAt: string | null, expiresAt: string | null, closedAt: string | null, active: boolean | null, subject: { id: string, name: string | null } | null, openedBy: { name: string | null } | null }> | null };

export type SafeguardingOpenDisclosureMutationVariables = Exact<{
  subjectId: string;
  recipientOrganisation: string;
  legalBasis: LegalBasis;
  reason: string;
  expiresInHours?: number | null | undefined;
}>;


export type SafeguardingOpenDisclosureMutation = { openExceptionalDisclosure: { id: string, dataCategories: Array<DataCategory> | null, expiresAt: string | null, active: boolean | null } | null };

export type MyRecordQueryVariables = Exact<{ [key: string]: never; }>;


export type MyRecordQuery = { me: { client: { id: string, name: string | null, dateOfBirth: string | null, phone: string | null, services: Array<string> | null, status: ClientStatus | null, address: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, keyworkers: Array<{ name: string | null, workPhone: string | null }> | null, caseNotes: Array<{ occurredAt: string | null, venue: string | null, text: string | null }> | null, consents: Array<{ id: string, recipientOrganisation: string | null, purpose: string | null, dataCategories: Array<DataCategory> | null, validUntil: string | null, active: boolean | null }> | null } | null } | null };

export type MySubjectAccessExportQueryVariables = Exact<{ [key: string]: never; }>;


export type MySubjectAccessExportQuery = { mySubjectAccessExport: { id: string, record: { name: string | null, dateOfBirth: string | null, services: Array<string> | null, status: ClientStatus | null, restricted: boolean | null, address: { line1: string | null, town: string | null, postcode: string | null } | null } | null, caseNotes: Array<{ occurredAt: string | null, venue: string | null, text: string | null, correction: boolean | null }> | null, consents: Array<{ recipientOrganisation: string | null, purpose: string | null, dataCategories: Array<DataCategory> | null, validFrom: string | null, validUntil: string | null, withdrawnAt: string | null }> | null } | null };

export type MyWithdrawConsentMutationVariables = Exact<{
  consentId: string;
}>;


export type MyWithdrawConsentMutation = { withdrawConsent: { id: string, withdrawnAt: string | null, active: boolean | null } | null };

export type KeyworkerCaseloadQueryVariables = Exact<{ [key: string]: never; }>;


export type KeyworkerCaseloadQuery = { myCaseload: Array<{ id: string, name: string | null, status: ClientStatus | null, services: Array<string> | null, restriction: { contact: { name: string | null, workPhone: string | null } | null } | null }> | null };

export type KeyworkerClientRecordQueryVariables = Exact<{
  id: string;
}>;


export type KeyworkerClientRecordQuery = { client: { id: string, name: string | null, dateOfBirth: string | null, gender: Gender | null, phone: string | null, services: Array<string> | null, status: ClientStatus | null, referredOn: string | null, address: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, team: { name: string | null } | null, keyworkers: Array<{ name: string | null, workPhone: string | null }> | null, restriction: { reason: RestrictionReason | null, contact: { name: string | null, workPhone: string | null } | null } | null, caseNotes: Array<{ id: string, occurredAt: string | null, venue: string | null, text: string | null, author: { name: string | null } | null, corrects: { id: string } | null }> | null, homeVisits: Array<{ id: string, startedAt: string | null, endedAt: string | null, inProgress: boolean | null }> | null, consents: Array<{ id: string, recipientOrganisation: string | null, purpose: string | null, dataCategories: Array<DataCategory> | null, validUntil: string | null, active: boolean | null }> | null } | null };

export type KeyworkerEndHomeVisitMutationVariables = Exact<{
  visitId: string;
}>;


export type KeyworkerEndHomeVisitMutation = { endHomeVisit: { id: string, endedAt: string | null, inProgress: boolean | null } | null };

export type KeyworkerRecordCaseNoteMutationVariables = Exact<{
  clientId: string;
  occurredAt: string;
  venue: string;
  text: string;
  correctsNoteId?: string | null | undefined;
}>;


export type KeyworkerRecordCaseNoteMutation = { recordCaseNote: { id: string, recordedAt: string | null } | null };

export type KeyworkerStartHomeVisitMutationVariables = Exact<{
  clientId: string;
}>;


export type KeyworkerStartHomeVisitMutation = { startHomeVisit: { id: string, startedAt: string | null, inProgress: boolean | null } | null };

export type ManagerRecordDecisionNotToShareMutationVariables = Exact<{
  subjectId: string;
  requestingOrganisation: string;
  purpose: string;
  dataCategories: Array<DataCategory> | DataCategory;
  reason: string;
}>;


export type ManagerRecordDecisionNotToShareMutation = { recordDecisionNotToShare: { id: string, decidedAt: string | null } | null };

export type ManagerTeamQueryVariables = Exact<{ [key: string]: never; }>;


export type ManagerTeamQuery = { me: { role: string | null, team: { id: string, name: string | null, service: string | null } | null } | null };

export type ManagerTeamCaseloadQueryVariables = Exact<{
  teamId: string;
}>;


export type ManagerTeamCaseloadQuery = { teamCaseload: Array<{ id: string, name: string | null, status: ClientStatus | null, services: Array<string> | null, referredOn: string | null, keyworkers: Array<{ name: string | null, workPhone: string | null }> | null, restriction: { reason: RestrictionReason | null, contact: { name: string | null } | null } | null, homeVisits: Array<{ startedAt: string | null, inProgress: boolean | null, worker: { name: string | null } | null }> | null }> | null };

export type TrusteeGrantedRecordsQueryVariables = Exact<{ [key: string]: never; }>;


export type TrusteeGrantedRecordsQuery = { myGrantedRecords: Array<{ id: string, name: string | null, dateOfBirth: string | null, services: Array<string> | null, status: ClientStatus | null, team: { name: string | null } | null, caseNotes: Array<{ occurredAt: string | null, venue: string | null, text: string | null, author: { name: string | null } | null }> | null, homeVisits: Array<{ startedAt: string | null, endedAt: string | null }> | null }> | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ReportTablePartsFragmentDoc = new TypedDocumentString(`
    fragment ReportTableParts on ReportTable {
  name
  period
  rowDimension
  columnDimension
  columns
  threshold
  roundingBase
  rows {
    label
    cells {
      value
      suppressed
    }
    total {
      value
      suppressed
    }
  }
  columnTotals {
    value
    suppressed
  }
  grandTotal {
    value
    suppressed
  }
}
    `, {"fragmentName":"ReportTableParts"}) as unknown as TypedDocumentString<ReportTablePartsFragment, unknown>;
export const DpoDecisionsNotToShareDocument = new TypedDocumentString(`
    query DpoDecisionsNotToShare($first: Int!, $after: ID) {
  decisionsNotToShare(first: $first, after: $after) {
    hasNextPage
    nodes {
      id
      subject {
        id
      }
      requestingOrganisation
      purpose
      dataCategories
      reason
      decidedAt
      decidedBy {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DpoDecisionsNotToShareQuery, DpoDecisionsNotToShareQueryVariables>;
export const DpoFindPeopleDocument = new TypedDocumentString(`
    query DpoFindPeople($person: PersonSearchInput!) {
  findPeople(person: $person) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<DpoFindPeopleQuery, DpoFindPeopleQueryVariables>;
export const DpoGrantTrusteeAccessDocument = new TypedDocumentString(`
    mutation DpoGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {
  grantTrusteeAccess(
    subjectId: $subjectId
    trusteeId: $trusteeId
    complaintReference: $complaintReference
    expiresAt: $expiresAt
  ) {
    id
    trusteeId
    complaintReference
    expiresAt
    active
  }
}
    `) as unknown as TypedDocumentString<DpoGrantTrusteeAccessMutation, DpoGrantTrusteeAccessMutationVariables>;
export const DpoLogSubjectAccessRequestDocument = new TypedDocumentString(`
    mutation DpoLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {
  logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {
    id
    receivedOn
    dueOn
    status
  }
}
    `) as unknown as TypedDocumentString<DpoLogSubjectAccessRequestMutation, DpoLogSubjectAccessRequestMutationVariables>;
export const DpoSubjectAccessRegisterDocument = new TypedDocumentString(`
    query DpoSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {
  subjectAccessRegister(filter: $filter, first: $first, after: $after) {
    hasNextPage
    nodes {
      id
      subject {
        id
        name
      }
      receivedOn
      dueOn
      originalDueOn
      status
      overdue
      extended
      completedAt
      loggedBy {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DpoSubjectAccessRegisterQuery, DpoSubjectAccessRegisterQueryVariables>;
export const DutyEmergencyLookupDocument = new TypedDocumentString(`
    query DutyEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {
  emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {
    known
    contact {
      name
      workPhone
    }
  }
}
    `) as unknown as TypedDocumentString<DutyEmergencyLookupQuery, DutyEmergencyLookupQueryVariables>;
export const DutyVisitsInProgressDocument = new TypedDocumentString(`
    query DutyVisitsInProgress {
  homeVisitsInProgress {
    id
    startedAt
    client {
      name
    }
    address {
      line1
      line2
      town
      postcode
    }
    worker {
      name
      workPhone
    }
  }
}
    `) as unknown as TypedDocumentString<DutyVisitsInProgressQuery, DutyVisitsInProgressQueryVariables>;
export const AgencyClientDocument = new TypedDocumentString(`
    query AgencyClient($id: ID!) {
  client(id: $id) {
    id
    name
    dateOfBirth
    phone
    address {
      line1
      line2
      town
      postcode
    }
    services
    status
    caseNotes {
      occurredAt
      venue
      text
    }
  }
}
    `) as unknown as TypedDocumentString<AgencyClientQuery, AgencyClientQueryVariables>;
export const AgencyWhoAmIDocument = new TypedDocumentString(`
    query AgencyWhoAmI {
  me {
    role
    organisation
    purpose
  }
}
    `) as unknown as TypedDocumentString<AgencyWhoAmIQuery, AgencyWhoAmIQueryVariables>;
export const HrEmployeePageDocument = new TypedDocumentString(`
    query HrEmployeePage($id: ID!) {
  employee(id: $id) {
    id
    payrollNumber
    name
    dateOfBirth
    niNumber
    homeAddress {
      line1
      line2
      town
      postcode
    }
    post {
      id
      title
      grade
    }
    team {
      name
    }
    lineManager {
      name
      workPhone
    }
    startDate
    contract {
      type
      hoursPerWeek
    }
    absences {
      id
      kind
      startDate
      endDate
    }
    training {
      course
      completedOn
      expiresOn
    }
    dbsCheck {
      level
      certificateNumber
      issuedOn
      status
    }
  }
}
    `) as unknown as TypedDocumentString<HrEmployeePageQuery, HrEmployeePageQueryVariables>;
export const HrEmployeesDocument = new TypedDocumentString(`
    query HrEmployees($limit: Int!, $offset: Int!) {
  employees(limit: $limit, offset: $offset) {
    id
    payrollNumber
    name
    post {
      title
    }
    team {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<HrEmployeesQuery, HrEmployeesQueryVariables>;
export const ReportingCaseloadDocument = new TypedDocumentString(`
    query ReportingCaseload($period: String!, $rows: CaseloadDimension!, $columns: CaseloadDimension!) {
  caseloadReport(period: $period, rows: $rows, columns: $columns) {
    ...ReportTableParts
  }
}
    fragment ReportTableParts on ReportTable {
  name
  period
  rowDimension
  columnDimension
  columns
  threshold
  roundingBase
  rows {
    label
    cells {
      value
      suppressed
    }
    total {
      value
      suppressed
    }
  }
  columnTotals {
    value
    suppressed
  }
  grandTotal {
    value
    suppressed
  }
}`) as unknown as TypedDocumentString<ReportingCaseloadQuery, ReportingCaseloadQueryVariables>;
export const ReportingHeadcountDocument = new TypedDocumentString(`
    query ReportingHeadcount {
  headcountReport {
    ...ReportTableParts
  }
}
    fragment ReportTableParts on ReportTable {
  name
  period
  rowDimension
  columnDimension
  columns
  threshold
  roundingBase
  rows {
    label
    cells {
      value
      suppressed
    }
    total {
      value
      suppressed
    }
  }
  columnTotals {
    value
    suppressed
  }
  grandTotal {
    value
    suppressed
  }
}`) as unknown as TypedDocumentString<ReportingHeadcountQuery, ReportingHeadcountQueryVariables>;
export const ReportingReferralsAndClosuresDocument = new TypedDocumentString(`
    query ReportingReferralsAndClosures($period: String!, $rows: ReferralDimension!) {
  referralsAndClosuresReport(period: $period, rows: $rows) {
    ...ReportTableParts
  }
}
    fragment ReportTableParts on ReportTable {
  name
  period
  rowDimension
  columnDimension
  columns
  threshold
  roundingBase
  rows {
    label
    cells {
      value
      suppressed
    }
    total {
      value
      suppressed
    }
  }
  columnTotals {
    value
    suppressed
  }
  grandTotal {
    value
    suppressed
  }
}`) as unknown as TypedDocumentString<ReportingReferralsAndClosuresQuery, ReportingReferralsAndClosuresQueryVariables>;
export const SafeguardingCloseDisclosureDocument = new TypedDocumentString(`
    mutation SafeguardingCloseDisclosure($id: ID!) {
  closeExceptionalDisclosure(id: $id) {
    id
    closedAt
    active
  }
}
    `) as unknown as TypedDocumentString<SafeguardingCloseDisclosureMutation, SafeguardingCloseDisclosureMutationVariables>;
export const SafeguardingDisclosuresDocument = new TypedDocumentString(`
    query SafeguardingDisclosures($activeOnly: Boolean!) {
  exceptionalDisclosures(activeOnly: $activeOnly) {
    id
    subject {
      id
      name
    }
    recipientOrganisation
    legalBasis
    reason
    dataCategories
    openedBy {
      name
    }
    openedAt
    expiresAt
    closedAt
    active
  }
}
    `) as unknown as TypedDocumentString<SafeguardingDisclosuresQuery, SafeguardingDisclosuresQueryVariables>;
export const SafeguardingOpenDisclosureDocument = new TypedDocumentString(`
    mutation SafeguardingOpenDisclosure($subjectId: ID!, $recipientOrganisation: String!, $legalBasis: LegalBasis!, $reason: String!, $expiresInHours: Int) {
  openExceptionalDisclosure(
    subjectId: $subjectId
    recipientOrganisation: $recipientOrganisation
    legalBasis: $legalBasis
    reason: $reason
    expiresInHours: $expiresInHours
  ) {
    id
    dataCategories
    expiresAt
    active
  }
}
    `) as unknown as TypedDocumentString<SafeguardingOpenDisclosureMutation, SafeguardingOpenDisclosureMutationVariables>;
export const MyRecordDocument = new TypedDocumentString(`
    query MyRecord {
  me {
    client {
      id
      name
      dateOfBirth
      phone
      address {
        line1
        line2
        town
        postcode
      }
      services
      status
      keyworkers {
        name
        workPhone
      }
      caseNotes {
        occurredAt
        venue
        text
      }
      consents {
        id
        recipientOrganisation
        purpose
        dataCategories
        validUntil
        active
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordQuery, MyRecordQueryVariables>;
export const MySubjectAccessExportDocument = new TypedDocumentString(`
    query MySubjectAccessExport {
  mySubjectAccessExport {
    id
    record {
      name
      dateOfBirth
      address {
        line1
        town
        postcode
      }
      services
      status
      restricted
    }
    caseNotes {
      occurredAt
      venue
      text
      correction
    }
    consents {
      recipientOrganisation
      purpose
      dataCategories
      validFrom
      validUntil
      withdrawnAt
    }
  }
}
    `) as unknown as TypedDocumentString<MySubjectAccessExportQuery, MySubjectAccessExportQueryVariables>;
export const MyWithdrawConsentDocument = new TypedDocumentString(`
    mutation MyWithdrawConsent($consentId: ID!) {
  withdrawConsent(consentId: $consentId) {
    id
    withdrawnAt
    active
  }
}
    `) as unknown as TypedDocumentString<MyWithdrawConsentMutation, MyWithdrawConsentMutationVariables>;
export const KeyworkerCaseloadDocument = new TypedDocumentString(`
    query KeyworkerCaseload {
  myCaseload {
    id
    name
    status
    services
    restriction {
      contact {
        name
        workPhone
      }
    }
  }
}
    `) as unknown as TypedDocumentString<KeyworkerCaseloadQuery, KeyworkerCaseloadQueryVariables>;
export const KeyworkerClientRecordDocument = new TypedDocumentString(`
    query KeyworkerClientRecord($id: ID!) {
  client(id: $id) {
    id
    name
    dateOfBirth
    gender
    phone
    address {
      line1
      line2
      town
      postcode
    }
    services
    status
    referredOn
    team {
      name
    }
    keyworkers {
      name
      workPhone
    }
    restriction {
      reason
      contact {
        name
        workPhone
      }
    }
    caseNotes {
      id
      occurredAt
      venue
      text
      author {
        name
      }
      corrects {
        id
      }
    }
    homeVisits {
      id
      startedAt
      endedAt
      inProgress
    }
    consents {
      id
      recipientOrganisation
      purpose
      dataCategories
      validUntil
      active
    }
  }
}
    `) as unknown as TypedDocumentString<KeyworkerClientRecordQuery, KeyworkerClientRecordQueryVariables>;
export const KeyworkerEndHomeVisitDocument = new TypedDocumentString(`
    mutation KeyworkerEndHomeVisit($visitId: ID!) {
  endHomeVisit(visitId: $visitId) {
    id
    endedAt
    inProgress
  }
}
    `) as unknown as TypedDocumentString<KeyworkerEndHomeVisitMutation, KeyworkerEndHomeVisitMutationVariables>;
export const KeyworkerRecordCaseNoteDocument = new TypedDocumentString(`
    mutation KeyworkerRecordCaseNote($clientId: ID!, $occurredAt: String!, $venue: String!, $text: String!, $correctsNoteId: ID) {
  recordCaseNote(
    clientId: $clientId
    occurredAt: $occurredAt
    venue: $venue
    text: $text
    correctsNoteId: $correctsNoteId
  ) {
    id
    recordedAt
  }
}
    `) as unknown as TypedDocumentString<KeyworkerRecordCaseNoteMutation, KeyworkerRecordCaseNoteMutationVariables>;
export const KeyworkerStartHomeVisitDocument = new TypedDocumentString(`
    mutation KeyworkerStartHomeVisit($clientId: ID!) {
  startHomeVisit(clientId: $clientId) {
    id
    startedAt
    inProgress
  }
}
    `) as unknown as TypedDocumentString<KeyworkerStartHomeVisitMutation, KeyworkerStartHomeVisitMutationVariables>;
export const ManagerRecordDecisionNotToShareDocument = new TypedDocumentString(`
    mutation ManagerRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {
  recordDecisionNotToShare(
    subjectId: $subjectId
    requestingOrganisation: $requestingOrganisation
    purpose: $purpose
    dataCategories: $dataCategories
    reason: $reason
  ) {
    id
    decidedAt
  }
}
    `) as unknown as TypedDocumentString<ManagerRecordDecisionNotToShareMutation, ManagerRecordDecisionNotToShareMutationVariables>;
export const ManagerTeamDocument = new TypedDocumentString(`
    query ManagerTeam {
  me {
    role
    team {
      id
      name
      service
    }
  }
}
    `) as unknown as TypedDocumentString<ManagerTeamQuery, ManagerTeamQueryVariables>;
export const ManagerTeamCaseloadDocument = new TypedDocumentString(`
    query ManagerTeamCaseload($teamId: ID!) {
  teamCaseload(teamId: $teamId) {
    id
    name
    status
    services
    referredOn
    keyworkers {
      name
      workPhone
    }
    restriction {
      reason
      contact {
        name
      }
    }
    homeVisits {
      startedAt
      inProgress
      worker {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ManagerTeamCaseloadQuery, ManagerTeamCaseloadQueryVariables>;
export const TrusteeGrantedRecordsDocument = new TypedDocumentString(`
    query TrusteeGrantedRecords {
  myGrantedRecords {
    id
    name
    dateOfBirth
    services
    status
    team {
      name
    }
    caseNotes {
      occurredAt
      venue
      text
      author {
        name
      }
    }
    homeVisits {
      startedAt
      endedAt
    }
  }
}
    `) as unknown as TypedDocumentString<TrusteeGrantedRecordsQuery, TrusteeGrantedRecordsQueryVariables>;