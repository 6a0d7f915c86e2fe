import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { audienceOf } from '../shield/audience.js';
import { createIdCodec, ID_TOKEN_PREFIX } from '../gateway/ids/opaque-ids.js';
import { ROLES, type Principal, type Role } from '../shield/roles.js';

/**
 * Invariant 1 (DESIGN.md): IDs returned to clients are opaque, per-audience tokens — unrelated
 * across audiences, rejected in the wrong audience, and unforgeable. These tests try to break it.
 */

// Fixed so every run checks the same tokens; the properties must hold for any secret.
const SECRET = 'test-only opaque-id secret, 32+ bytes long';
const AUDIENCES = ['care', 'hr', 'agency:Northshire Police', 'self:cli_x'] as const;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Characters a lenient decoder might skip or map onto the alphabet.
const EXTRA_CHARS = '=+/. \n\t%~!é\u0000';

function body(token: string): string {
  expect(token.startsWith(ID_TOKEN_PREFIX)).toBe(true);
  return token.slice(ID_TOKEN_PREFIX.length);
}

function substrings(text: string, length: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + length <= text.length; i += 1) out.add(text.slice(i, i + length));
  return out;
}

function sharedSubstring(a: string, b: string, length: number): string | undefined {
  const ofB = substrings(b, length);
  for (const piece of substrings(a, length)) if (ofB.has(piece)) return piece;
  return undefined;
}

function randomBase64url(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE64URL_ALPHABET[byte % 64];
  return out;
}

describe('opaque ID codec', () => {
  const codec = createIdCodec(SECRET);

  describe('format', () => {
    it('round-trips ids of any well-formed Unicode up to 256 bytes', () => {
      const ids = ['cli_000123', 'e', '0', 'x'.repeat(256), 'é'.repeat(128), 'a\u0000b', '🙂 spaces / slashes?&=', 'n1_looks_like_a_token'];
      for (const id of ids) {
        const token = codec.encode('care', 'Client', id);
        expect(codec.decode('care', 'Client', token)).toBe(id);
      }
    });

    it('is URL-safe, unpadded and carries the version prefix', () => {
      expect(ID_TOKEN_PREFIX).toBe('n1_');
      for (let i = 0; i < 300; i += 1) {
        const token = codec.encode('care', 'Client', 'c'.repeat(1 + (i % 256)));
        expect(token).toMatch(/^n1_[A-Za-z0-9_-]+$/);
        expect(encodeURIComponent(token)).toBe(token);
      }
    });

    it('hides an id’s exact length within a 32-byte bucket', () => {
      const lengths = new Set<number>();
      for (let n = 1; n <= 31; n += 1) lengths.add(codec.encode('care', 'Client', 'z'.repeat(n)).length);
      expect(lengths.size).toBe(1);
    });

    it('refuses bad raw ids without echoing them', () => {
      const secretLooking = 'SECRET-RAW-ID-' + 'q'.repeat(260);
      const bad = ['', secretLooking, 'é'.repeat(129), 'lone\uD800surrogate'];
      for (const id of bad) {
        let message = '';
        try {
          codec.encode('care', 'Client', id);
        } catch (error) {
          message = error instanceof Error ? error.message : String(error);
        }
        expect(message).not.toBe('');
        if (id.length > 0) expect(message).not.toContain(id.slice(0, 8));
      }
    });

    it('refuses short secrets without echoing them', () => {
      const short = 'short-secret-31-bytes-long-xxxx';
      expect(Buffer.byteLength(short)).toBe(31);
      expect(() => createIdCodec(short)).toThrow(Error);
      expect(() => createIdCodec(new Uint8Array(31))).toThrow(Error);
      try {
        createIdCodec(short);
      } catch (error) {
        expect(String(error)).not.toContain(short);
      }
      expect(() => createIdCodec(new Uint8Array(32))).not.toThrow();
    });

    it('refuses typenames that are not GraphQL names, so typename ‖ 0x00 ‖ id stays unambiguous', () => {
      expect(() => codec.encode('care', 'Cli\u0000ent', 'x')).toThrow(Error);
      expect(() => codec.encode('care', '', 'x')).toThrow(Error);
      expect(() => codec.decode('care', 'Client Note', 'n1_x')).toThrow(Error);
    });

    it('refuses empty and malformed audiences', () => {
      expect(() => codec.encode('', 'Client', 'x')).toThrow(Error);
      expect(() => codec.encode('self:\uD800', 'Client', 'x')).toThrow(Error);
      expect(() => codec.encode('agency:' + 'a'.repeat(600), 'Client', 'x')).toThrow(Error);
    });
  });

  describe('determinism', () => {
    it('gives the same token for the same audience, typename and id, across codec instances', () => {
      const again = createIdCodec(Buffer.from(SECRET, 'utf8'));
      for (const audience of AUDIENCES) {
        const token = codec.encode(audience, 'Client', 'cli_000123');
        expect(codec.encode(audience, 'Client', 'cli_000123')).toBe(token);
        expect(again.encode(audience, 'Client', 'cli_000123')).toBe(token);
      }
    });

    it('does not let the caller’s secret buffer change the keys afterwards', () => {
      const secret = Buffer.from(SECRET, 'utf8');
      const held = createIdCodec(secret);
      secret.fill(0x41);
      expect(held.encode('care', 'Client', 'cli_1')).toBe(codec.encode('care', 'Client', 'cli_1'));
    });
  });

  describe('audiences are unlinkable', () => {
    const rawId = 'cli_000123';
    const tokens = AUDIENCES.map((audience) => codec.encode(audience, 'Client', rawId));

    it('gives the same entity a different token in every audience, sharing no 8-char run', () => {
      expect(new Set(tokens).size).toBe(AUDIENCES.length);
      for (const [i, a] of tokens.entries()) {
        for (const b of tokens.slice(i + 1)) expect(sharedSubstring(body(a), body(b), 8)).toBeUndefined();
      }
    });

    it('rejects a token in every audience but its own', () => {
      for (const [i, token] of tokens.entries()) {
        for (const [j, audience] of AUDIENCES.entries()) {
          expect(codec.decode(audience, 'Client', token)).toBe(i === j ? rawId : null);
        }
      }
    });

    it('keeps agencies and service users apart from each other', () => {
      const police = codec.encode('agency:Northshire Police', 'Client', rawId);
      expect(codec.decode('agency:Northshire Police ', 'Client', police)).toBeNull();
      expect(codec.decode('agency:northshire police', 'Client', police)).toBeNull();
      expect(codec.decode('agency:Northshire Council', 'Client', police)).toBeNull();
      const self = codec.encode('self:cli_x', 'Client', rawId);
      expect(codec.decode('self:cli_y', 'Client', self)).toBeNull();
      expect(codec.decode('trustee:cli_x', 'Client', self)).toBeNull();
    });

    it('does not decode a Client token as an Employee, or the other way round', () => {
      const client = codec.encode('care', 'Client', 'p_42');
      const employee = codec.encode('care', 'Employee', 'p_42');
      expect(client).not.toBe(employee);
      expect(sharedSubstring(body(client), body(employee), 8)).toBeUndefined();
      expect(codec.decode('care', 'Employee', client)).toBeNull();
      expect(codec.decode('care', 'Client', employee)).toBeNull();
      expect(codec.decode('care', 'client', client)).toBeNull();
    });
  });

  describe('tokens cannot be edited or forged', () => {
    const rawId = 'cli_000123';
    // One token per padding bucket size, so tokens whose last character has spare bits are covered.
    const samples = [rawId, 'y'.repeat(40), 'w'.repeat(70)].map((id) => ({ id, token: codec.encode('care', 'Client', id) }));

    it('rejects every single-character change at every position', () => {
      for (const { id, token } of samples) {
        expect(codec.decode('care', 'Client', token)).toBe(id);
        for (let position = 0; position < token.length; position += 1) {
          for (const char of BASE64URL_ALPHABET + EXTRA_CHARS) {
            if (char === token[position]) continue;
            const edited = token.slice(0, position) + char + token.slice(position + 1);
            expect(codec.decode('care', 'Client', edited), `${char} at ${position}`).toBeNull();
          }
          // Deleting or inserting one character, too.
          expect(codec.decode('care', 'Client', token.slice(0, position) + token.slice(position + 1))).toBeNull();
          expect(codec.decode('care', 'Client', token.slice(0, position) + 'A' + token.slice(position))).toBeNull();
        }
      }
    });

    it('rejects every truncation and extension', () => {
      for (const { token } of samples) {
        for (let length = 0; length < token.length; length += 1) {
          expect(codec.decode('care', 'Client', token.slice(0, length))).toBeNull();
        }
        // 1..60 extra characters reaches the next genuine token length, so length checks alone do not save us.
        for (let extra = 1; extra <= 60; extra += 1) {
          expect(codec.decode('care', 'Client', token + randomBase64url(extra))).toBeNull();
          expect(codec.decode('care', 'Client', token + 'A'.repeat(extra))).toBeNull();
        }
        expect(codec.decode('care', 'Client', token + '=')).toBeNull();
        expect(codec.decode('care', 'Client', token + '==')).toBeNull();
        expect(codec.decode('care', 'Client', ' ' + token)).toBeNull();
        expect(codec.decode('care', 'Client', token.toUpperCase())).toBeNull();
      }
    });

    it('rejects a token re-encoded as standard or padded base64', () => {
      for (const { token } of samples) {
        const bytes = Buffer.from(body(token), 'base64url');
        const variants = [bytes.toString('base64'), bytes.toString('base64url') + '=', bytes.toString('base64url') + '=='];
        for (const variant of variants) {
          if (variant !== body(token)) expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + variant)).toBeNull();
        }
      }
    });

    it('rejects spliced tokens (IV of one, ciphertext of another)', () => {
      const a = Buffer.from(body(codec.encode('care', 'Client', 'cli_000123')), 'base64url');
      const b = Buffer.from(body(codec.encode('care', 'Client', 'cli_000124')), 'base64url');
      const spliced = Buffer.concat([a.subarray(0, 12), b.subarray(12)]);
      expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + spliced.toString('base64url'))).toBeNull();
      const swappedTag = Buffer.concat([a.subarray(0, a.length - 16), b.subarray(b.length - 16)]);
      expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + swappedTag.toString('base64url'))).toBeNull();
    });

    it('rejects random strings, with and without the prefix, at every plausible length', () => {
      expect(codec.decode('care', 'Client', '')).toBeNull();
      expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX)).toBeNull();
      expect(codec.decode('care', 'Client', rawId)).toBeNull();
      expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + 'A'.repeat(80))).toBeNull();
      expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + 'x'.repeat(100_000))).toBeNull();
      for (let i = 0; i < 3_000; i += 1) {
        const length = 1 + (i % 400);
        expect(codec.decode('care', 'Client', ID_TOKEN_PREFIX + randomBase64url(length))).toBeNull();
        expect(codec.decode('care', 'Client', randomBase64url(length))).toBeNull();
      }
    });

    it('rejects tokens minted with another secret', () => {
      const other = createIdCodec(randomBytes(32));
      const near = createIdCodec(SECRET.slice(0, -1) + '!');
      for (const audience of AUDIENCES) {
        for (let i = 0; i < 200; i += 1) {
          const id = `cli_${i}`;
          expect(codec.decode(audience, 'Client', other.encode(audience, 'Client', id))).toBeNull();
          expect(codec.decode(audience, 'Client', near.encode(audience, 'Client', id))).toBeNull();
          expect(other.decode(audience, 'Client', codec.encode(audience, 'Client', id))).toBeNull();
        }
      }
    });
  });

  describe('tokens reveal nothing of the raw id', () => {
    it('never collides across 10,000 different raw ids', () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5_000; i += 1) ids.add(`cli_${String(i).padStart(6, '0')}`);
      while (ids.size < 10_000) ids.add(randomBytes(1 + (ids.size % 20)).toString('base64url'));
      const tokens = new Set<string>();
      for (const id of ids) tokens.add(codec.encode('care', 'Client', id));
      expect(tokens.size).toBe(10_000);
    });

    it('contains neither the raw id nor any 4-char run of its base64', () => {
      const ids = ['cli_000123', 'emp_Jane.Doe', '5f2b1c9a8e7d6c5b4a392817', 'AAAAAAAAAAAAAAAA'];
      for (const audience of AUDIENCES) {
        for (const id of ids) {
          const token = codec.encode(audience, 'Client', id);
          expect(Buffer.from(token).includes(id)).toBe(false);
          expect(Buffer.from(token).includes(Buffer.from(id))).toBe(false);
          for (const encoding of ['base64', 'base64url', 'hex'] as const) {
            const plain = Buffer.from(id, 'utf8').toString(encoding).replace(/=+$/, '');
            expect(sharedSubstring(body(token), plain, 4), `${encoding} of ${id} in ${audience}`).toBeUndefined();
          }
        }
      }
    });

    it('gives ids differing in one character tokens sharing no 8-char run', () => {
      const pairs: [string, string][] = [
        ['cli_000123', 'cli_000124'],
        ['cli_000123', 'dli_000123'],
        ['a', 'b'],
        ['x'.repeat(256), 'x'.repeat(255) + 'y'],
      ];
      for (const audience of AUDIENCES) {
        for (const [a, b] of pairs) {
          const ta = body(codec.encode(audience, 'Client', a));
          const tb = body(codec.encode(audience, 'Client', b));
          expect(sharedSubstring(ta, tb, 8), `${a} / ${b} in ${audience}`).toBeUndefined();
        }
      }
    });
  });

  describe('key derivation', () => {
    it('derives an audience’s keys once, not per ID in a large list', () => {
      const fresh = createIdCodec(SECRET);
      expect(fresh.stats()).toEqual({ derivations: 0, cachedAudiences: 0 });
      const tokens: string[] = [];
      for (let i = 0; i < 10_000; i += 1) tokens.push(fresh.encode('agency:Northshire Police', 'Client', `cli_${i}`));
      for (const [i, token] of tokens.entries()) expect(fresh.decode('agency:Northshire Police', 'Client', token)).toBe(`cli_${i}`);
      expect(fresh.stats()).toEqual({ derivations: 1, cachedAudiences: 1 });
    });

    it('bounds the cache, evicting the least recently used audience', () => {
      const small = createIdCodec(SECRET, { maxCachedAudiences: 3 });
      for (const audience of ['self:a', 'self:b', 'self:c']) small.encode(audience, 'Client', 'x');
      small.encode('self:a', 'Client', 'x'); // a is now the most recently used
      small.encode('self:d', 'Client', 'x'); // evicts b
      expect(small.stats()).toEqual({ derivations: 4, cachedAudiences: 3 });
      small.encode('self:a', 'Client', 'x');
      small.encode('self:c', 'Client', 'x');
      expect(small.stats().derivations).toBe(4);
      // Re-derived keys are the same keys: tokens survive eviction.
      const before = codec.encode('self:b', 'Client', 'x');
      expect(small.encode('self:b', 'Client', 'x')).toBe(before);
      expect(small.stats()).toEqual({ derivations: 5, cachedAudiences: 3 });
    });

    it('caps the default cache at 10,000 audiences', () => {
      const fresh = createIdCodec(SECRET);
      for (let i = 0; i < 10_050; i += 1) fresh.encode(`self:cli_${i}`, 'Client', 'x');
      expect(fresh.stats()).toEqual({ derivations: 10_050, cachedAudiences: 10_000 });
    });

    it('does not spend a derivation on structurally invalid tokens', () => {
      const fresh = createIdCodec(SECRET);
      expect(fresh.decode('agency:Anyone', 'Client', 'junk')).toBeNull();
      expect(fresh.decode('agency:Anyone', 'Client', ID_TOKEN_PREFIX + 'A'.repeat(7))).toBeNull();
      expect(fresh.stats().derivations).toBe(0);
    });
  });
});

describe('audienceOf', () => {
  const expected: Readonly<Record<Role, string>> = {
    support_worker: 'care',
    team_manager: 'care',
    duty_officer: 'duty',
    hr: 'hr',
    safeguarding_officer: 'safeguarding',
    data_protection_officer: 'dpo',
    trustee: 'trustee:sub_1',
    reporting: 'reporting',
    service_user: 'self:sub_1',
    external_agency: 'agency:Northshire Police',
  };

  function principal(role: Role, overrides: Partial<Principal> = {}): Principal {
    return { role, sub: 'sub_1', team: 'north', agency: 'Northshire Police', ...overrides };
  }

  it('gives every role in ROLES an audience', () => {
    // Iterating ROLES, not `expected`, so a role added later without an audience fails here.
    for (const role of ROLES) {
      const audience = audienceOf(principal(role));
      expect(audience, role).toBe(expected[role]);
    }
  });

  it('shares one audience between care staff only', () => {
    const audiences = ROLES.map((role) => audienceOf(principal(role)));
    expect(new Set(audiences).size).toBe(ROLES.length - 1);
    expect(audienceOf(principal('support_worker', { team: 'south', sub: 'w9' }))).toBe(audienceOf(principal('team_manager')));
  });

  it('gives each agency, service user and trustee an audience of their own', () => {
    expect(audienceOf(principal('external_agency', { agency: 'Northshire Council' }))).not.toBe(audienceOf(principal('external_agency')));
    expect(audienceOf(principal('external_agency', { sub: 'svc_other' }))).toBe(audienceOf(principal('external_agency')));
    expect(audienceOf(principal('service_user', { sub: 'cli_y' }))).toBe('self:cli_y');
    expect(audienceOf(principal('trustee', { sub: 'sub_2' }))).toBe('trustee:sub_2');
    expect(audienceOf(principal('service_user'))).not.toBe(audienceOf(principal('trustee')));
  });

  it('refuses principals missing the claim their audience is keyed on', () => {
    expect(() => audienceOf({ role: 'external_agency', sub: 'svc_1' })).toThrow(Error);
    expect(() => audienceOf(principal('external_agency', { agency: '' }))).toThrow(Error);
    expect(() => audienceOf(principal('service_user', { sub: '' }))).toThrow(Error);
    expect(() => audienceOf(principal('trustee', { sub: '' }))).toThrow(Error);
  });

  it('fails closed on a role it does not know', () => {
    expect(() => audienceOf({ role: 'janitor' as Role, sub: 'x' })).toThrow(Error);
  });
});
