import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** DESIGN.md invariant 3 and "Bad input": outside development, no introspection, no suggestions, no stack traces. */

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(48),
  JWT_ISSUER: 'https://idp.needtoknow.test/',
  SUBGRAPH_SIGNING_SECRET: 'q'.repeat(48),
  ID_TOKEN_SECRET: 'r'.repeat(48),
};

let t: TestStack;
let token: string;
beforeAll(async () => {
  t = await startTestStack({ env: PRODUCTION });
  token = await t.token({ role: 'support_worker', sub: PERSONAS.keyworkerOfSam });
});
afterAll(async () => {
  await t.close();
});

describe('a production gateway', () => {
  it('answers a valid query (the control)', async () => {
    const { status, body } = await t.query(token, '{ myCaseload { id } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses introspection', async () => {
    const { body } = await t.query(token, '{ __schema { types { name } } }');
    expect(body.data ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toContain('Client');
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('gives no "did you mean" suggestions and no stack traces', async () => {
    const { body } = await t.query(token, '{ myCaseload { nme } }');
    const text = JSON.stringify(body);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(text).not.toMatch(/did you mean/i);
    expect(text).not.toContain('stacktrace');
    expect(text).not.toContain('node_modules');
  });

  it('answers a denied field with null and one generic error', async () => {
    const { body } = await t.query(token, '{ employees { name } }');
    expect(body.data).toEqual({ employees: null });
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Forbidden', path: ['employees'], extensions: { code: 'FORBIDDEN' } })]);
  });

  it('refuses tokens minted with the development secret', async () => {
    const { mintDevToken } = await import('../gateway/auth/mint-dev-token.js');
    const { DEV_JWT_SECRET } = await import('../platform/secrets.js');
    const dev = await mintDevToken({ principal: { role: 'support_worker', sub: PERSONAS.keyworkerOfSam }, secret: DEV_JWT_SECRET, issuer: PRODUCTION.JWT_ISSUER, audience: 'needtoknow' });
    expect((await t.query(dev, '{ myCaseload { id } }')).status).toBe(401);
  });

  it("turns off @apollo/gateway's metrics to Apollo (and its cloud metadata probing)", () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('refuses an oversized body with 413 and malformed JSON with 400', async () => {
    const big = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ myCaseload { id } } # ${'x'.repeat(200_000)}` }),
    });
    expect(big.status).toBe(413);
    const bad = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe('request body is not valid JSON');
  });
});
