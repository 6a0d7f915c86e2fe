import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '../gateway/auth/verify-access-token.js';
import type { KeySetSettings } from '../gateway/auth/key-set.js';
import { closedPort, makeTestCertificates, startKeySetServer, type KeySetServer } from './support/key-set-server.js';
import { startTestStack, TEST_AUDIENCE, type TestStack } from './support/test-stack.js';

/**
 * Production sign-in through the identity provider's key set (issue 15): a failure on our side of
 * the trust chain is a 503 with Retry-After and a log line naming the URL and cause, never a 401
 * blaming the caller or a 500; known keys outlive an outage up to a ceiling; a failing endpoint is
 * backed off, not hammered; the key set's size is capped; rotation follows the configured times;
 * an unusable key is skipped and a token naming it gets 401; no forged token gets through.
 * Time is a fake clock handed to the key set: nothing here waits for an interval to pass.
 */

const ISSUER = 'https://idp.needtoknow.test/';
const METRICS_TOKEN = 'm'.repeat(40);
const SECOND = 1_000;

interface Signer {
  readonly alg: 'RS256' | 'ES256' | 'EdDSA';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function signer(alg: Signer['alg'], kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function claims(): Record<string, unknown> {
  return { role: 'support_worker' };
}

async function tokenFrom(s: Signer, header: Record<string, unknown> = {}, kid: string = s.kid): Promise<string> {
  return new SignJWT(claims())
    .setProtectedHeader({ alg: s.alg, kid, ...header })
    .setSubject('stf_0002')
    .setIssuer(ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(s.privateKey);
}

/** A token signed by hand (jose will not sign with a weak key, which is the point of refusing one). */
function handSigned(header: Record<string, unknown>, privateKey: KeyObject): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify({ ...claims(), sub: 'stf_0002', iss: ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300 }))}`;
  return `${input}.${base64url.encode(cryptoSign('sha256', Buffer.from(input), privateKey))}`;
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A verifier against `url` with a fake clock and a captured log. */
function verifierFor(url: string, settings: Partial<KeySetSettings> = {}) {
  const clock = { now: 1_000_000 };
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as LogLine);
        done();
      },
    }),
  );
  const keys: KeySetSettings = {
    url,
    cacheMaxAgeMs: 300 * SECOND,
    refetchIntervalMs: 30 * SECOND,
    staleIfErrorMs: 3_600 * SECOND,
    timeoutMs: 2_000,
    maxBytes: 64 * 1024,
    maxKeys: 20,
    ...settings,
  };
  const verify = createAccessTokenVerifier(
    { keys: { kind: 'jwks', ...keys }, issuer: ISSUER, audience: TEST_AUDIENCE, maxLifetimeSeconds: 3_600 },
    { logger, now: () => clock.now },
  );
  return { verify, clock, lines, metrics: () => verify.keySet?.metrics() };
}

/** What the gateway would answer: 'ok', '401: <message>' or '503' (with its Retry-After). */
async function outcome(verify: AccessTokenVerifier, token: string): Promise<string> {
  try {
    await verify(`Bearer ${token}`);
    return 'ok';
  } catch (error) {
    const e = error as { name: string; message: string; retryAfterSeconds?: number };
    if (e.name === 'AuthenticationError') return `401: ${e.message}`;
    if (e.name === 'KeySetUnavailableError') {
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      return '503';
    }
    throw error;
  }
}

let rsa: Signer;
let ec: Signer;
let ed: Signer;
let rotated: Signer;
let attacker: Signer;
let server: KeySetServer;
let attackerServer: KeySetServer;

beforeAll(async () => {
  [rsa, ec, ed, rotated, attacker] = await Promise.all([
    signer('RS256', 'rsa-1'),
    signer('ES256', 'ec-1'),
    signer('EdDSA', 'ed-1'),
    signer('RS256', 'rsa-2'),
    signer('RS256', 'attacker'),
  ]);
  server = await startKeySetServer();
  attackerServer = await startKeySetServer();
  attackerServer.keys = [attacker.jwk];
});
afterAll(async () => {
  await server.close();
  await attackerServer.close();
});
beforeEach(() => {
  server.mode = 'ok';
  server.keys = [rsa.jwk, ec.jwk, ed.jwk];
  server.fetches = 0;
  server.bytesWritten = 0;
  attackerServer.fetches = 0;
});

describe('signing keys from a key set over HTTP (development)', () => {
  it('accepts RS256, ES256 and EdDSA tokens, fetching the set once (the control)', async () => {
    const { verify } = verifierFor(server.url);
    const tokens = await Promise.all([tokenFrom(rsa), tokenFrom(ec), tokenFrom(ed)]);
    // Concurrent first requests share one fetch.
    expect(await Promise.all(tokens.map((token) => outcome(verify, token)))).toEqual(['ok', 'ok', 'ok']);
    expect(server.fetches).toBe(1);
  });

  it('keeps verifying with known keys through an outage, up to the ceiling, then answers 503', async () => {
    const { verify, clock, lines, metrics } = verifierFor(server.url, { cacheMaxAgeMs: 60 * SECOND, staleIfErrorMs: 600 * SECOND });
    const token = await tokenFrom(rsa);
    expect(await outcome(verify, token)).toBe('ok');
    server.mode = 'status-500';
    clock.now += 61 * SECOND; // past freshness: a refetch is due, and fails
    expect(await outcome(verify, token)).toBe('ok');
    expect(server.fetches).toBe(2);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'JWKS fetch failed', jwksUrl: server.url, cause: 'status', detail: 'answered HTTP 500' }));
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'JWKS endpoint failing: verifying with stale signing keys', jwksUrl: server.url, ceilingSeconds: 600 }),
    );
    // Still inside the ceiling, across many back-off periods.
    for (let step = 0; step < 9; step += 1) {
      clock.now += 60 * SECOND;
      expect(await outcome(verify, token)).toBe('ok');
    }
    expect(metrics()).toMatchObject({ staleKeyUses: 10, unavailable: 0 });
    clock.now += 60 * SECOND; // 60 s fresh + 600 s stale: the ceiling
    expect(await outcome(verify, token)).toBe('503');
    expect(metrics()?.unavailable).toBe(1);
    // The endpoint answers again: back to normal on the next fetch.
    server.mode = 'ok';
    clock.now += 30 * SECOND;
    expect(await outcome(verify, token)).toBe('ok');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'JWKS endpoint recovered; signing keys refreshed', jwksUrl: server.url }));
  });

  it('with no stale allowance, answers 503 as soon as the keys are past freshness and the endpoint fails (the ceiling is real)', async () => {
    const { verify, clock } = verifierFor(server.url, { cacheMaxAgeMs: 60 * SECOND, staleIfErrorMs: 0 });
    const token = await tokenFrom(ec);
    expect(await outcome(verify, token)).toBe('ok');
    server.mode = 'status-500';
    clock.now += 61 * SECOND;
    expect(await outcome(verify, token)).toBe('503');
  });

  it('answers 503 fast for unknown kids while the endpoint fails: one fetch, then back-off (counted, not timed)', async () => {
    const { verify, clock, lines, metrics } = verifierFor(server.url);
    server.mode = 'status-500';
    const strangers = await Promise.all(Array.from({ length: 20 }, (_, i) => tokenFrom(attacker, {}, `new-${i}`)));
    // Twenty at once share one fetch.
    expect(await Promise.all(strangers.map((token) => outcome(verify, token)))).toEqual(Array(20).fill('503'));
    expect(server.fetches).toBe(1);
    // Twenty more while backing off: none fetches.
    for (const token of strangers) expect(await outcome(verify, token)).toBe('503');
    expect(server.fetches).toBe(1);
    // Back-off doubles: 1 s, 2 s, 4 s ... up to the refetch interval (30 s).
    clock.now += 1 * SECOND;
    expect(await outcome(verify, strangers[0] as string)).toBe('503');
    expect(server.fetches).toBe(2);
    clock.now += 1 * SECOND;
    expect(await outcome(verify, strangers[1] as string)).toBe('503');
    expect(server.fetches).toBe(2);
    clock.now += 1 * SECOND;
    expect(await outcome(verify, strangers[2] as string)).toBe('503');
    expect(server.fetches).toBe(3);
    for (let i = 0; i < 10; i += 1) {
      clock.now += 30 * SECOND;
      await outcome(verify, strangers[i] as string);
    }
    expect(server.fetches).toBe(13);
    expect(metrics()).toMatchObject({ consecutiveFailures: 13, fetchFailures: expect.objectContaining({ status: 13 }) });
    expect(lines.filter((line) => line.msg === 'JWKS fetch failed')).toHaveLength(13);
    expect(lines.at(-1)).toMatchObject({ retryInSeconds: 30 });
  });

  it('names the cause when the endpoint cannot be reached (connection refused)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/jwks`;
    const { verify, lines } = verifierFor(url);
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('503');
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'JWKS fetch failed', jwksUrl: url, cause: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) }),
    );
  });

  it.each([
    ['html', 'not_json'],
    ['not-a-key-set', 'not_a_key_set'],
    ['huge', 'too_large'],
    ['endless', 'too_large'],
    ['too-many-keys', 'too_many_keys'],
    ['redirect', 'status'],
    ['hang', 'timeout'],
  ] as const)('a %s answer is refused whole (503, cause %s), read no further than the cap', async (mode, cause) => {
    server.mode = mode;
    server.redirectTo = attackerServer.url;
    const { verify, lines } = verifierFor(server.url, { timeoutMs: 300 });
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('503');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'JWKS fetch failed', jwksUrl: server.url, cause }));
    expect(server.fetches).toBe(1);
    expect(attackerServer.fetches).toBe(0);
    // An endless body is cut off: the server wrote at most a few chunks past the 64 KiB cap (socket buffers).
    if (mode === 'endless') expect(server.bytesWritten).toBeLessThan(16 * 1024 * 1024);
  });

  it('rotation: a new key is accepted at once (one fetch); a removed key is refused within the cache age', async () => {
    const { verify, clock } = verifierFor(server.url, { cacheMaxAgeMs: 60 * SECOND, refetchIntervalMs: 10 * SECOND });
    const old = await tokenFrom(rsa);
    expect(await outcome(verify, old)).toBe('ok');
    server.keys = [rotated.jwk, ec.jwk, ed.jwk];
    // A token with the new kid forces a fetch, but not more often than the refetch interval.
    const fresh = await tokenFrom(rotated);
    expect(await outcome(verify, fresh)).toBe('401: token signed with an unknown key');
    expect(server.fetches).toBe(1);
    clock.now += 10 * SECOND;
    expect(await outcome(verify, fresh)).toBe('ok');
    expect(server.fetches).toBe(2);
    // That fetch already dropped the old key.
    expect(await outcome(verify, old)).toBe('401: token signed with an unknown key');
  });

  it('rotation without new kids: a removed key stops verifying once the cache age has passed', async () => {
    const { verify, clock } = verifierFor(server.url, { cacheMaxAgeMs: 60 * SECOND });
    const old = await tokenFrom(rsa);
    expect(await outcome(verify, old)).toBe('ok');
    server.keys = [ec.jwk];
    clock.now += 59 * SECOND;
    expect(await outcome(verify, old)).toBe('ok');
    expect(server.fetches).toBe(1);
    clock.now += 1 * SECOND;
    expect(await outcome(verify, old)).toBe('401: token signed with an unknown key');
    expect(server.fetches).toBe(2);
  });

  it('skips unusable keys with one warning each; a token naming one gets 401, the others still work', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakJwk = { ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS256', use: 'sig' };
    const encryption = await signer('RS256', 'enc-1');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    server.keys = [
      rsa.jwk,
      ec.jwk,
      weakJwk,
      { ...encryption.jwk, use: 'enc' },
      { ...rotated.jwk, kid: 'wrong-alg', alg: 'RS384' },
      { ...p384.publicKey.export({ format: 'jwk' }), kid: 'p384' },
      { kty: 'oct', k: base64url.encode('a shared secret in a public key set'), kid: 'hmac' },
      { ...ed.jwk, d: 'AAAA', kid: 'private' },
    ];
    const { verify, clock, lines, metrics } = verifierFor(server.url, { cacheMaxAgeMs: 60 * SECOND });
    const refused = '401: token signed with a key the gateway does not accept';
    expect(await outcome(verify, handSigned({ alg: 'RS256', kid: 'weak' }, weak.privateKey))).toBe(refused);
    expect(await outcome(verify, await tokenFrom(encryption))).toBe(refused);
    expect(await outcome(verify, await tokenFrom(rotated, {}, 'wrong-alg'))).toBe(refused);
    expect(await outcome(verify, await tokenFrom(ed, {}, 'private'))).toBe(refused);
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('ok');
    expect(await outcome(verify, await tokenFrom(ec))).toBe('ok');
    expect(metrics()).toMatchObject({ keys: 2, unusableKeys: 6 });
    const skipped = () => lines.filter((line) => line.msg === 'JWKS key skipped: tokens naming it are refused');
    expect(
      skipped()
        .map((line) => line.kid)
        .sort(),
    ).toEqual(['enc-1', 'hmac', 'p384', 'private', 'weak', 'wrong-alg']);
    expect(skipped().find((line) => line.kid === 'weak')?.reason).toMatch(/RSA modulus is 1024 bits/);
    // Refetched: the same bad keys are not warned about again.
    clock.now += 61 * SECOND;
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('ok');
    expect(server.fetches).toBe(2);
    expect(skipped()).toHaveLength(6);
  });

  it('refuses two keys that share a kid (which one signed is ambiguous)', async () => {
    server.keys = [rsa.jwk, { ...rotated.jwk, kid: rsa.kid }];
    const { verify } = verifierFor(server.url);
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('401: token signed with a key the gateway does not accept');
  });
});

describe('forged tokens stay 401 (and reach no key source but ours)', () => {
  let verify: AccessTokenVerifier;
  beforeEach(async () => {
    ({ verify } = verifierFor(server.url));
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('ok');
  });

  it('alg: none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(JSON.stringify({ ...claims(), sub: 'stf_0002', iss: ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300 }));
    expect(await outcome(verify, `${base64url.encode(JSON.stringify({ alg: 'none', kid: rsa.kid }))}.${payload}.`)).toBe('401: token algorithm not accepted');
  });

  it('algorithm confusion: HS256 keyed with the RSA public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(rsa.jwk));
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setSubject('stf_0002')
      .setIssuer(ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    expect(await outcome(verify, forged)).toBe('401: token algorithm not accepted');
  });

  it('a known kid with another algorithm than its key (ES256 naming the RSA key)', async () => {
    expect(await outcome(verify, await tokenFrom(ec, {}, rsa.kid))).toBe('401: token algorithm does not match its key');
  });

  it('the attacker’s own key by jku, x5u or an embedded jwk: never fetched, never used', async () => {
    const jwk = { kty: attacker.jwk.kty, n: attacker.jwk.n, e: attacker.jwk.e };
    for (const header of [{ jku: attackerServer.url }, { x5u: attackerServer.url }, { jwk }]) {
      // Naming one of our kids: the signature does not verify with our key.
      expect(await outcome(verify, await tokenFrom(attacker, header, rsa.kid))).toBe('401: token signature invalid');
      // Naming its own kid: not in our set.
      expect(await outcome(verify, await tokenFrom(attacker, header))).toBe('401: token signed with an unknown key');
    }
    expect(attackerServer.fetches).toBe(0);
  });

  it('a tampered payload', async () => {
    const [header, , signature] = (await tokenFrom(rsa)).split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = base64url.encode(
      JSON.stringify({ role: 'data_protection_officer', sub: 'stf_0002', iss: ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300 }),
    );
    expect(await outcome(verify, `${header}.${forged}.${signature}`)).toBe('401: token signature invalid');
  });
});

describe('production: HTTPS key set from a private CA, through the whole gateway', () => {
  let certificates: ReturnType<typeof makeTestCertificates>;
  let tls: KeySetServer;
  let stack: TestStack;

  beforeAll(async () => {
    certificates = makeTestCertificates();
    tls = await startKeySetServer({ tls: { key: certificates.key, cert: certificates.cert } });
    tls.keys = [rsa.jwk, ec.jwk, ed.jwk, { ...rotated.jwk, kid: 'enc', use: 'enc' }];
    tls.mode = 'status-500';
    stack = await startTestStack({
      seed: false,
      env: {
        NODE_ENV: 'production',
        JWT_JWKS_URL: tls.url,
        JWT_JWKS_CA_FILE: certificates.caFile,
        JWT_JWKS_REFETCH_INTERVAL_SECONDS: '1',
        JWT_ISSUER: ISSUER,
        SUBGRAPH_SIGNING_SECRET: 'q'.repeat(48),
        ID_TOKEN_SECRET: 'r'.repeat(48),
        METRICS_TOKEN: METRICS_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await tls?.close();
    certificates?.cleanUp();
  });

  async function ask(token: string) {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ myCaseload { id } }' }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as { errors?: { message: string; extensions: { code: string } }[] },
    };
  }

  it('answers 503 with Retry-After while the key set fails, never 401 or 500, and reaches no subgraph', async () => {
    stack.resetCounters();
    const answer = await ask(await tokenFrom(rsa));
    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(answer.body.errors?.[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(answer.body.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|500/);
    expect(stack.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
  });

  it('verifies RS256, ES256 and EdDSA tokens once the key set answers (trusting the private CA for that fetch only)', async () => {
    tls.mode = 'ok';
    // Back-off after the failure above is 1 s: poll until the gateway has refetched.
    await vi.waitFor(async () => expect((await ask(await tokenFrom(rsa))).status).toBe(200), { timeout: 10_000, interval: 250 });
    for (const s of [ec, ed]) expect((await ask(await tokenFrom(s))).status).toBe(200);
  });

  it('counts it all on /metrics: the failure by cause, the 503, the keys held and skipped', async () => {
    const response = await fetch(new URL('/metrics', stack.gatewayUrl), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^ntk_jwks_fetch_failures_total\{cause="status"\} [1-9]/m);
    expect(text).toMatch(/^ntk_jwks_fetch_failures_total\{cause="tls"\} 0$/m);
    expect(text).toMatch(/^ntk_jwks_unavailable_total [1-9]/m);
    expect(text).toMatch(/^ntk_jwks_keys\{state="usable"\} 3$/m);
    expect(text).toMatch(/^ntk_jwks_keys\{state="skipped"\} 1$/m);
    expect(text).toMatch(/^ntk_jwks_consecutive_failures 0$/m);
  });

  it('refuses a token naming an unusable key, or forged, with 401', async () => {
    for (const token of [await tokenFrom(rotated, {}, 'enc'), await tokenFrom(attacker, { jku: attackerServer.url }, rsa.kid)]) {
      const answer = await ask(token);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('without the CA the same server is a TLS failure: 503, logged as tls', async () => {
    const { verify, lines } = verifierFor(tls.url);
    expect(await outcome(verify, await tokenFrom(rsa))).toBe('503');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'JWKS fetch failed', cause: 'tls' }));
  });
});
