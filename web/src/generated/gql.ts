/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query LensClient($id: ID!) {\n    client(id: $id) {\n      id\n      name\n      dateOfBirth\n      gender\n      phone\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      team {\n        name\n      }\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n      caseNotes {\n        recordedAt\n      }\n      consents {\n        recipientOrganisation\n        active\n      }\n    }\n  }\n": typeof types.LensClientDocument,
    "\n  query LensMyCaseload {\n    myCaseload {\n      id\n      name\n    }\n  }\n": typeof types.LensMyCaseloadDocument,
    "\n  query LensEmployees($offset: Int!) {\n    employees(limit: 100, offset: $offset) {\n      id\n      name\n    }\n  }\n": typeof types.LensEmployeesDocument,
    "\n  query LensEmployee($id: ID!) {\n    employee(id: $id) {\n      id\n      name\n      dateOfBirth\n      payrollNumber\n      post {\n        title\n      }\n      team {\n        name\n      }\n      startDate\n      lineManager {\n        name\n      }\n      contract {\n        type\n        hoursPerWeek\n      }\n      dbsCheck {\n        status\n      }\n    }\n  }\n": typeof types.LensEmployeeDocument,
    "\n  query LensVisits {\n    homeVisitsInProgress {\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        town\n        postcode\n      }\n    }\n  }\n": typeof types.LensVisitsDocument,
    "\n  query ConsoleAuditSubjectNames($ids: [ID!]!) {\n    auditSubjectNames(ids: $ids) {\n      name\n      subject {\n        id\n      }\n    }\n  }\n": typeof types.ConsoleAuditSubjectNamesDocument,
    "\n  query ConsoleDecisionsNotToShare($first: Int!, $after: ID) {\n    decisionsNotToShare(first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        requestingOrganisation\n        purpose\n        dataCategories\n        reason\n        decidedAt\n        decidedBy {\n          name\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ConsoleDecisionsNotToShareDocument,
    "\n  mutation ConsoleRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n    recordDecisionNotToShare(subjectId: $subjectId, requestingOrganisation: $requestingOrganisation, purpose: $purpose, dataCategories: $dataCategories, reason: $reason) {\n      id\n      decidedAt\n    }\n  }\n": typeof types.ConsoleRecordDecisionNotToShareDocument,
    "\n  query ConsoleMyTeamClients {\n    me {\n      team {\n        id\n      }\n    }\n  }\n": typeof types.ConsoleMyTeamClientsDocument,
    "\n  query ConsoleTeamClientsForDecision($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n    }\n  }\n": typeof types.ConsoleTeamClientsForDecisionDocument,
    "\n  query ConsoleHomeVisitsInProgress {\n    homeVisitsInProgress {\n      id\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      worker {\n        name\n        workPhone\n      }\n    }\n  }\n": typeof types.ConsoleHomeVisitsInProgressDocument,
    "\n  query ConsoleEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n    emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n      known\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n": typeof types.ConsoleEmergencyLookupDocument,
    "\n  query ConsoleMyCaseload {\n    myCaseload {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n": typeof types.ConsoleMyCaseloadDocument,
    "\n  query ConsoleSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n    subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        receivedOn\n        dueOn\n        originalDueOn\n        overdue\n        status\n        completedAt\n        extended\n        extension {\n          months\n          reason\n          personToldOn\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ConsoleSubjectAccessRegisterDocument,
    "\n  mutation ConsoleLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n    logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n      id\n      dueOn\n    }\n  }\n": typeof types.ConsoleLogSubjectAccessRequestDocument,
    "\n  mutation ConsoleCompleteSubjectAccessRequest($id: ID!) {\n    completeSubjectAccessRequest(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ConsoleCompleteSubjectAccessRequestDocument,
    "\n  mutation ConsoleExtendSubjectAccessRequest($id: ID!, $months: Int!, $personToldOn: String!, $reason: String!) {\n    extendSubjectAccessRequest(id: $id, months: $months, personToldOn: $personToldOn, reason: $reason) {\n      id\n      dueOn\n      extended\n    }\n  }\n": typeof types.ConsoleExtendSubjectAccessRequestDocument,
    "\n  query ConsoleMyTeam {\n    me {\n      team {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ConsoleMyTeamDocument,
    "\n  query ConsoleTeams {\n    teams {\n      id\n      name\n    }\n  }\n": typeof types.ConsoleTeamsDocument,
    "\n  query ConsoleTeamCaseload($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n": typeof types.ConsoleTeamCaseloadDocument,
    "\n  mutation ConsoleGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n    grantTrusteeAccess(subjectId: $subjectId, trusteeId: $trusteeId, complaintReference: $complaintReference, expiresAt: $expiresAt) {\n      id\n      expiresAt\n    }\n  }\n": typeof types.ConsoleGrantTrusteeAccessDocument,
    "\n  mutation ConsoleRevokeTrusteeAccess($id: ID!) {\n    revokeTrusteeAccess(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.ConsoleRevokeTrusteeAccessDocument,
    "\n  query ConsoleFindPeople($person: PersonSearchInput!) {\n    findPeople(person: $person) {\n      id\n    }\n  }\n": typeof types.ConsoleFindPeopleDocument,
};
const documents: Documents = {
    "\n  query LensClient($id: ID!) {\n    client(id: $id) {\n      id\n      name\n      dateOfBirth\n      gender\n      phone\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      team {\n        name\n      }\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n      caseNotes {\n        recordedAt\n      }\n      consents {\n        recipientOrganisation\n        active\n      }\n    }\n  }\n": types.LensClientDocument,
    "\n  query LensMyCaseload {\n    myCaseload {\n      id\n      name\n    }\n  }\n": types.LensMyCaseloadDocument,
    "\n  query LensEmployees($offset: Int!) {\n    employees(limit: 100, offset: $offset) {\n      id\n      name\n    }\n  }\n": types.LensEmployeesDocument,
    "\n  query LensEmployee($id: ID!) {\n    employee(id: $id) {\n      id\n      name\n      dateOfBirth\n      payrollNumber\n      post {\n        title\n      }\n      team {\n        name\n      }\n      startDate\n      lineManager {\n        name\n      }\n      contract {\n        type\n        hoursPerWeek\n      }\n      dbsCheck {\n        status\n      }\n    }\n  }\n": types.LensEmployeeDocument,
    "\n  query LensVisits {\n    homeVisitsInProgress {\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        town\n        postcode\n      }\n    }\n  }\n": types.LensVisitsDocument,
    "\n  query ConsoleAuditSubjectNames($ids: [ID!]!) {\n    auditSubjectNames(ids: $ids) {\n      name\n      subject {\n        id\n      }\n    }\n  }\n": types.ConsoleAuditSubjectNamesDocument,
    "\n  query ConsoleDecisionsNotToShare($first: Int!, $after: ID) {\n    decisionsNotToShare(first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        requestingOrganisation\n        purpose\n        dataCategories\n        reason\n        decidedAt\n        decidedBy {\n          name\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ConsoleDecisionsNotToShareDocument,
    "\n  mutation ConsoleRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n    recordDecisionNotToShare(subjectId: $subjectId, requestingOrganisation: $requestingOrganisation, purpose: $purpose, dataCategories: $dataCategories, reason: $reason) {\n      id\n      decidedAt\n    }\n  }\n": types.ConsoleRecordDecisionNotToShareDocument,
    "\n  query ConsoleMyTeamClients {\n    me {\n      team {\n        id\n      }\n    }\n  }\n": types.ConsoleMyTeamClientsDocument,
    "\n  query ConsoleTeamClientsForDecision($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n    }\n  }\n": types.ConsoleTeamClientsForDecisionDocument,
    "\n  query ConsoleHomeVisitsInProgress {\n    homeVisitsInProgress {\n      id\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      worker {\n        name\n        workPhone\n      }\n    }\n  }\n": types.ConsoleHomeVisitsInProgressDocument,
    "\n  query ConsoleEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n    emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n      known\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n": types.ConsoleEmergencyLookupDocument,
    "\n  query ConsoleMyCaseload {\n    myCaseload {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n": types.ConsoleMyCaseloadDocument,
    "\n  query ConsoleSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n    subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        receivedOn\n        dueOn\n        originalDueOn\n        overdue\n        status\n        completedAt\n        extended\n        extension {\n          months\n          reason\n          personToldOn\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ConsoleSubjectAccessRegisterDocument,
    "\n  mutation ConsoleLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n    logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n      id\n      dueOn\n    }\n  }\n": types.ConsoleLogSubjectAccessRequestDocument,
    "\n  mutation ConsoleCompleteSubjectAccessRequest($id: ID!) {\n    completeSubjectAccessRequest(id: $id) {\n      id\n      status\n    }\n  }\n": types.ConsoleCompleteSubjectAccessRequestDocument,
    "\n  mutation ConsoleExtendSubjectAccessRequest($id: ID!, $months: Int!, $personToldOn: String!, $reason: String!) {\n    extendSubjectAccessRequest(id: $id, months: $months, personToldOn: $personToldOn, reason: $reason) {\n      id\n      dueOn\n      extended\n    }\n  }\n": types.ConsoleExtendSubjectAccessRequestDocument,
    "\n  query ConsoleMyTeam {\n    me {\n      team {\n        id\n        name\n      }\n    }\n  }\n": types.ConsoleMyTeamDocument,
    "\n  query ConsoleTeams {\n    teams {\n      id\n      name\n    }\n  }\n": types.ConsoleTeamsDocument,
    "\n  query ConsoleTeamCaseload($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n": types.ConsoleTeamCaseloadDocument,
    "\n  mutation ConsoleGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n    grantTrusteeAccess(subjectId: $subjectId, trusteeId: $trusteeId, complaintReference: $complaintReference, expiresAt: $expiresAt) {\n      id\n      expiresAt\n    }\n  }\n": types.ConsoleGrantTrusteeAccessDocument,
    "\n  mutation ConsoleRevokeTrusteeAccess($id: ID!) {\n    revokeTrusteeAccess(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.ConsoleRevokeTrusteeAccessDocument,
    "\n  query ConsoleFindPeople($person: PersonSearchInput!) {\n    findPeople(person: $person) {\n      id\n    }\n  }\n": types.ConsoleFindPeopleDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LensClient($id: ID!) {\n    client(id: $id) {\n      id\n      name\n      dateOfBirth\n      gender\n      phone\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      team {\n        name\n      }\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n      caseNotes {\n        recordedAt\n      }\n      consents {\n        recipientOrganisation\n        active\n      }\n    }\n  }\n"): typeof import('./graphql').LensClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LensMyCaseload {\n    myCaseload {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').LensMyCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LensEmployees($offset: Int!) {\n    employees(limit: 100, offset: $offset) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').LensEmployeesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LensEmployee($id: ID!) {\n    employee(id: $id) {\n      id\n      name\n      dateOfBirth\n      payrollNumber\n      post {\n        title\n      }\n      team {\n        name\n      }\n      startDate\n      lineManager {\n        name\n      }\n      contract {\n        type\n        hoursPerWeek\n      }\n      dbsCheck {\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').LensEmployeeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LensVisits {\n    homeVisitsInProgress {\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        town\n        postcode\n      }\n    }\n  }\n"): typeof import('./graphql').LensVisitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditSubjectNames($ids: [ID!]!) {\n    auditSubjectNames(ids: $ids) {\n      name\n      subject {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleAuditSubjectNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDecisionsNotToShare($first: Int!, $after: ID) {\n    decisionsNotToShare(first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        requestingOrganisation\n        purpose\n        dataCategories\n        reason\n        decidedAt\n        decidedBy {\n          name\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleDecisionsNotToShareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n    recordDecisionNotToShare(subjectId: $subjectId, requestingOrganisation: $requestingOrganisation, purpose: $purpose, dataCategories: $dataCategories, reason: $reason) {\n      id\n      decidedAt\n    }\n  }\n"): typeof import('./graphql').ConsoleRecordDecisionNotToShareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMyTeamClients {\n    me {\n      team {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleMyTeamClientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTeamClientsForDecision($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').ConsoleTeamClientsForDecisionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleHomeVisitsInProgress {\n    homeVisitsInProgress {\n      id\n      startedAt\n      client {\n        name\n      }\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      worker {\n        name\n        workPhone\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleHomeVisitsInProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n    emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n      known\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleEmergencyLookupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMyCaseload {\n    myCaseload {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleMyCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n    subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n      hasNextPage\n      nodes {\n        id\n        receivedOn\n        dueOn\n        originalDueOn\n        overdue\n        status\n        completedAt\n        extended\n        extension {\n          months\n          reason\n          personToldOn\n        }\n        subject {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleSubjectAccessRegisterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n    logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n      id\n      dueOn\n    }\n  }\n"): typeof import('./graphql').ConsoleLogSubjectAccessRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCompleteSubjectAccessRequest($id: ID!) {\n    completeSubjectAccessRequest(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ConsoleCompleteSubjectAccessRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleExtendSubjectAccessRequest($id: ID!, $months: Int!, $personToldOn: String!, $reason: String!) {\n    extendSubjectAccessRequest(id: $id, months: $months, personToldOn: $personToldOn, reason: $reason) {\n      id\n      dueOn\n      extended\n    }\n  }\n"): typeof import('./graphql').ConsoleExtendSubjectAccessRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMyTeam {\n    me {\n      team {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleMyTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTeams {\n    teams {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').ConsoleTeamsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTeamCaseload($teamId: ID!) {\n    teamCaseload(teamId: $teamId) {\n      id\n      name\n      status\n      services\n      keyworkers {\n        name\n      }\n      restriction {\n        reason\n        contact {\n          name\n          workPhone\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ConsoleTeamCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n    grantTrusteeAccess(subjectId: $subjectId, trusteeId: $trusteeId, complaintReference: $complaintReference, expiresAt: $expiresAt) {\n      id\n      expiresAt\n    }\n  }\n"): typeof import('./graphql').ConsoleGrantTrusteeAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeTrusteeAccess($id: ID!) {\n    revokeTrusteeAccess(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): typeof import('./graphql').ConsoleRevokeTrusteeAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleFindPeople($person: PersonSearchInput!) {\n    findPeople(person: $person) {\n      id\n    }\n  }\n"): typeof import('./graphql').ConsoleFindPeopleDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
