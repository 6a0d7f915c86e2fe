import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Principal } from '../shield/roles.js';
import { operationHash, operationHashOfBody, type BoundOperation } from './operation-hash.js';
import { principalFromClaims, PrincipalClaimError } from './principal-claims.js';
import type { ReplayCache } from './replay-cache.js';

/**
 * The contract between the gateway and its subgraphs. The gateway forwards the caller's
 * principal as a token it signs itself (HS256, a secret only gateway and subgraphs share),
 * addressed to one subgraph and good for one request: it carries the hash of the exact
 * operation and variables it was issued for (`oph`) and a unique id (`jti`), and lives 30 s.
 * A subgraph trusts nothing else: a request without a valid token for it, with a token issued
 * for another request, or with a token already used, is answered 401 before any resolver runs.
 *
 * Why 30 s: the gateway signs a claim immediately before sending it, so the lifetime only has to
 * cover transit, a busy subgraph's queue and clock skew between hosts (5 s tolerated); the jti
 * cache holds each claim for its lifetime, so a short one keeps that cache small.
 */

export const GATEWAY_ISSUER = 'needtoknow-gateway';
export const REQUEST_ID_HEADER = 'x-request-id';
const GATEWAY_CLAIMS_LIFETIME_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;
const ALGORITHM = 'HS256';
const JTI = /^[A-Za-z0-9_-]{22,64}$/;
const HASH = /^[A-Za-z0-9_-]{43}$/;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A gateway claim holds a principal (bounded, see principal-claims.ts) and fixed-size fields. */
const MAX_CLAIMS_TOKEN_LENGTH = 4_096;

export function subgraphAudience(subgraph: string): string {
  return `needtoknow-subgraph:${subgraph}`;
}

export interface GatewayClaims {
  readonly principal: Principal;
  readonly requestId: string;
}

/** What a subgraph knows once the claims' signature, lifetime and single use are checked. */
export interface VerifiedGatewayClaims extends GatewayClaims {
  /** The hash of the one operation the claims were issued for; the body must match it. */
  readonly operationHash: string;
}

/** The request a claim is issued for, exactly as it will be sent (query, variables, operationName). */
export type ClaimedRequest = BoundOperation;

export function claimsKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs the claims for one request to `subgraph`. The request body sent with it must carry
 * this `query`, these `variables` (as JSON) and this `operationName` (absent if not given here),
 * and nothing may send the token twice.
 */
export async function signGatewayClaims(key: Uint8Array, subgraph: string, claims: GatewayClaims, request: ClaimedRequest): Promise<string> {
  const { role, sub, team, agency, purpose } = claims.principal;
  return new SignJWT({
    role,
    ...(team ? { team } : {}),
    ...(agency ? { agency } : {}),
    ...(purpose ? { purpose } : {}),
    rid: claims.requestId,
    oph: operationHash(request),
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(subgraphAudience(subgraph))
    .setJti(randomBytes(18).toString('base64url'))
    .setIssuedAt()
    .setExpirationTime(`${GATEWAY_CLAIMS_LIFETIME_SECONDS}s`)
    .sign(key);
}

export class GatewayClaimsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayClaimsError';
  }
}

/**
 * Verifies the `Authorization: Bearer …` header a subgraph received (signature, audience,
 * lifetime) and spends its `jti` in `replay`. Runs before the body is read, so a caller without
 * valid claims costs no body parsing; the body is then checked with `verifyOperationBinding`.
 * Throws GatewayClaimsError (401) or, when the replay cache is full, ReplayCacheFullError.
 */
export async function verifyGatewayClaims(
  key: Uint8Array,
  subgraph: string,
  authorization: string | undefined,
  replay: ReplayCache,
): Promise<VerifiedGatewayClaims> {
  const token =
    authorization !== undefined && authorization.length <= 'Bearer '.length + MAX_CLAIMS_TOKEN_LENGTH
      ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization)?.[1]
      : undefined;
  if (!token) throw new GatewayClaimsError('this service only answers requests signed by the gateway');
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: GATEWAY_ISSUER,
      audience: subgraphAudience(subgraph),
      requiredClaims: ['sub', 'exp', 'iat', 'jti', 'oph'],
      maxTokenAge: GATEWAY_CLAIMS_LIFETIME_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing' && (error.claim === 'oph' || error.claim === 'jti')) {
      throw new GatewayClaimsError('gateway claims are not bound to an operation');
    }
    if (error instanceof errors.JOSEError) throw new GatewayClaimsError('gateway signature not accepted');
    throw error;
  }
  const { rid, oph, jti, exp, iat } = payload;
  if (typeof rid !== 'string' || !REQUEST_ID.test(rid) || typeof oph !== 'string' || !HASH.test(oph) || typeof jti !== 'string' || !JTI.test(jti)) {
    throw new GatewayClaimsError('gateway claims are incomplete');
  }
  // exp and iat are numbers here (jose checked them); a claim must not outlive the contract.
  if ((exp as number) - (iat as number) > GATEWAY_CLAIMS_LIFETIME_SECONDS) throw new GatewayClaimsError('gateway claims live too long');
  let principal: Principal;
  try {
    principal = principalFromClaims(payload);
  } catch (error) {
    if (error instanceof PrincipalClaimError) throw new GatewayClaimsError('gateway claims are incomplete');
    throw error;
  }
  if (!replay.use(jti, ((exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000)) throw new GatewayClaimsError('gateway claims already used');
  return { principal, requestId: rid, operationHash: oph };
}

/** Refuses a body that is not exactly the request the claims were issued for. */
export function verifyOperationBinding(claims: VerifiedGatewayClaims, body: unknown): void {
  if (operationHashOfBody(body) !== claims.operationHash) {
    throw new GatewayClaimsError('gateway claims were issued for another operation');
  }
}
