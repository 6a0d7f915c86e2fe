import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../platform/logger.js';
import { principalFromClaims, PrincipalClaimError } from '../../platform/principal-claims.js';
import type { Principal } from '../../shield/roles.js';
import type { TokenKeySource } from '../config.js';
import { KeySet, KeySetUnavailableError, SigningKeyRefusedError } from './key-set.js';
import { KEY_SET_ALGORITHMS } from './signing-key-checks.js';

export { KeySetUnavailableError };

/**
 * Verifies a caller's access token and reduces it to a Principal. Every refusal says
 * clearly what is wrong with the token (never anything about the data behind it).
 */

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface AccessTokenPolicy {
  readonly keys: TokenKeySource;
  readonly issuer: string;
  readonly audience: string;
  /** The longest `exp − iat` accepted: a token minted to outlive this is refused outright. */
  readonly maxLifetimeSeconds: number;
}

/**
 * Resolves to the caller's Principal; rejects with AuthenticationError (401: the token) or
 * KeySetUnavailableError (503: our side, the identity provider's key set could not be had).
 */
export type AccessTokenVerifier = ((authorization: string | undefined) => Promise<Principal>) & {
  /** The key set's counters for /metrics, when tokens are verified against a JWKS. */
  readonly keySet?: KeySet;
};

/** Asymmetric algorithms a JWKS may use; HS256 only with a shared secret. `none` never. */
const JWKS_ALGORITHMS = [...KEY_SET_ALGORITHMS];
const SECRET_ALGORITHMS = ['HS256'];
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The longest Authorization header read: identity providers' access tokens with group claims
 * run to a few kilobytes; past 8 KiB (and below Node's 16 KiB header limit, which answers 431
 * itself) a token is refused before it is decoded.
 */
const MAX_AUTHORIZATION_BYTES = 8_192;

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token claim "${error.claim}" not accepted: the token must carry it`;
    if (error.reason === 'invalid') return `token claim "${error.claim}" not accepted: must be a number`;
    if (error.claim === 'iss') return 'token issuer not accepted';
    if (error.claim === 'aud') return 'token audience not accepted';
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.claim === 'iat' && error.reason === 'check_failed') return 'token claim "iat" not accepted: issued in the future';
    return `token claim "${error.claim}" not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'token algorithm not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  return 'malformed token';
}

/** A token's lifetime as its issuer set it, refused past the maximum however much of it is left. */
function checkLifetime(payload: JWTPayload, maxLifetimeSeconds: number): void {
  // jose has checked both are numbers (requiredClaims, and maxTokenAge for iat).
  const lifetime = (payload.exp as number) - (payload.iat as number);
  if (lifetime > maxLifetimeSeconds) {
    throw new AuthenticationError(`token lifetime (exp − iat) is longer than the ${maxLifetimeSeconds} seconds accepted`);
  }
  if (lifetime <= 0) throw new AuthenticationError('token claim "exp" not accepted: not after "iat"');
}

export function createAccessTokenVerifier(policy: AccessTokenPolicy, runtime: { logger?: Logger; now?: () => number } = {}): AccessTokenVerifier {
  let keySet: KeySet | undefined;
  let keys: { key: Uint8Array; algorithms: string[] } | { getKey: JWTVerifyGetKey; algorithms: string[] };
  if (policy.keys.kind === 'secret') {
    keys = { key: new TextEncoder().encode(policy.keys.secret), algorithms: SECRET_ALGORITHMS };
  } else {
    keySet = new KeySet(policy.keys, runtime);
    keys = { getKey: keySet.getKey, algorithms: JWKS_ALGORITHMS };
  }
  const options = {
    algorithms: keys.algorithms,
    issuer: policy.issuer,
    audience: policy.audience,
    requiredClaims: ['exp', 'iat', 'sub'],
    // With iat required, this also refuses an iat in the future (beyond the tolerance).
    maxTokenAge: policy.maxLifetimeSeconds,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };

  const verify = async (authorization: string | undefined): Promise<Principal> => {
    if (authorization === undefined || authorization === '') {
      throw new AuthenticationError('missing bearer token: send "Authorization: Bearer <token>"');
    }
    if (authorization.length > MAX_AUTHORIZATION_BYTES) {
      throw new AuthenticationError(`Authorization header is longer than ${MAX_AUTHORIZATION_BYTES} bytes`);
    }
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization)?.[1];
    if (!token) throw new AuthenticationError('malformed Authorization header: expected "Bearer <token>"');
    try {
      const { payload } = 'key' in keys ? await jwtVerify(token, keys.key, options) : await jwtVerify(token, keys.getKey, options);
      checkLifetime(payload, policy.maxLifetimeSeconds);
      return principalFromClaims(payload);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof PrincipalClaimError) throw new AuthenticationError(error.message);
      if (error instanceof SigningKeyRefusedError) throw new AuthenticationError(error.message);
      if (error instanceof errors.JOSEError) throw new AuthenticationError(describeJoseError(error));
      throw error;
    }
  };
  return keySet ? Object.assign(verify, { keySet }) : verify;
}
