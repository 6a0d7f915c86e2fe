import { loadSchemaFile } from '../shared/schema-file.js';
import { defineSubgraph, type SubgraphDefinition } from '../shared/serve-subgraph.js';
import type { HrContext } from './context.js';
import { hrResolvers } from './resolvers.js';
import { ensureHrIndexes, HrStore } from './store.js';

export const subgraph = defineSubgraph<HrContext>({
  name: 'hr',
  typeDefs: loadSchemaFile(new URL('./schema.graphql', import.meta.url)),
  resolvers: hrResolvers as SubgraphDefinition<HrContext>['resolvers'],
  ensureIndexes: ensureHrIndexes,
  createContext: (db, identity, config) => ({ ...identity, store: new HrStore(db, config.lookups), reports: config.reports }),
});
