import { loadSchemaFile } from '../shared/schema-file.js';
import { defineSubgraph, type SubgraphDefinition } from '../shared/serve-subgraph.js';
import type { VolunteersContext } from './context.js';
import { volunteersResolvers } from './resolvers.js';

export const subgraph = defineSubgraph<VolunteersContext>({
  name: 'volunteers',
  typeDefs: loadSchemaFile(new URL('./schema.graphql', import.meta.url)),
  resolvers: volunteersResolvers as SubgraphDefinition<VolunteersContext>['resolvers'],
  ensureIndexes: async () => {},
  createContext: (db, identity) => ({ ...identity, db }),
});
