import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { DEV_JWT_SECRET } from '../platform/secrets.js';
import { startTestStack, TEST_AUDIENCE, TEST_ISSUER, type TestStack } from './support/test-stack.js';

/** DESIGN.md "Bad input": refused tokens get 401 with a clear message and reach no subgraph. */

const QUERY = '{ myCaseload { id name } }';
const PERSONAS_POLICE = 'Northshire Police';
const key = new TextEncoder().encode(DEV_JWT_SECRET);

function sign(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; exp?: number | string; secret?: Uint8Array } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('stf_0002')
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(options.secret ?? key);
}

function unsigned(claims: Record<string, unknown>): string {
  const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
  const payload = base64url.encode(JSON.stringify(claims));
  return `${header}.${payload}.`;
}

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ seed: false });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => t.resetCounters());

async function expectRefused(authorization: string | undefined, message: RegExp) {
  const response = await fetch(t.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify({ query: QUERY }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer');
  const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  expect(body.errors[0]?.message).toMatch(message);
  expect(t.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
  expect(t.commands).toHaveLength(0);
}

describe('gateway authentication', () => {
  it('accepts a valid token (the control: the refusals below are not a broken gateway)', async () => {
    const { status, body } = await t.query(await sign({ role: 'support_worker' }), QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ myCaseload: [] });
    expect(t.subgraphRequests.clients).toBe(1);
  });

  it('refuses a request with no token', async () => {
    await expectRefused(undefined, /missing bearer token/);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    await expectRefused('Basic dXNlcjpwYXNz', /malformed Authorization header/);
  });

  it('refuses an expired token', async () => {
    await expectRefused(`Bearer ${await sign({ role: 'support_worker' }, { exp: Math.floor(Date.now() / 1000) - 60 })}`, /token expired/);
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      `Bearer ${unsigned({ role: 'support_worker', sub: 'stf_0002', iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300 })}`,
      /token algorithm not accepted|malformed token/,
    );
  });

  it('refuses a token from another issuer', async () => {
    await expectRefused(`Bearer ${await sign({ role: 'support_worker' }, { issuer: 'https://evil.example' })}`, /token issuer not accepted/);
  });

  it('refuses a token for another audience', async () => {
    await expectRefused(`Bearer ${await sign({ role: 'support_worker' }, { audience: 'another-api' })}`, /token audience not accepted/);
  });

  it('refuses a token signed with another key', async () => {
    const other = new TextEncoder().encode('x'.repeat(48));
    await expectRefused(`Bearer ${await sign({ role: 'support_worker' }, { secret: other })}`, /token signature invalid/);
  });

  it('refuses a tampered token (role edited after signing)', async () => {
    const [header, , signature] = (await sign({ role: 'support_worker' })).split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = base64url.encode(
      JSON.stringify({ role: 'data_protection_officer', sub: 'stf_0002', iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300 }),
    );
    await expectRefused(`Bearer ${header}.${forged}.${signature}`, /token signature invalid/);
  });

  it('refuses a token without a role, or with a role that does not exist', async () => {
    await expectRefused(`Bearer ${await sign({})}`, /no valid role/);
    await expectRefused(`Bearer ${await sign({ role: 'superuser' })}`, /no valid role/);
  });

  it('refuses a role token that lacks the claim the role needs', async () => {
    await expectRefused(`Bearer ${await sign({ role: 'external_agency' })}`, /must carry a "agency" claim/);
    await expectRefused(`Bearer ${await sign({ role: 'external_agency', agency: PERSONAS_POLICE })}`, /must carry a "purpose" claim/);
    await expectRefused(`Bearer ${await sign({ role: 'team_manager' })}`, /must carry a "team" claim/);
  });

  it('refuses a token without an expiry', async () => {
    const token = await new SignJWT({ role: 'support_worker' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('stf_0002')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .sign(key);
    await expectRefused(`Bearer ${token}`, /token claim "exp" not accepted/);
  });

  it('refuses a token without an issue time (its lifetime could not be checked)', async () => {
    const token = await new SignJWT({ role: 'support_worker' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('stf_0002')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);
    await expectRefused(`Bearer ${token}`, /token claim "iat" not accepted/);
  });

  it('refuses a token that lives longer than the gateway accepts (12 h by default)', async () => {
    await expectRefused(
      `Bearer ${await sign({ role: 'support_worker' }, { exp: '100y' })}`,
      /token lifetime \(exp − iat\) is longer than the 43200 seconds accepted/,
    );
  });

  it('refuses an oversized claim with 401 naming it, not a 500', async () => {
    await expectRefused(
      `Bearer ${await sign({ role: 'external_agency', agency: 'x'.repeat(700), purpose: 'care coordination' })}`,
      /token claim "agency" is longer than 200 bytes/,
    );
  });

  it('refuses garbage', async () => {
    await expectRefused('Bearer not.a.jwt', /malformed token/);
  });
});
