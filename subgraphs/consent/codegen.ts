import type { SubgraphCodegen } from '../shared/subgraph-codegen.js';

/** `npm run codegen`: the context this subgraph's resolvers receive, and the document each GraphQL type's resolvers get as parent. */
export const codegen: SubgraphCodegen = {
  contextType: '../context.js#ConsentContext',
  mappers: {
    Client: '../documents.js#ClientRef',
    Consent: '../documents.js#ConsentDoc',
    Disclosure: '../documents.js#DisclosureDoc',
    ExceptionalDisclosure: '../documents.js#ExceptionalDisclosureDoc',
    TrusteeGrant: '../documents.js#TrusteeGrantDoc',
    SubjectAccessRequest: '../documents.js#SubjectAccessRequestDoc',
    SubjectAccessExport: '../documents.js#ClientRef',
    ExportedConsent: '../documents.js#ConsentDoc',
    ExportedDisclosure: '../documents.js#DisclosureDoc',
    ExportedExceptionalDisclosure: '../documents.js#ExceptionalDisclosureDoc',
    SubjectAccessExtension: '../documents.js#SubjectAccessExtensionDoc',
    DecisionNotToShare: '../documents.js#DecisionNotToShareDoc',
    ExportedDecisionNotToShare: '../documents.js#DecisionNotToShareDoc',
    SubjectAccessRequestConnection: '../documents.js#SubjectAccessRequestPage',
    DecisionNotToShareConnection: '../documents.js#DecisionNotToSharePage',
  },
};
