import { createHash, randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { hr, keyworkerOfSam } from './support/principals.js';

/** docs/INVARIANTS.md#3 and "Bad input": outside development, no introspection, no suggestions, no stack traces. */

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
  token = await t.token(keyworkerOfSam);
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
    const dev = await mintDevToken({
      principal: keyworkerOfSam,
      secret: DEV_JWT_SECRET,
      issuer: PRODUCTION.JWT_ISSUER,
      audience: 'needtoknow',
    });
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

/**
 * Issue 9: an automatic persisted query cache shared by every role lets one role confirm the
 * exact text another sent (a hash-only request answers only if the text was registered). Off:
 * a hash names only an operation of the fixed, public trusted-documents manifest (issue 11,
 * test/trusted-documents.test.ts); any other hash is unknown, whoever sent its text before.
 */
describe('automatic persisted queries', () => {
  const QUERY = '{ myCaseload { id name } }';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const extensions = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  async function post(principalToken: string, body: Record<string, unknown>) {
    const response = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${principalToken}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
  }

  function expectNotFound(result: Awaited<ReturnType<typeof post>>) {
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })]);
  }

  it('never register a text: hash only, after the query was sent with its hash, and as a GET, the hash is unknown', async () => {
    expectNotFound(await post(token, { extensions: extensions(sha256(QUERY)) }));
    expect((await post(token, { query: QUERY, extensions: extensions(sha256(QUERY)) })).body.errors).toBeUndefined();
    expectNotFound(await post(token, { extensions: extensions(sha256(QUERY)) }));
    const get = await fetch(`${t.gatewayUrl}?extensions=${encodeURIComponent(JSON.stringify(extensions(sha256(QUERY))))}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expectNotFound({ status: get.status, body: (await get.json()) as Awaited<ReturnType<typeof post>>['body'] });
  });

  it('let no role confirm the text another role sent: a known hash answers exactly as an unknown one', async () => {
    const hrToken = await t.token(hr);
    // The keyworker sends the query in full, with its hash (how an APQ client registers it).
    await post(token, { query: QUERY, extensions: extensions(sha256(QUERY)) });
    const known = await post(hrToken, { extensions: extensions(sha256(QUERY)) });
    const unknown = await post(hrToken, { extensions: extensions(sha256(randomBytes(16).toString('hex'))) });
    expectNotFound(known);
    expect(known).toEqual(unknown);
  });

  it('would confirm it on an Apollo Server with its default cache (the control: the requests above are real APQ)', async () => {
    const server = new ApolloServer({ typeDefs: 'type Query { myCaseload: [String] }', resolvers: { Query: { myCaseload: () => ['Sam Okafor'] } } });
    await server.start();
    try {
      const registered = await server.executeOperation({ query: '{ myCaseload }', extensions: extensions(sha256('{ myCaseload }')) });
      expect(registered.body.kind === 'single' && registered.body.singleResult.data).toEqual({ myCaseload: ['Sam Okafor'] });
      // Another caller, hash only: the text is confirmed (and answered) because someone sent it.
      const confirmed = await server.executeOperation({ extensions: extensions(sha256('{ myCaseload }')) });
      expect(confirmed.body.kind === 'single' && confirmed.body.singleResult.data).toEqual({ myCaseload: ['Sam Okafor'] });
      const unknown = await server.executeOperation({ extensions: extensions(sha256('{ somethingElse }')) });
      expect(unknown.body.kind === 'single' && unknown.body.singleResult.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await server.stop();
    }
  });
});
