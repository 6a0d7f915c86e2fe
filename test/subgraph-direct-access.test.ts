import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { claimsKey, GATEWAY_ISSUER, signGatewayClaims, subgraphAudience } from '../platform/gateway-claims.js';
import { DEV_JWT_SECRET, DEV_SUBGRAPH_SIGNING_SECRET } from '../platform/secrets.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** DESIGN.md: subgraphs accept only gateway-signed requests; a direct call answers 401. */

const QUERY = '{ __typename }';
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

const principal = { role: 'support_worker', sub: 'stf_0002' } as const;
const subgraphs: SubgraphName[] = ['clients', 'hr', 'consent'];

describe.each(subgraphs)('the %s subgraph called directly', (subgraph) => {
  it('answers a gateway-signed request (the control)', async () => {
    const token = await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), subgraph, { principal, requestId: 'test-request-1' });
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
    const token = await signGatewayClaims(claimsKey('y'.repeat(48)), subgraph, { principal, requestId: 'test-request-2' });
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses claims addressed to another subgraph', async () => {
    const other = subgraphs.find((name) => name !== subgraph) as SubgraphName;
    const token = await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), other, { principal, requestId: 'test-request-3' });
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });

  it('refuses expired claims', async () => {
    const token = await new SignJWT({ role: 'support_worker', rid: 'test-request-4' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('stf_0002')
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience(subgraph))
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET));
    expect((await call(subgraph, `Bearer ${token}`)).status).toBe(401);
  });
});
