import type { SubgraphCodegen } from '../shared/subgraph-codegen.js';

export const codegen: SubgraphCodegen = { contextType: '../context.js#VolunteersContext', mappers: {} };
