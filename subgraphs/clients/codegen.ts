import type { SubgraphCodegen } from '../shared/subgraph-codegen.js';

/** `npm run codegen`: the context this subgraph's resolvers receive, and the document each GraphQL type's resolvers get as parent. */
export const codegen: SubgraphCodegen = {
  contextType: '../context.js#ClientsContext',
  mappers: {
    Client: '../documents.js#ClientDoc',
    CaseNote: '../documents.js#CaseNoteDoc',
    HomeVisit: '../documents.js#HomeVisitDoc',
    Restriction: '../documents.js#RestrictionDoc',
    PostalAddress: '../documents.js#PostalAddressDoc',
    EmergencyLookupResult: '../documents.js#EmergencyLookupDoc',
    SubjectAccessExport: '../documents.js#ClientDoc',
    ExportedClientRecord: '../documents.js#ClientDoc',
    ExportedCaseNote: '../documents.js#CaseNoteDoc',
    ExportedHomeVisit: '../documents.js#HomeVisitDoc',
    Me: '../documents.js#MeRef',
  },
};
