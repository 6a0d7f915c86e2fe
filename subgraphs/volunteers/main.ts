import { runSubgraphProcess } from '../../stack/run-subgraph.js';

await runSubgraphProcess('volunteers');
