import { describe, expect, it } from 'vitest';
import { mintDevToken } from '../gateway/auth/mint-dev-token.js';
import { createAccessTokenVerifier } from '../gateway/auth/verify-access-token.js';
import { claimsKey, REQUEST_ID_HEADER, verifyGatewayClaims, verifyOperationBinding } from '../platform/gateway-claims.js';
import { ReplayCache } from '../platform/replay-cache.js';
import type { Principal } from '../shield/roles.js';
import type { HiveFetchPayload } from './hive-gateway.js';
import { usePeerClaims } from './peer-claims-plugin.js';

// The subgraphs' side of the contract is our own verifier: what the peer signs must pass it.
const JWT_SECRET = 'peer-claims-test-access-token-secret-0123456789';
const key = claimsKey('peer-claims-test-subgraph-signing-secret-0123456789');
const policy = { keys: { kind: 'secret', secret: JWT_SECRET } as const, issuer: 'test-issuer', audience: 'test-audience', maxLifetimeSeconds: 3600 };
const keyworker: Principal = { role: 'support_worker', sub: 'emp-keyworker' };
const CLIENTS_URL = 'http://127.0.0.1:4001/graphql';

const plugin = usePeerClaims({
  key,
  verifyAccessToken: createAccessTokenVerifier(policy),
  subgraphAt: (url) => (url === CLIENTS_URL ? 'clients' : undefined),
});

function clientRequest(authorization: string | undefined): { request: { headers: Headers } } {
  return { request: { headers: new Headers(authorization ? { authorization } : {}) } };
}

/** Runs the plugin's onFetch as Hive would, and returns the options it set (if any). */
async function fetchThrough(context: object, url: string, body: string): Promise<Record<string, unknown> | undefined> {
  let set: Record<string, unknown> | undefined;
  const payload: HiveFetchPayload = {
    url,
    options: { method: 'POST', body, headers: { 'content-type': 'application/json' } },
    setOptions: (options) => (set = options),
    context,
  };
  await plugin.onFetch?.(payload);
  return set;
}

describe('the peer gateway signs subgraph requests as ours does', () => {
  const body = JSON.stringify({ query: 'query Q($id: ID!) { client(id: $id) { name } }', variables: { id: 'c-1' }, operationName: 'Q' });

  it('carries the caller as claims the subgraph accepts, bound to the body sent', async () => {
    const token = await mintDevToken({ principal: keyworker, secret: JWT_SECRET, issuer: policy.issuer, audience: policy.audience, expiresIn: '1h' });
    const context = clientRequest(`Bearer ${token}`);
    const first = await fetchThrough(context, CLIENTS_URL, body);
    const headers = first?.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    const claims = await verifyGatewayClaims(key, 'clients', headers.authorization, new ReplayCache());
    expect(claims.principal).toMatchObject(keyworker);
    expect(claims.requestId).toBe(headers[REQUEST_ID_HEADER]);
    expect(() => verifyOperationBinding(claims, JSON.parse(body))).not.toThrow();
    expect(() => verifyOperationBinding(claims, { ...JSON.parse(body), variables: { id: 'c-2' } })).toThrow();
    // A second fetch of the same client request: a new claim, the same request id.
    const second = (await fetchThrough(context, CLIENTS_URL, body))?.headers as Record<string, string>;
    expect(second.authorization).not.toBe(headers.authorization);
    expect(second[REQUEST_ID_HEADER]).toBe(headers[REQUEST_ID_HEADER]);
  });

  it('refuses a caller without a valid token, and leaves other fetches alone', async () => {
    await expect(fetchThrough(clientRequest(undefined), CLIENTS_URL, body)).rejects.toThrow(/missing bearer token/);
    await expect(fetchThrough(clientRequest('Bearer not.a.token'), CLIENTS_URL, body)).rejects.toThrow();
    expect(await fetchThrough({ log: {} }, 'http://example.invalid/supergraph.graphql', '')).toBeUndefined();
  });
});
