import type { Subgraph } from './shared/serve-subgraph.js';

/**
 * Every subgraph, once. Composition, codegen, the one-process stack, the test stack, the bench,
 * the seed's database list, the gateway's configuration and metrics all read this table; adding
 * a subgraph is its folder (`subgraphs/<name>/`: schema.graphql, subgraph.ts, codegen.ts,
 * main.ts) plus one entry here. What cannot import TypeScript is written by hand and checked
 * against this table by a test: docker-compose.yml, the `start:<name>` scripts in package.json
 * and the Dockerfile's EXPOSE line (test/docker-compose.test.ts).
 *
 * The definition is loaded lazily so that reading a name or a port (the gateway's config,
 * codegen) never pulls in a subgraph's resolvers and stores, and so that this module, which
 * `shared/config.ts` imports, has no import cycle through them.
 */
interface SubgraphEntry {
  /** Default port; `<NAME>_SUBGRAPH_PORT` overrides it, `<NAME>_SUBGRAPH_URL` tells the gateway. */
  readonly port: number;
  /** Its definition (schema, resolvers, indexes, request context): `subgraphs/<name>/subgraph.ts`. */
  readonly load: () => Promise<Subgraph>;
}

export const SUBGRAPH_REGISTRY = {
  clients: { port: 4001, load: async (): Promise<Subgraph> => (await import('./clients/subgraph.js')).subgraph },
  hr: { port: 4002, load: async (): Promise<Subgraph> => (await import('./hr/subgraph.js')).subgraph },
  consent: { port: 4003, load: async (): Promise<Subgraph> => (await import('./consent/subgraph.js')).subgraph },
} as const satisfies Readonly<Record<string, SubgraphEntry>>;

export type SubgraphName = keyof typeof SUBGRAPH_REGISTRY;

/** In the registry's order: the order the stack starts them and composition lists them. */
export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_REGISTRY) as readonly SubgraphName[];

export function isSubgraphName(name: string): name is SubgraphName {
  return Object.hasOwn(SUBGRAPH_REGISTRY, name);
}

/** Every subgraph's definition, in registry order. */
export async function loadSubgraphs(): Promise<readonly Subgraph[]> {
  return Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_REGISTRY[name].load()));
}

/** Something per subgraph, e.g. its database: `perSubgraph((name) => mongo.db(databaseName(prefix, name)))`. */
export function perSubgraph<T>(make: (name: SubgraphName) => T): Record<SubgraphName, T> {
  return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, make(name)])) as Record<SubgraphName, T>;
}

/** The databases a stack with this prefix uses: one per subgraph, and the gateway's audit trail. */
export const STACK_DATABASES: readonly (SubgraphName | 'audit')[] = [...SUBGRAPH_NAMES, 'audit'];
