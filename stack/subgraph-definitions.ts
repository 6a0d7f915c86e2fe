import { clientsSubgraph } from '../subgraphs/clients/subgraph.js';
import { consentSubgraph } from '../subgraphs/consent/subgraph.js';
import { hrSubgraph } from '../subgraphs/hr/subgraph.js';

/** The three subgraphs, in the order they are started. */
export const SUBGRAPHS = [clientsSubgraph, hrSubgraph, consentSubgraph] as const;
