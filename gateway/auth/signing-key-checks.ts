import { importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * Decides, key by key, whether a member of the identity provider's key set may verify access
 * tokens, and imports the ones that may. A key set is trusted as a whole, but one member that is
 * weak (an RSA modulus an attacker can factor), meant for encryption, carries private material
 * (a misconfigured provider), or uses an algorithm we do not accept must never verify a token:
 * it is skipped with a reason, and a token naming it is refused (401), while the others work.
 */

/** Asymmetric algorithms accepted from a key set. Never HS* (a public key as an HMAC secret) or `none`. */
export const KEY_SET_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type KeySetAlgorithm = (typeof KEY_SET_ALGORITHMS)[number];

/** NIST SP 800-131A: RSA below 2048 bits is not acceptable for signatures. */
const MIN_RSA_MODULUS_BITS = 2048;
const MAX_KID_LENGTH = 256;
/** Members that only a private or symmetric key has: a public key set must not hold them. */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export type CheckedKey =
  | { readonly usable: true; readonly kid: string | undefined; readonly keys: ReadonlyMap<KeySetAlgorithm, CryptoKey> }
  | { readonly usable: false; readonly kid: string | undefined; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAlgorithm(value: unknown): value is KeySetAlgorithm {
  return typeof value === 'string' && (KEY_SET_ALGORITHMS as readonly string[]).includes(value);
}

/** Bits in a big-endian unsigned integer given as base64url (leading zero bytes do not count). */
function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start += 1;
  if (start === bytes.length) return 0;
  return (bytes.length - start - 1) * 8 + (32 - Math.clz32(bytes[start] ?? 0));
}

/** The algorithms a key of this shape may verify, or why it may verify none. */
function algorithmsFor(jwk: Record<string, unknown>): { algorithms: KeySetAlgorithm[]; publicJwk: JWK } | { reason: string } {
  const declared = jwk.alg;
  if (declared !== undefined && !isAlgorithm(declared))
    return { reason: `its alg ${JSON.stringify(declared)} is not accepted (${KEY_SET_ALGORITHMS.join(', ')})` };
  const fits = (family: readonly KeySetAlgorithm[]) => (declared === undefined ? [...family] : family.includes(declared) ? [declared] : []);
  switch (jwk.kty) {
    case 'RSA': {
      if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return { reason: 'an RSA key without n and e' };
      const bits = modulusBits(jwk.n);
      if (bits < MIN_RSA_MODULUS_BITS) return { reason: `its RSA modulus is ${bits} bits, under the ${MIN_RSA_MODULUS_BITS} accepted` };
      const algorithms = fits(['RS256', 'PS256']);
      return algorithms.length > 0
        ? { algorithms, publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e } }
        : { reason: `alg ${String(declared)} does not fit an RSA key` };
    }
    case 'EC': {
      if (jwk.crv !== 'P-256') return { reason: `its curve ${JSON.stringify(jwk.crv)} is not accepted (P-256)` };
      if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return { reason: 'an EC key without x and y' };
      const algorithms = fits(['ES256']);
      return algorithms.length > 0
        ? { algorithms, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } }
        : { reason: `alg ${String(declared)} does not fit a P-256 key` };
    }
    case 'OKP': {
      if (jwk.crv !== 'Ed25519') return { reason: `its curve ${JSON.stringify(jwk.crv)} is not accepted (Ed25519)` };
      if (typeof jwk.x !== 'string') return { reason: 'an OKP key without x' };
      const algorithms = fits(['EdDSA']);
      return algorithms.length > 0
        ? { algorithms, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x } }
        : { reason: `alg ${String(declared)} does not fit an Ed25519 key` };
    }
    default:
      return { reason: `its key type ${JSON.stringify(jwk.kty)} is not accepted (RSA, EC, OKP)` };
  }
}

/** Checks one member of a key set and imports it for each algorithm it may verify. */
export async function checkSigningKey(member: unknown): Promise<CheckedKey> {
  if (!isRecord(member)) return { usable: false, kid: undefined, reason: 'not a JSON object' };
  const kid = member.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH)) {
    return { usable: false, kid: undefined, reason: `its kid is not a string of 1 to ${MAX_KID_LENGTH} characters` };
  }
  const refuse = (reason: string): CheckedKey => ({ usable: false, kid, reason });
  const secret = SECRET_MEMBERS.find((name) => name in member);
  if (secret !== undefined) return refuse(`it holds private or secret key material ("${secret}")`);
  if (member.use !== undefined && member.use !== 'sig') return refuse(`its use is ${JSON.stringify(member.use)}, not "sig"`);
  if (member.key_ops !== undefined && !(Array.isArray(member.key_ops) && member.key_ops.includes('verify')))
    return refuse('its key_ops do not include "verify"');
  const shape = algorithmsFor(member);
  if ('reason' in shape) return refuse(shape.reason);
  const keys = new Map<KeySetAlgorithm, CryptoKey>();
  for (const algorithm of shape.algorithms) {
    try {
      const imported = await importJWK(shape.publicJwk, algorithm);
      if (imported instanceof Uint8Array || imported.type !== 'public') return refuse('it is not a public key');
      keys.set(algorithm, imported);
    } catch {
      return refuse('its key material could not be imported');
    }
  }
  return { usable: true, kid, keys };
}
