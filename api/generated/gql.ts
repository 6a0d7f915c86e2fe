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
    "query DpoDecisionsNotToShare($first: Int!, $after: ID) {\n  decisionsNotToShare(first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n      }\n      requestingOrganisation\n      purpose\n      dataCategories\n      reason\n      decidedAt\n      decidedBy {\n        name\n      }\n    }\n  }\n}": typeof types.DpoDecisionsNotToShareDocument,
    "query DpoFindPeople($person: PersonSearchInput!) {\n  findPeople(person: $person) {\n    id\n    name\n  }\n}": typeof types.DpoFindPeopleDocument,
    "mutation DpoGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n  grantTrusteeAccess(\n    subjectId: $subjectId\n    trusteeId: $trusteeId\n    complaintReference: $complaintReference\n    expiresAt: $expiresAt\n  ) {\n    id\n    trusteeId\n    complaintReference\n    expiresAt\n    active\n  }\n}": typeof types.DpoGrantTrusteeAccessDocument,
    "mutation DpoLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n  logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n    id\n    receivedOn\n    dueOn\n    status\n  }\n}": typeof types.DpoLogSubjectAccessRequestDocument,
    "query DpoSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n  subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n        name\n      }\n      receivedOn\n      dueOn\n      originalDueOn\n      status\n      overdue\n      extended\n      completedAt\n      loggedBy {\n        name\n      }\n    }\n  }\n}": typeof types.DpoSubjectAccessRegisterDocument,
    "query DutyEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n  emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n    known\n    contact {\n      name\n      workPhone\n    }\n  }\n}": typeof types.DutyEmergencyLookupDocument,
    "query DutyVisitsInProgress {\n  homeVisitsInProgress {\n    id\n    startedAt\n    client {\n      name\n    }\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    worker {\n      name\n      workPhone\n    }\n  }\n}": typeof types.DutyVisitsInProgressDocument,
    "query AgencyClient($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    caseNotes {\n      occurredAt\n      venue\n      text\n    }\n  }\n}": typeof types.AgencyClientDocument,
    "query AgencyWhoAmI {\n  me {\n    role\n    organisation\n    purpose\n  }\n}": typeof types.AgencyWhoAmIDocument,
    "query HrEmployeePage($id: ID!) {\n  employee(id: $id) {\n    id\n    payrollNumber\n    name\n    dateOfBirth\n    niNumber\n    homeAddress {\n      line1\n      line2\n      town\n      postcode\n    }\n    post {\n      id\n      title\n      grade\n    }\n    team {\n      name\n    }\n    lineManager {\n      name\n      workPhone\n    }\n    startDate\n    contract {\n      type\n      hoursPerWeek\n    }\n    absences {\n      id\n      kind\n      startDate\n      endDate\n    }\n    training {\n      course\n      completedOn\n      expiresOn\n    }\n    dbsCheck {\n      level\n      certificateNumber\n      issuedOn\n      status\n    }\n  }\n}": typeof types.HrEmployeePageDocument,
    "query HrEmployees($limit: Int!, $offset: Int!) {\n  employees(limit: $limit, offset: $offset) {\n    id\n    payrollNumber\n    name\n    post {\n      title\n    }\n    team {\n      name\n    }\n  }\n}": typeof types.HrEmployeesDocument,
    "fragment ReportTableParts on ReportTable {\n  name\n  period\n  rowDimension\n  columnDimension\n  columns\n  threshold\n  roundingBase\n  rows {\n    label\n    cells {\n      value\n      suppressed\n    }\n    total {\n      value\n      suppressed\n    }\n  }\n  columnTotals {\n    value\n    suppressed\n  }\n  grandTotal {\n    value\n    suppressed\n  }\n}": typeof types.ReportTablePartsFragmentDoc,
    "query ReportingCaseload($period: String!, $rows: CaseloadDimension!, $columns: CaseloadDimension!) {\n  caseloadReport(period: $period, rows: $rows, columns: $columns) {\n    ...ReportTableParts\n  }\n}": typeof types.ReportingCaseloadDocument,
    "query ReportingHeadcount {\n  headcountReport {\n    ...ReportTableParts\n  }\n}": typeof types.ReportingHeadcountDocument,
    "query ReportingReferralsAndClosures($period: String!, $rows: ReferralDimension!) {\n  referralsAndClosuresReport(period: $period, rows: $rows) {\n    ...ReportTableParts\n  }\n}": typeof types.ReportingReferralsAndClosuresDocument,
    "mutation SafeguardingCloseDisclosure($id: ID!) {\n  closeExceptionalDisclosure(id: $id) {\n    id\n    closedAt\n    active\n  }\n}": typeof types.SafeguardingCloseDisclosureDocument,
    "query SafeguardingDisclosures($activeOnly: Boolean!) {\n  exceptionalDisclosures(activeOnly: $activeOnly) {\n    id\n    subject {\n      id\n      name\n    }\n    recipientOrganisation\n    legalBasis\n    reason\n    dataCategories\n    openedBy {\n      name\n    }\n    openedAt\n    expiresAt\n    closedAt\n    active\n  }\n}": typeof types.SafeguardingDisclosuresDocument,
    "mutation SafeguardingOpenDisclosure($subjectId: ID!, $recipientOrganisation: String!, $legalBasis: LegalBasis!, $reason: String!, $expiresInHours: Int) {\n  openExceptionalDisclosure(\n    subjectId: $subjectId\n    recipientOrganisation: $recipientOrganisation\n    legalBasis: $legalBasis\n    reason: $reason\n    expiresInHours: $expiresInHours\n  ) {\n    id\n    dataCategories\n    expiresAt\n    active\n  }\n}": typeof types.SafeguardingOpenDisclosureDocument,
    "query MyRecord {\n  me {\n    client {\n      id\n      name\n      dateOfBirth\n      phone\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      services\n      status\n      keyworkers {\n        name\n        workPhone\n      }\n      caseNotes {\n        occurredAt\n        venue\n        text\n      }\n      consents {\n        id\n        recipientOrganisation\n        purpose\n        dataCategories\n        validUntil\n        active\n      }\n    }\n  }\n}": typeof types.MyRecordDocument,
    "query MySubjectAccessExport {\n  mySubjectAccessExport {\n    id\n    record {\n      name\n      dateOfBirth\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      restricted\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      correction\n    }\n    consents {\n      recipientOrganisation\n      purpose\n      dataCategories\n      validFrom\n      validUntil\n      withdrawnAt\n    }\n  }\n}": typeof types.MySubjectAccessExportDocument,
    "mutation MyWithdrawConsent($consentId: ID!) {\n  withdrawConsent(consentId: $consentId) {\n    id\n    withdrawnAt\n    active\n  }\n}": typeof types.MyWithdrawConsentDocument,
    "query KeyworkerCaseload {\n  myCaseload {\n    id\n    name\n    status\n    services\n    restriction {\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n}": typeof types.KeyworkerCaseloadDocument,
    "query KeyworkerClientRecord($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    gender\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    referredOn\n    team {\n      name\n    }\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n        workPhone\n      }\n    }\n    caseNotes {\n      id\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n      corrects {\n        id\n      }\n    }\n    homeVisits {\n      id\n      startedAt\n      endedAt\n      inProgress\n    }\n    consents {\n      id\n      recipientOrganisation\n      purpose\n      dataCategories\n      validUntil\n      active\n    }\n  }\n}": typeof types.KeyworkerClientRecordDocument,
    "mutation KeyworkerEndHomeVisit($visitId: ID!) {\n  endHomeVisit(visitId: $visitId) {\n    id\n    endedAt\n    inProgress\n  }\n}": typeof types.KeyworkerEndHomeVisitDocument,
    "mutation KeyworkerRecordCaseNote($clientId: ID!, $occurredAt: String!, $venue: String!, $text: String!, $correctsNoteId: ID) {\n  recordCaseNote(\n    clientId: $clientId\n    occurredAt: $occurredAt\n    venue: $venue\n    text: $text\n    correctsNoteId: $correctsNoteId\n  ) {\n    id\n    recordedAt\n  }\n}": typeof types.KeyworkerRecordCaseNoteDocument,
    "mutation KeyworkerStartHomeVisit($clientId: ID!) {\n  startHomeVisit(clientId: $clientId) {\n    id\n    startedAt\n    inProgress\n  }\n}": typeof types.KeyworkerStartHomeVisitDocument,
    "mutation ManagerRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n  recordDecisionNotToShare(\n    subjectId: $subjectId\n    requestingOrganisation: $requestingOrganisation\n    purpose: $purpose\n    dataCategories: $dataCategories\n    reason: $reason\n  ) {\n    id\n    decidedAt\n  }\n}": typeof types.ManagerRecordDecisionNotToShareDocument,
    "query ManagerTeam {\n  me {\n    role\n    team {\n      id\n      name\n      service\n    }\n  }\n}": typeof types.ManagerTeamDocument,
    "query ManagerTeamCaseload($teamId: ID!) {\n  teamCaseload(teamId: $teamId) {\n    id\n    name\n    status\n    services\n    referredOn\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      inProgress\n      worker {\n        name\n      }\n    }\n  }\n}": typeof types.ManagerTeamCaseloadDocument,
    "query TrusteeGrantedRecords {\n  myGrantedRecords {\n    id\n    name\n    dateOfBirth\n    services\n    status\n    team {\n      name\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      endedAt\n    }\n  }\n}": typeof types.TrusteeGrantedRecordsDocument,
};
const documents: Documents = {
    "query DpoDecisionsNotToShare($first: Int!, $after: ID) {\n  decisionsNotToShare(first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n      }\n      requestingOrganisation\n      purpose\n      dataCategories\n      reason\n      decidedAt\n      decidedBy {\n        name\n      }\n    }\n  }\n}": types.DpoDecisionsNotToShareDocument,
    "query DpoFindPeople($person: PersonSearchInput!) {\n  findPeople(person: $person) {\n    id\n    name\n  }\n}": types.DpoFindPeopleDocument,
    "mutation DpoGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n  grantTrusteeAccess(\n    subjectId: $subjectId\n    trusteeId: $trusteeId\n    complaintReference: $complaintReference\n    expiresAt: $expiresAt\n  ) {\n    id\n    trusteeId\n    complaintReference\n    expiresAt\n    active\n  }\n}": types.DpoGrantTrusteeAccessDocument,
    "mutation DpoLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n  logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n    id\n    receivedOn\n    dueOn\n    status\n  }\n}": types.DpoLogSubjectAccessRequestDocument,
    "query DpoSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n  subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n        name\n      }\n      receivedOn\n      dueOn\n      originalDueOn\n      status\n      overdue\n      extended\n      completedAt\n      loggedBy {\n        name\n      }\n    }\n  }\n}": types.DpoSubjectAccessRegisterDocument,
    "query DutyEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n  emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n    known\n    contact {\n      name\n      workPhone\n    }\n  }\n}": types.DutyEmergencyLookupDocument,
    "query DutyVisitsInProgress {\n  homeVisitsInProgress {\n    id\n    startedAt\n    client {\n      name\n    }\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    worker {\n      name\n      workPhone\n    }\n  }\n}": types.DutyVisitsInProgressDocument,
    "query AgencyClient($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    caseNotes {\n      occurredAt\n      venue\n      text\n    }\n  }\n}": types.AgencyClientDocument,
    "query AgencyWhoAmI {\n  me {\n    role\n    organisation\n    purpose\n  }\n}": types.AgencyWhoAmIDocument,
    "query HrEmployeePage($id: ID!) {\n  employee(id: $id) {\n    id\n    payrollNumber\n    name\n    dateOfBirth\n    niNumber\n    homeAddress {\n      line1\n      line2\n      town\n      postcode\n    }\n    post {\n      id\n      title\n      grade\n    }\n    team {\n      name\n    }\n    lineManager {\n      name\n      workPhone\n    }\n    startDate\n    contract {\n      type\n      hoursPerWeek\n    }\n    absences {\n      id\n      kind\n      startDate\n      endDate\n    }\n    training {\n      course\n      completedOn\n      expiresOn\n    }\n    dbsCheck {\n      level\n      certificateNumber\n      issuedOn\n      status\n    }\n  }\n}": types.HrEmployeePageDocument,
    "query HrEmployees($limit: Int!, $offset: Int!) {\n  employees(limit: $limit, offset: $offset) {\n    id\n    payrollNumber\n    name\n    post {\n      title\n    }\n    team {\n      name\n    }\n  }\n}": types.HrEmployeesDocument,
    "fragment ReportTableParts on ReportTable {\n  name\n  period\n  rowDimension\n  columnDimension\n  columns\n  threshold\n  roundingBase\n  rows {\n    label\n    cells {\n      value\n      suppressed\n    }\n    total {\n      value\n      suppressed\n    }\n  }\n  columnTotals {\n    value\n    suppressed\n  }\n  grandTotal {\n    value\n    suppressed\n  }\n}": types.ReportTablePartsFragmentDoc,
    "query ReportingCaseload($period: String!, $rows: CaseloadDimension!, $columns: CaseloadDimension!) {\n  caseloadReport(period: $period, rows: $rows, columns: $columns) {\n    ...ReportTableParts\n  }\n}": types.ReportingCaseloadDocument,
    "query ReportingHeadcount {\n  headcountReport {\n    ...ReportTableParts\n  }\n}": types.ReportingHeadcountDocument,
    "query ReportingReferralsAndClosures($period: String!, $rows: ReferralDimension!) {\n  referralsAndClosuresReport(period: $period, rows: $rows) {\n    ...ReportTableParts\n  }\n}": types.ReportingReferralsAndClosuresDocument,
    "mutation SafeguardingCloseDisclosure($id: ID!) {\n  closeExceptionalDisclosure(id: $id) {\n    id\n    closedAt\n    active\n  }\n}": types.SafeguardingCloseDisclosureDocument,
    "query SafeguardingDisclosures($activeOnly: Boolean!) {\n  exceptionalDisclosures(activeOnly: $activeOnly) {\n    id\n    subject {\n      id\n      name\n    }\n    recipientOrganisation\n    legalBasis\n    reason\n    dataCategories\n    openedBy {\n      name\n    }\n    openedAt\n    expiresAt\n    closedAt\n    active\n  }\n}": types.SafeguardingDisclosuresDocument,
    "mutation SafeguardingOpenDisclosure($subjectId: ID!, $recipientOrganisation: String!, $legalBasis: LegalBasis!, $reason: String!, $expiresInHours: Int) {\n  openExceptionalDisclosure(\n    subjectId: $subjectId\n    recipientOrganisation: $recipientOrganisation\n    legalBasis: $legalBasis\n    reason: $reason\n    expiresInHours: $expiresInHours\n  ) {\n    id\n    dataCategories\n    expiresAt\n    active\n  }\n}": types.SafeguardingOpenDisclosureDocument,
    "query MyRecord {\n  me {\n    client {\n      id\n      name\n      dateOfBirth\n      phone\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      services\n      status\n      keyworkers {\n        name\n        workPhone\n      }\n      caseNotes {\n        occurredAt\n        venue\n        text\n      }\n      consents {\n        id\n        recipientOrganisation\n        purpose\n        dataCategories\n        validUntil\n        active\n      }\n    }\n  }\n}": types.MyRecordDocument,
    "query MySubjectAccessExport {\n  mySubjectAccessExport {\n    id\n    record {\n      name\n      dateOfBirth\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      restricted\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      correction\n    }\n    consents {\n      recipientOrganisation\n      purpose\n      dataCategories\n      validFrom\n      validUntil\n      withdrawnAt\n    }\n  }\n}": types.MySubjectAccessExportDocument,
    "mutation MyWithdrawConsent($consentId: ID!) {\n  withdrawConsent(consentId: $consentId) {\n    id\n    withdrawnAt\n    active\n  }\n}": types.MyWithdrawConsentDocument,
    "query KeyworkerCaseload {\n  myCaseload {\n    id\n    name\n    status\n    services\n    restriction {\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n}": types.KeyworkerCaseloadDocument,
    "query KeyworkerClientRecord($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    gender\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    referredOn\n    team {\n      name\n    }\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n        workPhone\n      }\n    }\n    caseNotes {\n      id\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n      corrects {\n        id\n      }\n    }\n    homeVisits {\n      id\n      startedAt\n      endedAt\n      inProgress\n    }\n    consents {\n      id\n      recipientOrganisation\n      purpose\n      dataCategories\n      validUntil\n      active\n    }\n  }\n}": types.KeyworkerClientRecordDocument,
    "mutation KeyworkerEndHomeVisit($visitId: ID!) {\n  endHomeVisit(visitId: $visitId) {\n    id\n    endedAt\n    inProgress\n  }\n}": types.KeyworkerEndHomeVisitDocument,
    "mutation KeyworkerRecordCaseNote($clientId: ID!, $occurredAt: String!, $venue: String!, $text: String!, $correctsNoteId: ID) {\n  recordCaseNote(\n    clientId: $clientId\n    occurredAt: $occurredAt\n    venue: $venue\n    text: $text\n    correctsNoteId: $correctsNoteId\n  ) {\n    id\n    recordedAt\n  }\n}": types.KeyworkerRecordCaseNoteDocument,
    "mutation KeyworkerStartHomeVisit($clientId: ID!) {\n  startHomeVisit(clientId: $clientId) {\n    id\n    startedAt\n    inProgress\n  }\n}": types.KeyworkerStartHomeVisitDocument,
    "mutation ManagerRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n  recordDecisionNotToShare(\n    subjectId: $subjectId\n    requestingOrganisation: $requestingOrganisation\n    purpose: $purpose\n    dataCategories: $dataCategories\n    reason: $reason\n  ) {\n    id\n    decidedAt\n  }\n}": types.ManagerRecordDecisionNotToShareDocument,
    "query ManagerTeam {\n  me {\n    role\n    team {\n      id\n      name\n      service\n    }\n  }\n}": types.ManagerTeamDocument,
    "query ManagerTeamCaseload($teamId: ID!) {\n  teamCaseload(teamId: $teamId) {\n    id\n    name\n    status\n    services\n    referredOn\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      inProgress\n      worker {\n        name\n      }\n    }\n  }\n}": types.ManagerTeamCaseloadDocument,
    "query TrusteeGrantedRecords {\n  myGrantedRecords {\n    id\n    name\n    dateOfBirth\n    services\n    status\n    team {\n      name\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      endedAt\n    }\n  }\n}": types.TrusteeGrantedRecordsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DpoDecisionsNotToShare($first: Int!, $after: ID) {\n  decisionsNotToShare(first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n      }\n      requestingOrganisation\n      purpose\n      dataCategories\n      reason\n      decidedAt\n      decidedBy {\n        name\n      }\n    }\n  }\n}"): typeof import('./graphql').DpoDecisionsNotToShareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DpoFindPeople($person: PersonSearchInput!) {\n  findPeople(person: $person) {\n    id\n    name\n  }\n}"): typeof import('./graphql').DpoFindPeopleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DpoGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {\n  grantTrusteeAccess(\n    subjectId: $subjectId\n    trusteeId: $trusteeId\n    complaintReference: $complaintReference\n    expiresAt: $expiresAt\n  ) {\n    id\n    trusteeId\n    complaintReference\n    expiresAt\n    active\n  }\n}"): typeof import('./graphql').DpoGrantTrusteeAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DpoLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {\n  logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {\n    id\n    receivedOn\n    dueOn\n    status\n  }\n}"): typeof import('./graphql').DpoLogSubjectAccessRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DpoSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {\n  subjectAccessRegister(filter: $filter, first: $first, after: $after) {\n    hasNextPage\n    nodes {\n      id\n      subject {\n        id\n        name\n      }\n      receivedOn\n      dueOn\n      originalDueOn\n      status\n      overdue\n      extended\n      completedAt\n      loggedBy {\n        name\n      }\n    }\n  }\n}"): typeof import('./graphql').DpoSubjectAccessRegisterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DutyEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {\n  emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {\n    known\n    contact {\n      name\n      workPhone\n    }\n  }\n}"): typeof import('./graphql').DutyEmergencyLookupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DutyVisitsInProgress {\n  homeVisitsInProgress {\n    id\n    startedAt\n    client {\n      name\n    }\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    worker {\n      name\n      workPhone\n    }\n  }\n}"): typeof import('./graphql').DutyVisitsInProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AgencyClient($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    caseNotes {\n      occurredAt\n      venue\n      text\n    }\n  }\n}"): typeof import('./graphql').AgencyClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AgencyWhoAmI {\n  me {\n    role\n    organisation\n    purpose\n  }\n}"): typeof import('./graphql').AgencyWhoAmIDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HrEmployeePage($id: ID!) {\n  employee(id: $id) {\n    id\n    payrollNumber\n    name\n    dateOfBirth\n    niNumber\n    homeAddress {\n      line1\n      line2\n      town\n      postcode\n    }\n    post {\n      id\n      title\n      grade\n    }\n    team {\n      name\n    }\n    lineManager {\n      name\n      workPhone\n    }\n    startDate\n    contract {\n      type\n      hoursPerWeek\n    }\n    absences {\n      id\n      kind\n      startDate\n      endDate\n    }\n    training {\n      course\n      completedOn\n      expiresOn\n    }\n    dbsCheck {\n      level\n      certificateNumber\n      issuedOn\n      status\n    }\n  }\n}"): typeof import('./graphql').HrEmployeePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query HrEmployees($limit: Int!, $offset: Int!) {\n  employees(limit: $limit, offset: $offset) {\n    id\n    payrollNumber\n    name\n    post {\n      title\n    }\n    team {\n      name\n    }\n  }\n}"): typeof import('./graphql').HrEmployeesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ReportTableParts on ReportTable {\n  name\n  period\n  rowDimension\n  columnDimension\n  columns\n  threshold\n  roundingBase\n  rows {\n    label\n    cells {\n      value\n      suppressed\n    }\n    total {\n      value\n      suppressed\n    }\n  }\n  columnTotals {\n    value\n    suppressed\n  }\n  grandTotal {\n    value\n    suppressed\n  }\n}"): typeof import('./graphql').ReportTablePartsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReportingCaseload($period: String!, $rows: CaseloadDimension!, $columns: CaseloadDimension!) {\n  caseloadReport(period: $period, rows: $rows, columns: $columns) {\n    ...ReportTableParts\n  }\n}"): typeof import('./graphql').ReportingCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReportingHeadcount {\n  headcountReport {\n    ...ReportTableParts\n  }\n}"): typeof import('./graphql').ReportingHeadcountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReportingReferralsAndClosures($period: String!, $rows: ReferralDimension!) {\n  referralsAndClosuresReport(period: $period, rows: $rows) {\n    ...ReportTableParts\n  }\n}"): typeof import('./graphql').ReportingReferralsAndClosuresDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SafeguardingCloseDisclosure($id: ID!) {\n  closeExceptionalDisclosure(id: $id) {\n    id\n    closedAt\n    active\n  }\n}"): typeof import('./graphql').SafeguardingCloseDisclosureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SafeguardingDisclosures($activeOnly: Boolean!) {\n  exceptionalDisclosures(activeOnly: $activeOnly) {\n    id\n    subject {\n      id\n      name\n    }\n    recipientOrganisation\n    legalBasis\n    reason\n    dataCategories\n    openedBy {\n      name\n    }\n    openedAt\n    expiresAt\n    closedAt\n    active\n  }\n}"): typeof import('./graphql').SafeguardingDisclosuresDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SafeguardingOpenDisclosure($subjectId: ID!, $recipientOrganisation: String!, $legalBasis: LegalBasis!, $reason: String!, $expiresInHours: Int) {\n  openExceptionalDisclosure(\n    subjectId: $subjectId\n    recipientOrganisation: $recipientOrganisation\n    legalBasis: $legalBasis\n    reason: $reason\n    expiresInHours: $expiresInHours\n  ) {\n    id\n    dataCategories\n    expiresAt\n    active\n  }\n}"): typeof import('./graphql').SafeguardingOpenDisclosureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyRecord {\n  me {\n    client {\n      id\n      name\n      dateOfBirth\n      phone\n      address {\n        line1\n        line2\n        town\n        postcode\n      }\n      services\n      status\n      keyworkers {\n        name\n        workPhone\n      }\n      caseNotes {\n        occurredAt\n        venue\n        text\n      }\n      consents {\n        id\n        recipientOrganisation\n        purpose\n        dataCategories\n        validUntil\n        active\n      }\n    }\n  }\n}"): typeof import('./graphql').MyRecordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MySubjectAccessExport {\n  mySubjectAccessExport {\n    id\n    record {\n      name\n      dateOfBirth\n      address {\n        line1\n        town\n        postcode\n      }\n      services\n      status\n      restricted\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      correction\n    }\n    consents {\n      recipientOrganisation\n      purpose\n      dataCategories\n      validFrom\n      validUntil\n      withdrawnAt\n    }\n  }\n}"): typeof import('./graphql').MySubjectAccessExportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MyWithdrawConsent($consentId: ID!) {\n  withdrawConsent(consentId: $consentId) {\n    id\n    withdrawnAt\n    active\n  }\n}"): typeof import('./graphql').MyWithdrawConsentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query KeyworkerCaseload {\n  myCaseload {\n    id\n    name\n    status\n    services\n    restriction {\n      contact {\n        name\n        workPhone\n      }\n    }\n  }\n}"): typeof import('./graphql').KeyworkerCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query KeyworkerClientRecord($id: ID!) {\n  client(id: $id) {\n    id\n    name\n    dateOfBirth\n    gender\n    phone\n    address {\n      line1\n      line2\n      town\n      postcode\n    }\n    services\n    status\n    referredOn\n    team {\n      name\n    }\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n        workPhone\n      }\n    }\n    caseNotes {\n      id\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n      corrects {\n        id\n      }\n    }\n    homeVisits {\n      id\n      startedAt\n      endedAt\n      inProgress\n    }\n    consents {\n      id\n      recipientOrganisation\n      purpose\n      dataCategories\n      validUntil\n      active\n    }\n  }\n}"): typeof import('./graphql').KeyworkerClientRecordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation KeyworkerEndHomeVisit($visitId: ID!) {\n  endHomeVisit(visitId: $visitId) {\n    id\n    endedAt\n    inProgress\n  }\n}"): typeof import('./graphql').KeyworkerEndHomeVisitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation KeyworkerRecordCaseNote($clientId: ID!, $occurredAt: String!, $venue: String!, $text: String!, $correctsNoteId: ID) {\n  recordCaseNote(\n    clientId: $clientId\n    occurredAt: $occurredAt\n    venue: $venue\n    text: $text\n    correctsNoteId: $correctsNoteId\n  ) {\n    id\n    recordedAt\n  }\n}"): typeof import('./graphql').KeyworkerRecordCaseNoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation KeyworkerStartHomeVisit($clientId: ID!) {\n  startHomeVisit(clientId: $clientId) {\n    id\n    startedAt\n    inProgress\n  }\n}"): typeof import('./graphql').KeyworkerStartHomeVisitDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ManagerRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {\n  recordDecisionNotToShare(\n    subjectId: $subjectId\n    requestingOrganisation: $requestingOrganisation\n    purpose: $purpose\n    dataCategories: $dataCategories\n    reason: $reason\n  ) {\n    id\n    decidedAt\n  }\n}"): typeof import('./graphql').ManagerRecordDecisionNotToShareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ManagerTeam {\n  me {\n    role\n    team {\n      id\n      name\n      service\n    }\n  }\n}"): typeof import('./graphql').ManagerTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ManagerTeamCaseload($teamId: ID!) {\n  teamCaseload(teamId: $teamId) {\n    id\n    name\n    status\n    services\n    referredOn\n    keyworkers {\n      name\n      workPhone\n    }\n    restriction {\n      reason\n      contact {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      inProgress\n      worker {\n        name\n      }\n    }\n  }\n}"): typeof import('./graphql').ManagerTeamCaseloadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TrusteeGrantedRecords {\n  myGrantedRecords {\n    id\n    name\n    dateOfBirth\n    services\n    status\n    team {\n      name\n    }\n    caseNotes {\n      occurredAt\n      venue\n      text\n      author {\n        name\n      }\n    }\n    homeVisits {\n      startedAt\n      endedAt\n    }\n  }\n}"): typeof import('./graphql').TrusteeGrantedRecordsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
