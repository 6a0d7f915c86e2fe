/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

/** A person to find by exact name and date of birth. */
export type PersonSearchInput = {
  /** ISO 8601 date. */
  dateOfBirth: string;
  name: string;
};

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

export type LensClientQueryVariables = Exact<{
  id: string;
}>;


export type LensClientQuery = { client: { id: string, name: string | null, dateOfBirth: string | null, gender: Gender | null, phone: string | null, services: Array<string> | null, status: ClientStatus | null, address: { line1: string | null, town: string | null, postcode: string | null } | null, team: { name: string | null } | null, keyworkers: Array<{ name: string | null }> | null, restriction: { reason: RestrictionReason | null, contact: { name: string | null, workPhone: string | null } | null } | null, caseNotes: Array<{ recordedAt: string | null }> | null, consents: Array<{ recipientOrganisation: string | null, active: boolean | null }> | null } | null };

export type LensMyCaseloadQueryVariables = Exact<{ [key: string]: never; }>;


export type LensMyCaseloadQuery = { myCaseload: Array<{ id: string, name: string | null }> | null };

export type LensEmployeesQueryVariables = Exact<{
  offset: number;
}>;


export type LensEmployeesQuery = { employees: Array<{ id: string, name: string | null }> | null };

export type LensEmployeeQueryVariables = Exact<{
  id: string;
}>;


export type LensEmployeeQuery = { employee: { id: string, name: string | null, dateOfBirth: string | null, payrollNumber: string | null, startDate: string | null, post: { title: string | null } | null, team: { name: string | null } | null, lineManager: { name: string | null } | null, contract: { type: ContractType | null, hoursPerWeek: number | null } | null, dbsCheck: { status: DbsStatus | null } | null } | null };

export type LensVisitsQueryVariables = Exact<{ [key: string]: never; }>;


export type LensVisitsQuery = { homeVisitsInProgress: Array<{ startedAt: string | null, client: { name: string | null } | null, address: { line1: string | null, town: string | null, postcode: string | null } | null }> | null };

export type ConsoleAuditSubjectNamesQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type ConsoleAuditSubjectNamesQuery = { auditSubjectNames: Array<{ name: string | null, subject: { id: string } | null }> | null };

export type ConsoleDecisionsNotToShareQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleDecisionsNotToShareQuery = { decisionsNotToShare: { hasNextPage: boolean | null, nodes: Array<{ id: string, requestingOrganisation: string | null, purpose: string | null, dataCategories: Array<DataCategory> | null, reason: string | null, decidedAt: string | null, decidedBy: { name: string | null } | null, subject: { id: string, name: string | null } | null }> | null } | null };

export type ConsoleRecordDecisionNotToShareMutationVariables = Exact<{
  subjectId: string;
  requestingOrganisation: string;
  purpose: string;
  dataCategories: Array<DataCategory> | DataCategory;
  reason: string;
}>;


export type ConsoleRecordDecisionNotToShareMutation = { recordDecisionNotToShare: { id: string, decidedAt: string | null } | null };

export type ConsoleMyTeamClientsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMyTeamClientsQuery = { me: { team: { id: string } | null } | null };

export type ConsoleTeamClientsForDecisionQueryVariables = Exact<{
  teamId: string;
}>;


export type ConsoleTeamClientsForDecisionQuery = { teamCaseload: Array<{ id: string, name: string | null }> | null };

export type ConsoleHomeVisitsInProgressQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleHomeVisitsInProgressQuery = { homeVisitsInProgress: Array<{ id: string, startedAt: string | null, client: { name: string | null } | null, address: { line1: string | null, line2: string | null, town: string | null, postcode: string | null } | null, worker: { name: string | null, workPhone: string | null } | null }> | null };

export type ConsoleEmergencyLookupQueryVariables = Exact<{
  name: string;
  dateOfBirth: string;
  caller: EmergencyCallerInput;
}>;


export type ConsoleEmergencyLookupQuery = { emergencyLookup: { known: boolean, contact: { name: string | null, workPhone: string | null } | null } | null };

export type ConsoleMyCaseloadQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMyCaseloadQuery = { myCaseload: Array<{ id: string, name: string | null, status: ClientStatus | null, services: Array<string> | null, keyworkers: Array<{ name: string | null }> | null, restriction: { reason: RestrictionReason | null, contact: { name: string | null, workPhone: string | null } | null } | null }> | null };

export type ConsoleSubjectAccessRegisterQueryVariables = Exact<{
  filter: SubjectAccessRegisterFilter;
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleSubjectAccessRegisterQuery = { subjectAccessRegister: { hasNextPage: boolean | null, nodes: Array<{ id: string, receivedOn: string | null, dueOn: string | null, originalDueOn: string | null, overdue: boolean | null, status: SubjectAccessRequestStatus | null, completedAt: string | null, extended: boolean | null, extension: { months: number | null, reason: string | null, personToldOn: string | null } | null, subject: { id: string, name: string | null } | null }> | null } | null };

export type ConsoleLogSubjectAccessRequestMutationVariables = Exact<{
  subjectId: string;
  receivedOn: string;
}>;


export type ConsoleLogSubjectAccessRequestMutation = { logSubjectAccessRequest: { id: string, dueOn: string | null } | null };

export type ConsoleCompleteSubjectAccessRequestMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleCompleteSubjectAccessRequestMutation = { completeSubjectAccessRequest: { id: string, status: SubjectAccessRequestStatus | null } | null };

export type ConsoleExtendSubjectAccessRequestMutationVariables = Exact<{
  id: string;
  months: number;
  personToldOn: string;
  reason: string;
}>;


export type ConsoleExtendSubjectAccessRequestMutation = { extendSubjectAccessRequest: { id: string, dueOn: string | null, extended: boolean | null } | null };

export type ConsoleMyTeamQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMyTeamQuery = { me: { team: { id: string, name: string | null } | null } | null };

export type ConsoleTeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTeamsQuery = { teams: Array<{ id: string, name: string | null }> | null };

export type ConsoleTeamCaseloadQueryVariables = Exact<{
  teamId: string;
}>;


export type ConsoleTeamCaseloadQuery = { teamCaseload: Array<{ id: string, name: string | null, status: ClientStatus | null, services: Array<string> | null, keyworkers: Array<{ name: string | null }> | null, restriction: { reason: RestrictionReason | null, contact: { name: string | null, workPhone: string | null } | null } | null }> | null };

export type ConsoleGrantTrusteeAccessMutationVariables = Exact<{
  subjectId: string;
  trusteeId: string;
  complaintReference: string;
  expiresAt: string;
}>;


export type ConsoleGrantTrusteeAccessMutation = { grantTrusteeAccess: { id: string, expiresAt: string | null } | null };

export type ConsoleRevokeTrusteeAccessMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRevokeTrusteeAccessMutation = { revokeTrusteeAccess: { id: string, revokedAt: string | null } | null };

export type ConsoleFindPeopleQueryVariables = Exact<{
  person: PersonSearchInput;
}>;


export type ConsoleFindPeopleQuery = { findPeople: Array<{ id: string }> | null };

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

export const LensClientDocument = new TypedDocumentString(`
    query LensClient($id: ID!) {
  client(id: $id) {
    id
    name
    dateOfBirth
    gender
    phone
    address {
      line1
      town
      postcode
    }
    services
    status
    team {
      name
    }
    keyworkers {
      name
    }
    restriction {
      reason
      contact {
        name
        workPhone
      }
    }
    caseNotes {
      recordedAt
    }
    consents {
      recipientOrganisation
      active
    }
  }
}
    `) as unknown as TypedDocumentString<LensClientQuery, LensClientQueryVariables>;
export const LensMyCaseloadDocument = new TypedDocumentString(`
    query LensMyCaseload {
  myCaseload {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<LensMyCaseloadQuery, LensMyCaseloadQueryVariables>;
export const LensEmployeesDocument = new TypedDocumentString(`
    query LensEmployees($offset: Int!) {
  employees(limit: 100, offset: $offset) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<LensEmployeesQuery, LensEmployeesQueryVariables>;
export const LensEmployeeDocument = new TypedDocumentString(`
    query LensEmployee($id: ID!) {
  employee(id: $id) {
    id
    name
    dateOfBirth
    payrollNumber
    post {
      title
    }
    team {
      name
    }
    startDate
    lineManager {
      name
    }
    contract {
      type
      hoursPerWeek
    }
    dbsCheck {
      status
    }
  }
}
    `) as unknown as TypedDocumentString<LensEmployeeQuery, LensEmployeeQueryVariables>;
export const LensVisitsDocument = new TypedDocumentString(`
    query LensVisits {
  homeVisitsInProgress {
    startedAt
    client {
      name
    }
    address {
      line1
      town
      postcode
    }
  }
}
    `) as unknown as TypedDocumentString<LensVisitsQuery, LensVisitsQueryVariables>;
export const ConsoleAuditSubjectNamesDocument = new TypedDocumentString(`
    query ConsoleAuditSubjectNames($ids: [ID!]!) {
  auditSubjectNames(ids: $ids) {
    name
    subject {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleAuditSubjectNamesQuery, ConsoleAuditSubjectNamesQueryVariables>;
export const ConsoleDecisionsNotToShareDocument = new TypedDocumentString(`
    query ConsoleDecisionsNotToShare($first: Int!, $after: ID) {
  decisionsNotToShare(first: $first, after: $after) {
    hasNextPage
    nodes {
      id
      requestingOrganisation
      purpose
      dataCategories
      reason
      decidedAt
      decidedBy {
        name
      }
      subject {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDecisionsNotToShareQuery, ConsoleDecisionsNotToShareQueryVariables>;
export const ConsoleRecordDecisionNotToShareDocument = new TypedDocumentString(`
    mutation ConsoleRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {
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
    `) as unknown as TypedDocumentString<ConsoleRecordDecisionNotToShareMutation, ConsoleRecordDecisionNotToShareMutationVariables>;
export const ConsoleMyTeamClientsDocument = new TypedDocumentString(`
    query ConsoleMyTeamClients {
  me {
    team {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMyTeamClientsQuery, ConsoleMyTeamClientsQueryVariables>;
export const ConsoleTeamClientsForDecisionDocument = new TypedDocumentString(`
    query ConsoleTeamClientsForDecision($teamId: ID!) {
  teamCaseload(teamId: $teamId) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<ConsoleTeamClientsForDecisionQuery, ConsoleTeamClientsForDecisionQueryVariables>;
export const ConsoleHomeVisitsInProgressDocument = new TypedDocumentString(`
    query ConsoleHomeVisitsInProgress {
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
    `) as unknown as TypedDocumentString<ConsoleHomeVisitsInProgressQuery, ConsoleHomeVisitsInProgressQueryVariables>;
export const ConsoleEmergencyLookupDocument = new TypedDocumentString(`
    query ConsoleEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {
  emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {
    known
    contact {
      name
      workPhone
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleEmergencyLookupQuery, ConsoleEmergencyLookupQueryVariables>;
export const ConsoleMyCaseloadDocument = new TypedDocumentString(`
    query ConsoleMyCaseload {
  myCaseload {
    id
    name
    status
    services
    keyworkers {
      name
    }
    restriction {
      reason
      contact {
        name
        workPhone
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMyCaseloadQuery, ConsoleMyCaseloadQueryVariables>;
export const ConsoleSubjectAccessRegisterDocument = new TypedDocumentString(`
    query ConsoleSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {
  subjectAccessRegister(filter: $filter, first: $first, after: $after) {
    hasNextPage
    nodes {
      id
      receivedOn
      dueOn
      originalDueOn
      overdue
      status
      completedAt
      extended
      extension {
        months
        reason
        personToldOn
      }
      subject {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSubjectAccessRegisterQuery, ConsoleSubjectAccessRegisterQueryVariables>;
export const ConsoleLogSubjectAccessRequestDocument = new TypedDocumentString(`
    mutation ConsoleLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {
  logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {
    id
    dueOn
  }
}
    `) as unknown as TypedDocumentString<ConsoleLogSubjectAccessRequestMutation, ConsoleLogSubjectAccessRequestMutationVariables>;
export const ConsoleCompleteSubjectAccessRequestDocument = new TypedDocumentString(`
    mutation ConsoleCompleteSubjectAccessRequest($id: ID!) {
  completeSubjectAccessRequest(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ConsoleCompleteSubjectAccessRequestMutation, ConsoleCompleteSubjectAccessRequestMutationVariables>;
export const ConsoleExtendSubjectAccessRequestDocument = new TypedDocumentString(`
    mutation ConsoleExtendSubjectAccessRequest($id: ID!, $months: Int!, $personToldOn: String!, $reason: String!) {
  extendSubjectAccessRequest(
    id: $id
    months: $months
    personToldOn: $personToldOn
    reason: $reason
  ) {
    id
    dueOn
    extended
  }
}
    `) as unknown as TypedDocumentString<ConsoleExtendSubjectAccessRequestMutation, ConsoleExtendSubjectAccessRequestMutationVariables>;
export const ConsoleMyTeamDocument = new TypedDocumentString(`
    query ConsoleMyTeam {
  me {
    team {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMyTeamQuery, ConsoleMyTeamQueryVariables>;
export const ConsoleTeamsDocument = new TypedDocumentString(`
    query ConsoleTeams {
  teams {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<ConsoleTeamsQuery, ConsoleTeamsQueryVariables>;
export const ConsoleTeamCaseloadDocument = new TypedDocumentString(`
    query ConsoleTeamCaseload($teamId: ID!) {
  teamCaseload(teamId: $teamId) {
    id
    name
    status
    services
    keyworkers {
      name
    }
    restriction {
      reason
      contact {
        name
        workPhone
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleTeamCaseloadQuery, ConsoleTeamCaseloadQueryVariables>;
export const ConsoleGrantTrusteeAccessDocument = new TypedDocumentString(`
    mutation ConsoleGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {
  grantTrusteeAccess(
    subjectId: $subjectId
    trusteeId: $trusteeId
    complaintReference: $complaintReference
    expiresAt: $expiresAt
  ) {
    id
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleGrantTrusteeAccessMutation, ConsoleGrantTrusteeAccessMutationVariables>;
export const ConsoleRevokeTrusteeAccessDocument = new TypedDocumentString(`
    mutation ConsoleRevokeTrusteeAccess($id: ID!) {
  revokeTrusteeAccess(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<ConsoleRevokeTrusteeAccessMutation, ConsoleRevokeTrusteeAccessMutationVariables>;
export const ConsoleFindPeopleDocument = new TypedDocumentString(`
    query ConsoleFindPeople($person: PersonSearchInput!) {
  findPeople(person: $person) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleFindPeopleQuery, ConsoleFindPeopleQueryVariables>;