import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/registry.js';

export { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/registry.js';

/**
 * Composes the supergraph from every registered subgraph's schema (subgraphs/registry.ts). The URLs written into the
 * supergraph are only placeholders: the gateway routes by subgraph name to the URLs in
 * its configuration.
 */

export const SUPERGRAPH_PATH = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

export function subgraphSchemaPath(name: SubgraphName): string {
  return fileURLToPath(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url));
}

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      url: `http://${name}.subgraph.invalid/graphql`,
      typeDefs: parse(readFileSync(subgraphSchemaPath(name), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
