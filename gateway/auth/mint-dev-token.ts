import { decodeJwt, SignJWT } from 'jose';
import type { Principal } from '../../shield/roles.js';

/**
 * Mints an access token the way a development identity provider would: HS256 with the
 * gateway's shared secret. Production verifies tokens from a real provider (JWKS).
 */

/** Fits under the gateway's default maximum lifetime (12 h, JWT_MAX_LIFETIME_SECONDS). */
export const DEV_TOKEN_LIFETIME = '8h';

export async function mintDevToken(options: {
  principal: Principal;
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime, e.g. '8h'; a number is seconds since the epoch. */
  expiresIn?: string | number;
}): Promise<string> {
  const { role, sub, team, agency, purpose } = options.principal;
  return new SignJWT({ role, ...(team ? { team } : {}), ...(agency ? { agency } : {}), ...(purpose ? { purpose } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? DEV_TOKEN_LIFETIME)
    .sign(new TextEncoder().encode(options.secret));
}

/** `exp − iat` of a token: what the gateway compares with its maximum lifetime. */
export function tokenLifetimeSeconds(token: string): number {
  const { exp, iat } = decodeJwt(token);
  return (exp ?? 0) - (iat ?? 0);
}
