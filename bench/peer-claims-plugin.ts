/**
 * The one thing the peer gateway (GraphQL Hive Gateway, bench/peer-process.ts) must do to be
 * answered by our subgraphs at all: carry the caller's principal to each subgraph as a token the
 * gateway signs, exactly as ours does (gateway/signed-subgraph-source.ts). Our subgraphs
 * answer 401 to anything else.
 *
 * It verifies the caller's access token with our own verifier and signs with our own
 * signGatewayClaims, over the body Hive is about to send; it adds nothing else (no redaction,
 * no audit, no opaque ids), which is the point of the comparison.
 */
import { randomBytes } from 'node:crypto';
import type { AccessTokenVerifier } from '../gateway/auth/verify-access-token.js';
import { REQUEST_ID_HEADER, signGatewayClaims } from '../platform/gateway-claims.js';
import type { Principal } from '../shield/roles.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import type { HiveClientRequest, HivePlugin } from './hive-gateway.js';

interface CallerIdentity {
  readonly principal: Promise<Principal>;
  readonly requestId: string;
}

export interface PeerClaimsOptions {
  /** The key our gateway and subgraphs share (claimsKey of SUBGRAPH_SIGNING_SECRET). */
  readonly key: Uint8Array;
  readonly verifyAccessToken: AccessTokenVerifier;
  /** Which subgraph each URL the peer fetches belongs to: a claim is addressed to one subgraph. */
  readonly subgraphAt: (url: string) => SubgraphName | undefined;
}

/** The body as JSON, reduced to what a claim binds: query, variables, operationName. */
function boundOperation(body: unknown): { query: string; variables?: Record<string, unknown>; operationName?: string } {
  if (typeof body !== 'string') throw new Error('peer gateway: a subgraph request body that is not a JSON string cannot be signed');
  const parsed = JSON.parse(body) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof parsed.query !== 'string') throw new Error('peer gateway: a subgraph request without a query cannot be signed');
  return {
    query: parsed.query,
    ...(parsed.variables !== null && typeof parsed.variables === 'object' ? { variables: parsed.variables as Record<string, unknown> } : {}),
    ...(typeof parsed.operationName === 'string' ? { operationName: parsed.operationName } : {}),
  };
}

function withHeaders(headers: unknown, added: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  if (headers instanceof Headers) headers.forEach((value, name) => (base[name] = value));
  else if (Array.isArray(headers)) for (const [name, value] of headers as [string, string][]) base[name.toLowerCase()] = value;
  else if (headers !== null && typeof headers === 'object')
    for (const [name, value] of Object.entries(headers as Record<string, string>)) base[name.toLowerCase()] = value;
  return { ...base, ...added };
}

export function usePeerClaims(options: PeerClaimsOptions): HivePlugin {
  // One identity per client request: the context object lives exactly as long as it.
  const identities = new WeakMap<object, CallerIdentity>();
  const identityOf = (context: object, request: HiveClientRequest): CallerIdentity => {
    let identity = identities.get(context);
    if (!identity) {
      const principal = options.verifyAccessToken(request.headers.get('authorization') ?? undefined);
      // Awaited in onFetch; a refusal surfaces there, as the subgraph fetch's failure.
      principal.catch(() => undefined);
      identity = { principal, requestId: randomBytes(12).toString('base64url') };
      identities.set(context, identity);
    }
    return identity;
  };

  return {
    async onFetch({ url, options: init, setOptions, context }) {
      const subgraph = options.subgraphAt(url);
      // Not a subgraph request (none is expected, the supergraph is given as text): untouched.
      if (subgraph === undefined) return;
      const request = 'request' in context ? context.request : undefined;
      if (!request) throw new Error(`peer gateway: a fetch to the ${subgraph} subgraph outside any client request`);
      const identity = identityOf(context, request);
      const principal = await identity.principal;
      // Signed last thing before the fetch, over exactly the body that is sent.
      const token = await signGatewayClaims(options.key, subgraph, { principal, requestId: identity.requestId }, boundOperation(init.body));
      setOptions({ ...init, headers: withHeaders(init.headers, { authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: identity.requestId }) });
    },
  };
}
