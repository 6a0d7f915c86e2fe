import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isRole, REQUIRED_CLAIMS, type Principal } from '../../shield/roles.js';
import type { TokenKeySource } from '../config.js';

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
}

export type AccessTokenVerifier = (authorization: string | undefined) => Promise<Principal>;

/** Asymmetric algorithms a JWKS may use; HS256 only with a shared secret. `none` never. */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const SECRET_ALGORITHMS = ['HS256'];
const CLOCK_TOLERANCE_SECONDS = 5;

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'token issuer not accepted';
    if (error.claim === 'aud') return 'token audience not accepted';
    if (error.claim === 'nbf') return 'token not yet valid';
    return `token claim "${error.claim}" not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'token algorithm not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signed with an unknown key';
  if (error instanceof errors.JWKSTimeout) return 'could not fetch signing keys; try again';
  return 'malformed token';
}

function principalOf(payload: JWTPayload): Principal {
  const { role, team, agency, purpose, sub } = payload;
  if (!isRole(role)) throw new AuthenticationError('token carries no valid role');
  if (typeof sub !== 'string' || sub === '') throw new AuthenticationError('token has no subject');
  const principal: Principal = {
    role,
    sub,
    ...(typeof team === 'string' && team !== '' ? { team } : {}),
    ...(typeof agency === 'string' && agency !== '' ? { agency } : {}),
    ...(typeof purpose === 'string' && purpose !== '' ? { purpose } : {}),
  };
  for (const claim of REQUIRED_CLAIMS[role]) {
    if (principal[claim] === undefined) throw new AuthenticationError(`a ${role} token must carry a "${claim}" claim`);
  }
  return principal;
}

export function createAccessTokenVerifier(policy: AccessTokenPolicy): AccessTokenVerifier {
  const keys: { key: Uint8Array; algorithms: string[] } | { getKey: JWTVerifyGetKey; algorithms: string[] } =
    policy.keys.kind === 'secret'
      ? { key: new TextEncoder().encode(policy.keys.secret), algorithms: SECRET_ALGORITHMS }
      : { getKey: createRemoteJWKSet(new URL(policy.keys.url)), algorithms: JWKS_ALGORITHMS };

  return async (authorization) => {
    if (authorization === undefined || authorization === '') {
      throw new AuthenticationError('missing bearer token: send "Authorization: Bearer <token>"');
    }
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization)?.[1];
    if (!token) throw new AuthenticationError('malformed Authorization header: expected "Bearer <token>"');
    const options = {
      algorithms: keys.algorithms,
      issuer: policy.issuer,
      audience: policy.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    try {
      const { payload } = 'key' in keys ? await jwtVerify(token, keys.key, options) : await jwtVerify(token, keys.getKey, options);
      return principalOf(payload);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof errors.JOSEError) throw new AuthenticationError(describeJoseError(error));
      throw error;
    }
  };
}
