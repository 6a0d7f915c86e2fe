import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { claimsKey, GATEWAY_ISSUER, signGatewayClaims, subgraphAudience } from '../platform/gateway-claims.js';
import { operationHash } from '../platform/operation-hash.js';
import { DEV_JWT_SECRET, DEV_SUBGRAPH_SIGNING_SECRET } from '../platform/secrets.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { keyworkerOfSam as principal } from './support/principals.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { SUBGRAPH_NAMES } from '../subgraphs/registry.js';

/** DESIGN.md: subgraphs accept only gateway-signed requests; a direct call answers 401. */

const QUERY = '{ __typename }';
const REQUEST = { query: QUERY };
let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ seed: false });
});
afterAll(async () => {
  await t.close();
});

async function call(subgraph: SubgraphName, authorization?: string, query = QUERY) {
  const response = await fetch(t.stack.subgraphs[subgraph].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions: { code: string } }[]; data?: unknown } };
}

const subgraphs: readonly SubgraphName[] = SUBGRAPH_NAMES;

describe.each(subgraphs)('the %s subgraph called directly', (subgraph) => {
  it('answers a gateway-signed request (the control)', async () => {
    const token = await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), subgraph, { principal, requestId: 'test-request-1' }, REQUEST);
    const { status, body } = await call(subgraph, `Bearer ${token}`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a request with no gateway claims', async () => {
    const { status, body } = await call(subgraph);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(/only answers requests signed by the gateway/);
  });

  it('refuses a client access token passed straight through', async () => {
    const token = await new SignJWT({ role: 'support_worker' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('stf_0002')
      .setIssuer('needtoknow-dev')
      .setAudience('needtoknow')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses claims signed with another secret', async () => {
    const token = await signGatewayClaims(claimsKey('y'.repeat(48)), subgraph, { principal, requestId: 'test-request-2' }, REQUEST);
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses claims addressed to another subgraph', async () => {
    const other = subgraphs.find((name) => name !== subgraph) as SubgraphName;
    const token = await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), other, { principal, requestId: 'test-request-3' }, REQUEST);
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses expired claims', async () => {
    const token = await new SignJWT({ role: 'support_worker', rid: 'test-request-4', oph: operationHash(REQUEST) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('stf_0002')
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience(subgraph))
      .setJti('test-request-4-expired-claim')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 590)
      .sign(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET));
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses claims whose principal is malformed, however validly signed', async () => {
    for (const claims of [{ role: 'support_worker', agency: 'x'.repeat(700) }, { role: 'support_worker', team: ['team_north'] }, { role: 'superuser' }]) {
      const token = await new SignJWT({ ...claims, rid: 'test-request-5', oph: operationHash(REQUEST) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('stf_0002')
        .setIssuer(GATEWAY_ISSUER)
        .setAudience(subgraphAudience(subgraph))
        .setJti(`test-request-5-${randomUUID()}`)
        .setIssuedAt()
        .setExpirationTime('30s')
        .sign(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET));
      const { status, body } = await call(subgraph, `Bearer ${token}`);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.message).toBe('gateway claims are incomplete');
    }
  });

  it('refuses automatic persisted queries, even under valid claims', async () => {
    const sha256Hash = createHash('sha256').update(QUERY).digest('hex');
    // The body a gateway with APQ on would send first: the hash and no query. It matches no claim.
    const hashOnly = await fetch(t.stack.subgraphs[subgraph].url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), subgraph, { principal, requestId: 'test-request-6' }, REQUEST)}`,
      },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash } } }),
    });
    expect(hashOnly.status).toBe(401);
    // With the query too, the claims match, and Apollo refuses the extension: nothing is cached.
    const registering = await fetch(t.stack.subgraphs[subgraph].url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), subgraph, { principal, requestId: 'test-request-7' }, REQUEST)}`,
      },
      body: JSON.stringify({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
    });
    const body = (await registering.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });
});
