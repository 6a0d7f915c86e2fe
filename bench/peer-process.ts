/**
 * The peer in `npm run bench`: GraphQL Hive Gateway (@graphql-hive/gateway), in a process of
 * its own, over our committed supergraph and the subgraph processes of the redaction-off stack,
 * with bench/peer-claims-plugin.ts to sign each subgraph request for the caller as ours does.
 * No redaction and no audit: what a well-known federation gateway costs over the same subgraphs.
 *
 * Two variants: `--dedup off` turns off Hive's in-flight deduplication of identical subgraph
 * requests (each client request then costs its own subgraph fetches, as ours always does);
 * `--dedup default` leaves Hive's defaults (deduplication on).
 *
 * Not meant to be run by hand. Arguments: `--dedup off|default --prefix <database prefix>
 * --subgraphs <JSON {"clients": url, "hr": url, "consent": url}>`. Talks to its parent over the
 * IPC channel only (bench/child-protocol.ts).
 */
import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readGatewayConfig } from '../gateway/config.js';
import { createAccessTokenVerifier } from '../gateway/auth/verify-access-token.js';
import { readCommittedSupergraph } from '../gateway/supergraph/compose.js';
import { claimsKey } from '../platform/gateway-claims.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { argument, countInFlight, failStart, send, serveParent } from './child-protocol.js';
import { loadHiveGateway, type HiveGatewayRuntime } from './hive-gateway.js';
import { usePeerClaims } from './peer-claims-plugin.js';
import { benchStackEnv } from './stack-env.js';
import { SUBGRAPH_NAMES } from '../subgraphs/registry.js';

function subgraphUrls(json: string): Record<SubgraphName, string> {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const urls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    const url = parsed[name];
    if (typeof url !== 'string' || !/^http:\/\//.test(url)) throw new Error(`bench peer: --subgraphs has no http URL for ${name}`);
    urls[name] = url;
  }
  return urls;
}

let server: Server | undefined;
let runtime: HiveGatewayRuntime | undefined;
let closing: Promise<void> | undefined;

function close(): Promise<void> {
  closing ??= (async () => {
    const listening = server;
    if (listening?.listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
    await runtime?.dispose();
  })();
  return closing;
}

// Hive's fetch adds one abort listener per subgraph fetch to the client request's signal, and a
// caseload makes more than Node's default of 10: a warning per run, not a leak.
setMaxListeners(64);

serveParent(close);
try {
  if (!process.send) throw new Error('bench peer: run by bench/run.ts (needs an IPC channel)');
  const dedup = argument('--dedup');
  if (dedup !== 'off' && dedup !== 'default') throw new Error('bench peer: --dedup must be off or default');
  const urls = subgraphUrls(argument('--subgraphs'));
  // Our gateway's own reading of the shared settings: the same token policy and signing key.
  const { config } = readGatewayConfig(benchStackEnv(argument('--prefix')));
  const verifyAccessToken = createAccessTokenVerifier({
    keys: config.tokenKeys,
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    maxLifetimeSeconds: config.tokenMaxLifetimeSeconds,
  });
  const byUrl = new Map<string, SubgraphName>(SUBGRAPH_NAMES.map((name) => [urls[name], name]));

  const { createGatewayRuntime } = await loadHiveGateway();
  runtime = createGatewayRuntime({
    supergraph: readCommittedSupergraph(),
    // The committed supergraph names placeholder URLs; each subgraph's real one, and the variant.
    transportEntries: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, { location: urls[name], ...(dedup === 'off' ? { options: { deduplicateInflightRequests: false } } : {}) }]),
    ),
    plugins: () => [usePeerClaims({ key: claimsKey(config.subgraphSigningSecret), verifyAccessToken, subgraphAt: (url) => byUrl.get(url) })],
    logging: 'error',
    graphiql: false,
    landingPage: false,
  });
  const listening = createServer(runtime);
  server = listening;
  countInFlight(listening, { endOnClose: true });
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = listening.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${runtime.graphqlEndpoint}`;
  // The supergraph is loaded on the first request: load it now, so the bench's probe is not the first.
  const warm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  if (warm.status !== 200) throw new Error(`bench peer: the gateway answered ${warm.status} to { __typename }: ${(await warm.text()).slice(0, 300)}`);
  await send({ type: 'ready', url });
} catch (error) {
  await failStart(error, close);
}
