import { loadSchemaFile } from '../shared/schema-file.js';
import { defineSubgraph, type SubgraphDefinition } from '../shared/serve-subgraph.js';
import type { ConsentContext } from './context.js';
import { consentResolvers } from './resolvers.js';
import { ConsentStore, ensureConsentIndexes } from './store.js';

export const subgraph = defineSubgraph<ConsentContext>({
  name: 'consent',
  typeDefs: loadSchemaFile(new URL('./schema.graphql', import.meta.url)),
  resolvers: consentResolvers as SubgraphDefinition<ConsentContext>['resolvers'],
  ensureIndexes: ensureConsentIndexes,
  createContext: (db, identity, config) => ({
    ...identity,
    store: new ConsentStore(db, config.lookups),
    now: new Date(),
    exceptionalDisclosureMaxHours: config.exceptionalDisclosureMaxHours,
    exceptionalDisclosureDefaultHours: config.exceptionalDisclosureDefaultHours,
    reports: config.reports,
  }),
});
