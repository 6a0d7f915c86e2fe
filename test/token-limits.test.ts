import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompactSign, decodeJwt } from 'jose';
import { DEV_TOKEN_LIFETIME, mintDevToken } from '../gateway/auth/mint-dev-token.js';
import { AuthenticationError, createAccessTokenVerifier } from '../gateway/auth/verify-access-token.js';
import { DEFAULT_TOKEN_MAX_LIFETIME_SECONDS } from '../gateway/config.js';
import { PRINCIPAL_CLAIM_SHAPES } from '../platform/principal-claims.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../platform/secrets.js';
import { audienceOf } from '../shield/audience.js';
import { createIdCodec } from '../gateway/ids/opaque-ids.js';
import { startTestStack, TEST_AUDIENCE, TEST_ISSUER, type TestStack } from './support/test-stack.js';

/**
 * Issue 9 and DESIGN.md "Bad input": tokens with absurd lifetimes or oversized or malformed
 * claims get 401 saying what is wrong, never 500. Every claim the gateway reads × every way of
 * getting it wrong, through the real gateway.
 */

const key = new TextEncoder().encode(DEV_JWT_SECRET);
const QUERY = '{ myCaseload { id } }';
const HOUR = 3600;

interface Timing {
  readonly iat?: unknown;
  readonly exp?: unknown;
}

/**
 * A token signed with the right key, issuer and audience; `timing` sets iat/exp as given (raw).
 * Signed over JSON.stringify's output, which escapes a lone surrogate (`\ud800`) rather than
 * replacing it, as a hostile issuer could.
 */
function sign(claims: Record<string, unknown>, timing: Timing = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: TEST_ISSUER, aud: TEST_AUDIENCE, iat: now, exp: now + 300, ...timing, ...claims };
  for (const name of ['iat', 'exp']) if (payload[name] === undefined) delete payload[name];
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack({ seed: false });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => t.resetCounters());

async function send(authorization: string) {
  const response = await fetch(t.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: QUERY }),
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function expectRefused(token: string, message: RegExp) {
  const { status, text } = await send(`Bearer ${token}`);
  expect(status, text).toBe(401);
  const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  expect(body.errors[0]?.message).toMatch(message);
  expect(t.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
}

async function expectAccepted(token: string) {
  const { status, text } = await send(`Bearer ${token}`);
  expect(status, text).toBe(200);
}

// ---------------------------------------------------------------------------------------------
// Claims: every claim × oversized / control characters / wrong JSON type

/** A valid set of claims that carries `claim`, so the claim is what gets refused. */
const CARRIERS = {
  sub: { role: 'support_worker', sub: 'stf_0002' },
  role: { role: 'support_worker', sub: 'stf_0002' },
  team: { role: 'team_manager', sub: 'stf_0001', team: 'team_north' },
  agency: { role: 'external_agency', sub: 'nhs_user_1', agency: 'Northshire NHS Trust', purpose: 'care coordination' },
  purpose: { role: 'external_agency', sub: 'nhs_user_1', agency: 'Northshire NHS Trust', purpose: 'care coordination' },
} as const;
type Claim = keyof typeof CARRIERS;
const CLAIMS = Object.keys(CARRIERS) as Claim[];

const BAD_VALUES: readonly [string, unknown][] = [
  ['700 bytes', 'x'.repeat(700)],
  ['5,000 bytes', 'x'.repeat(5_000)],
  ['a NUL', 'team\u0000north'],
  ['a newline', 'team\nnorth'],
  ['a bell', 'team\u0007'],
  ['a right-to-left override', 'team\u202enorth'],
  ['a zero-width joiner', 'team\u200dnorth'],
  ['a lone surrogate', 'team\ud800north'],
  ['a number', 7],
  ['an array', ['team_north']],
  ['an object', { name: 'team_north' }],
  ['null', null],
  ['true', true],
  ['an empty string', ''],
];

describe.each(CLAIMS)('claim "%s"', (claim) => {
  it('is accepted as it should be (the control: the refusals below are about the value)', async () => {
    await expectAccepted(await sign({ ...CARRIERS[claim] }));
  });

  it.each(BAD_VALUES)('with %s is refused with 401 naming the claim', async (_what, value) => {
    await expectRefused(await sign({ ...CARRIERS[claim], [claim]: value }), claim === 'role' ? /no valid role: claim "role"/ : new RegExp(`"${claim}"`));
  });
});

describe.each(Object.entries(PRINCIPAL_CLAIM_SHAPES) as [Exclude<Claim, 'role'>, { maxBytes: number }][])('the size of claim "%s"', (claim, { maxBytes }) => {
  // Multi-byte characters where the claim allows them: the limit is in bytes of UTF-8.
  const unit = claim === 'agency' || claim === 'purpose' ? 'é' : 'a';
  const ofBytes = (bytes: number) => unit.repeat(Math.floor(bytes / Buffer.byteLength(unit))) + 'a'.repeat(bytes % Buffer.byteLength(unit));

  it(`is accepted at exactly ${maxBytes} bytes`, async () => {
    await expectAccepted(await sign({ ...CARRIERS[claim], [claim]: ofBytes(maxBytes) }));
  });

  it(`is refused at ${maxBytes + 1} bytes`, async () => {
    await expectRefused(await sign({ ...CARRIERS[claim], [claim]: ofBytes(maxBytes + 1) }), new RegExp(`"${claim}" is longer than ${maxBytes} bytes`));
  });
});

describe('agency names', () => {
  it('may be any organisation’s name: letters of any script, digits, punctuation, single spaces', async () => {
    for (const agency of ['Ysbyty Gwynedd (Betsi Cadwaladr UHB)', 'Police Service of Northern Ireland – PSNI', 'Mairie de Saint-Étienne', 'Αστυνομία 2']) {
      await expectAccepted(await sign({ ...CARRIERS.agency, agency }));
    }
  });

  it('are refused with leading, trailing or double spaces, or other kinds of space', async () => {
    for (const agency of [' Northshire NHS Trust', 'Northshire NHS Trust ', 'Northshire  NHS Trust', 'Northshire\u00a0NHS Trust', 'Northshire\tNHS Trust']) {
      await expectRefused(await sign({ ...CARRIERS.agency, agency }), /"agency" may contain only/);
    }
  });

  it('past the limit would have broken the ID codec: the 500 of issue 9 (the control)', () => {
    const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
    const principal = { role: 'external_agency', sub: 'nhs_user_1', purpose: 'care coordination' } as const;
    expect(() => codec.encode(audienceOf({ ...principal, agency: 'x'.repeat(700) }), 'Client', 'cli_1')).toThrow();
    expect(() => codec.encode(audienceOf({ ...principal, agency: 'é'.repeat(100) }), 'Client', 'cli_1')).not.toThrow();
  });
});

describe('the token as a whole', () => {
  it('is refused with 401 past 8 KiB of Authorization header, whatever it holds', async () => {
    const token = await sign({ ...CARRIERS.sub, padding: 'p'.repeat(9_000) });
    await expectRefused(token, /Authorization header is longer than 8192 bytes/);
  });

  it('is accepted with a few kilobytes of claims the gateway does not read (the control)', async () => {
    await expectAccepted(await sign({ ...CARRIERS.sub, groups: Array.from({ length: 60 }, (_, i) => `group-${i}-of-the-identity-provider`) }));
  });

  it('past what Node reads as headers is refused by Node (431, or the connection closed), never a 500', async () => {
    const token = await sign({ ...CARRIERS.sub, padding: 'p'.repeat(40_000) });
    const outcome = await send(`Bearer ${token}`).then(
      ({ status }) => status,
      () => 'closed',
    );
    expect([431, 'closed']).toContain(outcome);
  });
});

// ---------------------------------------------------------------------------------------------
// Lifetime: iat and exp required, exp − iat capped, iat not in the future

describe('token lifetime', () => {
  const claims = CARRIERS.sub;
  const now = () => Math.floor(Date.now() / 1000);

  it(`accepts the longest lifetime allowed, ${DEFAULT_TOKEN_MAX_LIFETIME_SECONDS / HOUR} h (the control)`, async () => {
    await expectAccepted(await sign(claims, { iat: now(), exp: now() + DEFAULT_TOKEN_MAX_LIFETIME_SECONDS }));
  });

  it.each([
    ['one second more', DEFAULT_TOKEN_MAX_LIFETIME_SECONDS + 1],
    ['a week', 7 * 24 * HOUR],
    ['100 years', 100 * 365 * 24 * HOUR],
    ['beyond any date', 1e300],
  ])('refuses %s', async (_what, lifetime) => {
    await expectRefused(
      await sign(claims, { iat: now(), exp: now() + lifetime }),
      new RegExp(`lifetime \\(exp − iat\\) is longer than the ${DEFAULT_TOKEN_MAX_LIFETIME_SECONDS} seconds`),
    );
  });

  it('refuses a long-lived token even when little of it is left (iat long ago)', async () => {
    await expectRefused(await sign(claims, { iat: now() - 30 * 24 * HOUR, exp: now() + 60 }), /expired|lifetime/);
  });

  it('refuses a token issued in the future, beyond the clock tolerance', async () => {
    await expectRefused(await sign(claims, { iat: now() + 60, exp: now() + HOUR }), /"iat" not accepted: issued in the future/);
  });

  it('accepts a token issued a moment ahead of the gateway clock, within the tolerance (the control)', async () => {
    await expectAccepted(await sign(claims, { iat: now() + 2, exp: now() + HOUR }));
  });

  it('refuses a token without iat, or without exp', async () => {
    await expectRefused(await sign(claims, { iat: undefined }), /"iat" not accepted: the token must carry it/);
    await expectRefused(await sign(claims, { exp: undefined }), /"exp" not accepted: the token must carry it/);
  });

  it.each([
    ['a string', '1700000000'],
    ['an array', [1]],
    ['null', null],
  ])('refuses iat or exp as %s', async (_what, value) => {
    await expectRefused(await sign(claims, { iat: value }), /"iat" not accepted/);
    await expectRefused(await sign(claims, { exp: value }), /"exp" not accepted/);
  });

  it('refuses exp not after iat', async () => {
    await expectRefused(await sign(claims, { iat: now(), exp: now() }), /"exp" not accepted: not after "iat"|expired/);
  });

  it('is configurable: JWT_MAX_LIFETIME_SECONDS=3600 refuses a 2 h token and accepts a 1 h one', async () => {
    const verify = createAccessTokenVerifier({
      keys: { kind: 'secret', secret: DEV_JWT_SECRET },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      maxLifetimeSeconds: HOUR,
    });
    await expect(verify(`Bearer ${await sign(claims, { iat: now(), exp: now() + 2 * HOUR })}`)).rejects.toThrow(AuthenticationError);
    await expect(verify(`Bearer ${await sign(claims, { iat: now(), exp: now() + 2 * HOUR })}`)).rejects.toThrow(/longer than the 3600 seconds/);
    await expect(verify(`Bearer ${await sign(claims, { iat: now(), exp: now() + HOUR })}`)).resolves.toEqual({ role: 'support_worker', sub: 'stf_0002' });
  });
});

// ---------------------------------------------------------------------------------------------
// The development token script

describe('npm run token', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development' },
    }).then(
      ({ stdout }) => ({ code: 0, stdout: stdout.trim(), stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it(`mints a ${DEV_TOKEN_LIFETIME} token by default that fits under the gateway's maximum and is accepted`, async () => {
    const { code, stdout } = await run('--role', 'support_worker', '--sub', 'stf_0002');
    expect(code).toBe(0);
    const { iat, exp } = decodeJwt(stdout);
    expect((exp ?? 0) - (iat ?? 0)).toBe(8 * HOUR);
    expect(8 * HOUR).toBeLessThanOrEqual(DEFAULT_TOKEN_MAX_LIFETIME_SECONDS);
    await expectAccepted(stdout);
  });

  it('refuses --expires 100y, saying the limit', async () => {
    const { code, stdout, stderr } = await run('--role', 'support_worker', '--sub', 'stf_0002', '--expires', '100y');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `--expires 100y is \\d+ seconds; the gateway accepts tokens of at most ${DEFAULT_TOKEN_MAX_LIFETIME_SECONDS} seconds \\(JWT_MAX_LIFETIME_SECONDS\\)`,
      ),
    );
  });

  it('refuses an --expires it cannot read, and a claim the gateway would refuse', async () => {
    expect((await run('--role', 'support_worker', '--sub', 'stf_0002', '--expires', 'forever')).stderr).toMatch(/--expires must be a duration such as 30m/);
    const agency = await run('--role', 'external_agency', '--sub', 'nhs_user_1', '--agency', 'x'.repeat(700), '--purpose', 'care coordination');
    expect(agency.code).toBe(2);
    expect(agency.stderr).toMatch(/"agency" is longer than 200 bytes/);
  });
});

describe('tokens the tests mint', () => {
  it(`live ${DEV_TOKEN_LIFETIME}, inside the maximum (the other test files rely on it)`, async () => {
    const token = await mintDevToken({ principal: { role: 'hr', sub: 'stf_0007' }, secret: DEV_JWT_SECRET, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const { iat, exp } = decodeJwt(token);
    expect((exp ?? 0) - (iat ?? 0)).toBeLessThanOrEqual(DEFAULT_TOKEN_MAX_LIFETIME_SECONDS);
    await expectAccepted(token);
  });
});
