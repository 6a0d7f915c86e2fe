import { isRole, REQUIRED_CLAIMS, ROLES, type Principal } from '../shield/roles.js';

/**
 * The shape every principal claim must have, wherever a token is read (the caller's access
 * token at the gateway, the gateway's claims at a subgraph). Claims flow into ID audiences,
 * audit entries, database queries and the headers of every subgraph request; an unbounded
 * claim broke the first of those with a 500 (a 700-byte `agency` overflowed the ID codec's
 * audience limit). So each claim has a maximum size and an alphabet, checked once, here,
 * before anything uses it, and a token outside them is refused with a message naming the claim.
 */

export class PrincipalClaimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrincipalClaimError';
  }
}

/** A claim's limits: the most UTF-8 bytes it may take, and the characters it may use. */
interface ClaimShape {
  readonly maxBytes: number;
  readonly pattern: RegExp;
  readonly describe: string;
}

// Letters, marks, digits, punctuation and symbols, words separated by single spaces. No control
// or format characters (bidi overrides, zero-width joiners: they make two names look alike in
// the audit trail), no other spaces, no line breaks, no lone surrogates.
const TEXT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+(?: [\p{L}\p{M}\p{N}\p{P}\p{S}]+)*$/u;

export const PRINCIPAL_CLAIM_SHAPES = {
  // OpenID Connect Core 1.0 §2: `sub` is at most 255 ASCII characters. Printable, no spaces.
  sub: { maxBytes: 255, pattern: /^[\x21-\x7E]+$/, describe: 'printable ASCII without spaces' },
  // A team id from the HR system (`team_north`), not a display name.
  team: { maxBytes: 64, pattern: /^[A-Za-z0-9_.:-]+$/, describe: 'letters, digits and _ . : -' },
  // An organisation's name: it keys that organisation's ID audience (`agency:<name>`, far below
  // the codec's 512-byte audience limit) and is matched against consents' recipients.
  agency: { maxBytes: 200, pattern: TEXT, describe: 'words of letters, digits, punctuation or symbols separated by single spaces' },
  purpose: { maxBytes: 200, pattern: TEXT, describe: 'words of letters, digits, punctuation or symbols separated by single spaces' },
} as const satisfies Record<string, ClaimShape>;

type ClaimName = keyof typeof PRINCIPAL_CLAIM_SHAPES;

/** The claim's value if present and well-formed, undefined if absent; throws otherwise. */
function readClaim(payload: Readonly<Record<string, unknown>>, name: ClaimName): string | undefined {
  if (!Object.hasOwn(payload, name)) return undefined;
  const value = payload[name];
  if (typeof value !== 'string') throw new PrincipalClaimError(`token claim "${name}" must be a string`);
  if (value === '') throw new PrincipalClaimError(`token claim "${name}" is empty`);
  const shape = PRINCIPAL_CLAIM_SHAPES[name];
  // Checked before the pattern, so a huge claim costs one length check, not a regex run.
  if (value.length > shape.maxBytes || Buffer.byteLength(value, 'utf8') > shape.maxBytes) {
    throw new PrincipalClaimError(`token claim "${name}" is longer than ${shape.maxBytes} bytes`);
  }
  if (!shape.pattern.test(value)) {
    throw new PrincipalClaimError(`token claim "${name}" may contain only ${shape.describe}`);
  }
  return value;
}

/**
 * Reduces a verified claims set to a Principal: `role` one of ROLES, `sub` present, every
 * other principal claim within its shape, and the claims the role needs present.
 */
export function principalFromClaims(payload: Readonly<Record<string, unknown>>): Principal {
  const { role } = payload;
  if (!isRole(role)) throw new PrincipalClaimError(`token carries no valid role: claim "role" must be one of ${ROLES.join(', ')}`);
  const sub = readClaim(payload, 'sub');
  if (sub === undefined) throw new PrincipalClaimError('token has no subject: claim "sub" is required');
  const team = readClaim(payload, 'team');
  const agency = readClaim(payload, 'agency');
  const purpose = readClaim(payload, 'purpose');
  const principal: Principal = {
    role,
    sub,
    ...(team !== undefined ? { team } : {}),
    ...(agency !== undefined ? { agency } : {}),
    ...(purpose !== undefined ? { purpose } : {}),
  };
  for (const claim of REQUIRED_CLAIMS[role]) {
    if (principal[claim] === undefined) throw new PrincipalClaimError(`a ${role} token must carry a "${claim}" claim`);
  }
  return principal;
}

/** The same checks on a Principal built in code (the dev token script): the problem, if any. */
export function principalProblems(principal: Principal): string | undefined {
  try {
    principalFromClaims({ ...principal });
    return undefined;
  } catch (error) {
    if (error instanceof PrincipalClaimError) return error.message;
    throw error;
  }
}
