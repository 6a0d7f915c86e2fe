import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/*
 * Opaque, per-audience entity IDs (docs/INVARIANTS.md#1). Clients only ever see these
 * tokens; the gateway turns them back into raw ids before anything reaches a subgraph.
 *
 * Construction, for a token of format version 1:
 *
 *   encKey ‖ macKey = HKDF-SHA256(ikm = secret, salt = "", info = "needtoknow-id:" + audience, 64)
 *   iv              = HMAC-SHA256(macKey, typename ‖ 0x00 ‖ rawId)[0..12]
 *   ct ‖ tag        = AES-256-GCM(encKey, iv, aad = typename, pad(rawId))
 *   token           = "n1_" + base64url(iv ‖ ct ‖ tag)
 *
 * - Deterministic: the IV is a function of the plaintext (a synthetic IV, as in SIV), so the
 *   same audience, typename and id always give the same token and clients can cache by ID.
 *   Reusing a GCM IV is only unsafe for two *different* plaintexts; here the same IV means the
 *   same plaintext, except on a 96-bit HMAC collision (birthday bound ~2^48 ids per audience).
 * - Unrelated across audiences: each audience has independent keys, so its tokens share
 *   nothing computable with another audience's without the secret.
 * - Authenticated: the GCM tag covers the IV, ciphertext and typename, so an edited, forged or
 *   cross-typename token fails; a cross-audience token fails because the key differs. After
 *   decryption the IV is recomputed from the plaintext and compared, binding IV to plaintext
 *   as SIV does, so only tokens this codec minted are ever accepted.
 * - Typenames are GraphQL names, which cannot contain 0x00, so `typename ‖ 0x00 ‖ rawId` is
 *   unambiguous even when the raw id contains 0x00.
 * - pad() (ISO/IEC 7816-4: 0x80 then zeros, to a multiple of 32 bytes) hides an id's exact
 *   length; tokens only reveal which 32-byte bucket it falls in.
 * - A format change must use a new prefix and new HKDF info, never reinterpret `n1_` tokens.
 *
 * AES-GCM-SIV would be the textbook choice but is not in the OpenSSL that Node 20 ships.
 */

/** Names the token format version; every token the codec mints starts with it. */
export const ID_TOKEN_PREFIX = 'n1_';

export interface IdCodec {
  /** Mints the token for `rawId` of `typename` as seen by `audience`. Throws on an invalid id. */
  encode(audience: string, typename: string, rawId: string): string;
  /**
   * The raw id if `token` was minted by this codec for exactly this audience and typename,
   * else `null`. Never throws on the token; throws only on an invalid audience or typename,
   * which are the caller's own values.
   */
  decode(audience: string, expectedTypename: string, token: string): string | null;
  /** Counters for tests and metrics: key derivations so far and audiences currently cached. */
  stats(): { readonly derivations: number; readonly cachedAudiences: number };
}

export interface IdCodecOptions {
  /** Audiences whose keys are kept; `agency:` and `self:` audiences are many. Default 10,000. */
  readonly maxCachedAudiences?: number;
}

const MIN_SECRET_BYTES = 32;
const MAX_RAW_ID_BYTES = 256;
// HKDF info is capped at 1024 bytes by Node; keep well clear of it.
const MAX_AUDIENCE_BYTES = 512;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PAD_BLOCK = 32;
const PAD_MARKER = 0x80;
const HKDF_INFO_PREFIX = 'needtoknow-id:';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// Every padded plaintext is 32·k bytes, so only these token body lengths can be genuine.
const MAX_PADDED_BYTES = Math.ceil((MAX_RAW_ID_BYTES + 1) / PAD_BLOCK) * PAD_BLOCK;
const VALID_BODY_LENGTHS: ReadonlySet<number> = new Set(
  Array.from({ length: MAX_PADDED_BYTES / PAD_BLOCK }, (_, i) => base64urlLength(IV_BYTES + (i + 1) * PAD_BLOCK + TAG_BYTES)),
);
const MAX_TOKEN_LENGTH = ID_TOKEN_PREFIX.length + Math.max(...VALID_BODY_LENGTHS);

interface AudienceKeys {
  readonly enc: KeyObject;
  readonly mac: KeyObject;
}

export function createIdCodec(secret: string | Uint8Array, options: IdCodecOptions = {}): IdCodec {
  let secretBytes: Buffer;
  if (typeof secret === 'string') {
    secretBytes = Buffer.from(secret, 'utf8');
  } else if (secret instanceof Uint8Array) {
    secretBytes = Buffer.from(secret);
  } else {
    throw new Error('ID codec secret must be a string or a Uint8Array');
  }
  if (secretBytes.length < MIN_SECRET_BYTES) {
    throw new Error(`ID codec secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  // A KeyObject copy: later changes to the caller's buffer cannot change the keys.
  const master = createSecretKey(secretBytes);
  secretBytes.fill(0);

  const maxCachedAudiences = options.maxCachedAudiences ?? 10_000;
  if (!Number.isSafeInteger(maxCachedAudiences) || maxCachedAudiences < 1) {
    throw new Error('maxCachedAudiences must be a positive integer');
  }

  // Insertion-ordered, refreshed on use: the first key is the least recently used audience.
  const cache = new Map<string, AudienceKeys>();
  let derivations = 0;

  function keysFor(audience: string): AudienceKeys {
    const cached = cache.get(audience);
    if (cached !== undefined) {
      cache.delete(audience);
      cache.set(audience, cached);
      return cached;
    }
    const info = HKDF_INFO_PREFIX + audience;
    const okm = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 64));
    const keys: AudienceKeys = {
      enc: createSecretKey(okm.subarray(0, 32)),
      mac: createSecretKey(okm.subarray(32, 64)),
    };
    okm.fill(0);
    derivations += 1;
    if (cache.size >= maxCachedAudiences) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(audience, keys);
    return keys;
  }

  return {
    encode(audience, typename, rawId) {
      checkAudience(audience);
      checkTypename(typename);
      const raw = rawIdBytes(rawId);
      const keys = keysFor(audience);
      const iv = syntheticIv(keys.mac, typename, raw);
      const cipher = createCipheriv('aes-256-gcm', keys.enc, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(typename, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(pad(raw)), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ID_TOKEN_PREFIX + Buffer.concat([iv, ciphertext, tag]).toString('base64url');
    },

    decode(audience, expectedTypename, token) {
      checkAudience(audience);
      checkTypename(expectedTypename);
      // Cheap structural checks first, so junk never costs a key derivation or an allocation.
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
      if (!token.startsWith(ID_TOKEN_PREFIX)) return null;
      const body = token.slice(ID_TOKEN_PREFIX.length);
      if (!VALID_BODY_LENGTHS.has(body.length) || !BASE64URL.test(body)) return null;
      const bytes = Buffer.from(body, 'base64url');
      // Node ignores the spare low bits of the last character; without this, several strings
      // would decode to one token and an edited token could still be accepted.
      if (bytes.toString('base64url') !== body) return null;

      const iv = bytes.subarray(0, IV_BYTES);
      const ciphertext = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const keys = keysFor(audience);
      let padded: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', keys.enc, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(expectedTypename, 'utf8'));
        decipher.setAuthTag(tag);
        padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        return null;
      }
      const raw = unpad(padded);
      if (raw === null) return null;
      if (!timingSafeEqual(syntheticIv(keys.mac, expectedTypename, raw), iv)) return null;
      return raw.toString('utf8');
    },

    stats() {
      return { derivations, cachedAudiences: cache.size };
    },
  };
}

function syntheticIv(macKey: KeyObject, typename: string, raw: Buffer): Buffer {
  const mac = createHmac('sha256', macKey);
  mac.update(typename, 'utf8');
  mac.update(Buffer.of(0));
  mac.update(raw);
  return mac.digest().subarray(0, IV_BYTES);
}

function pad(raw: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil((raw.length + 1) / PAD_BLOCK) * PAD_BLOCK);
  raw.copy(padded);
  padded[raw.length] = PAD_MARKER;
  return padded;
}

// Authenticated plaintext is always well padded; this only refuses what encode never makes.
function unpad(padded: Buffer): Buffer | null {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 1 || padded[end] !== PAD_MARKER) return null;
  return padded.subarray(0, end);
}

// Error messages name the rule, never the value: a raw id must not reach logs via an exception.
function rawIdBytes(rawId: string): Buffer {
  if (typeof rawId !== 'string' || rawId.length === 0) {
    throw new Error('raw id must be a non-empty string');
  }
  const raw = Buffer.from(rawId, 'utf8');
  // Lone surrogates become U+FFFD in UTF-8 and would decode to a different id.
  if (raw.toString('utf8') !== rawId) {
    throw new Error('raw id must be well-formed Unicode');
  }
  if (raw.length > MAX_RAW_ID_BYTES) {
    throw new Error(`raw id must be at most ${MAX_RAW_ID_BYTES} bytes of UTF-8`);
  }
  return raw;
}

function checkAudience(audience: string): void {
  if (typeof audience !== 'string' || audience.length === 0) {
    throw new Error('ID audience must be a non-empty string');
  }
  const bytes = Buffer.from(audience, 'utf8');
  // Two audiences differing only in lone surrogates would otherwise share HKDF info, hence keys.
  if (bytes.toString('utf8') !== audience) {
    throw new Error('ID audience must be well-formed Unicode');
  }
  if (bytes.length > MAX_AUDIENCE_BYTES) {
    throw new Error(`ID audience must be at most ${MAX_AUDIENCE_BYTES} bytes of UTF-8`);
  }
}

function checkTypename(typename: string): void {
  if (typeof typename !== 'string' || !GRAPHQL_NAME.test(typename)) {
    throw new Error('typename must be a GraphQL name');
  }
}

function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}
