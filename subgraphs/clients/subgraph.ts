import { loadSchemaFile } from '../shared/schema-file.js';
import { defineSubgraph, type SubgraphDefinition } from '../shared/serve-subgraph.js';
import type { ClientsContext } from './context.js';
import { clientsResolvers } from './resolvers.js';
import { ClientsStore, ensureClientIndexes } from './store.js';

export const subgraph = defineSubgraph<ClientsContext>({
  name: 'clients',
  typeDefs: loadSchemaFile(new URL('./schema.graphql', import.meta.url)),
  resolvers: clientsResolvers as SubgraphDefinition<ClientsContext>['resolvers'],
  ensureIndexes: ensureClientIndexes,
  createContext: (db, identity, config) => ({ ...identity, store: new ClientsStore(db, config.lookups), now: new Date(), reports: config.reports }),
});
