import { SignJWT, jwtVerify, errors } from 'jose';
import { isRole, type Principal } from '../shield/roles.js';

/**
 * The contract between the gateway and its subgraphs. The gateway forwards the caller's
 * principal as a short-lived token it signs itself (HS256, a secret only gateway and
 * subgraphs share), addressed to one subgraph. A subgraph trusts nothing else: a request
 * without a valid token for it is answered 401 before any resolver runs.
 */

export const GATEWAY_ISSUER = 'needtoknow-gateway';
export const CLAIMS_HEADER = 'authorization';
export const REQUEST_ID_HEADER = 'x-request-id';
const LIFETIME_SECONDS = 60;
const ALGORITHM = 'HS256';

export function subgraphAudience(subgraph: string): string {
  return `needtoknow-subgraph:${subgraph}`;
}

export interface GatewayClaims {
  readonly principal: Principal;
  readonly requestId: string;
}

export function claimsKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signGatewayClaims(
  key: Uint8Array,
  subgraph: string,
  claims: GatewayClaims,
): Promise<string> {
  const { role, sub, team, agency, purpose } = claims.principal;
  return new SignJWT({ role, ...(team ? { team } : {}), ...(agency ? { agency } : {}), ...(purpose ? { purpose } : {}), rid: claims.requestId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(subgraphAudience(subgraph))
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key);
}

export class GatewayClaimsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayClaimsError';
  }
}

/** Verifies the `Authorization: Bearer …` header a subgraph received. */
export async function verifyGatewayClaims(
  key: Uint8Array,
  subgraph: string,
  authorization: string | undefined,
): Promise<GatewayClaims> {
  const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new GatewayClaimsError('this service only answers requests signed by the gateway');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: GATEWAY_ISSUER,
      audience: subgraphAudience(subgraph),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { role, team, agency, purpose, rid } = payload;
    if (!isRole(role) || typeof payload.sub !== 'string' || typeof rid !== 'string') {
      throw new GatewayClaimsError('gateway claims are incomplete');
    }
    return {
      principal: {
        role,
        sub: payload.sub,
        ...(typeof team === 'string' ? { team } : {}),
        ...(typeof agency === 'string' ? { agency } : {}),
        ...(typeof purpose === 'string' ? { purpose } : {}),
      },
      requestId: rid,
    };
  } catch (error) {
    if (error instanceof GatewayClaimsError) throw error;
    if (error instanceof errors.JOSEError) {
      throw new GatewayClaimsError('gateway signature not accepted');
    }
    throw error;
  }
}
