import type { SubgraphCodegen } from '../shared/subgraph-codegen.js';

/** `npm run codegen`: the context this subgraph's resolvers receive, and the document each GraphQL type's resolvers get as parent. */
export const codegen: SubgraphCodegen = {
  contextType: '../context.js#HrContext',
  mappers: {
    Employee: '../documents.js#EmployeeDoc',
    StaffMember: '../documents.js#StaffDoc',
    Team: '../documents.js#TeamDoc',
    Post: '../documents.js#PostDoc',
    Absence: '../documents.js#AbsenceDoc',
    TrainingRecord: '../documents.js#TrainingDoc',
    DbsCheck: '../documents.js#DbsCheckDoc',
    EmergencyLookupResult: '../documents.js#EmergencyLookupRef',
    PostalAddress: '../documents.js#PostalAddressDoc',
  },
};
