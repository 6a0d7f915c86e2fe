import { createHash } from 'node:crypto';

/**
 * The fingerprint of one GraphQL request as the gateway sends it to a subgraph, carried in the
 * gateway's claims so that a claim is good for that one request only: a claim captured from a
 * `reporting` caseload count cannot be replayed as an `_entities` lookup of restricted records.
 *
 * Canonical form (both sides compute it from JSON values, so it survives the trip):
 *
 *   "needtoknow-operation/1\n" ‖ "[" ‖ json(query) ‖ "," ‖ json(operationName or null) ‖ "," ‖ canonical(variables or {}) ‖ "]"
 *   hash = base64url(SHA-256(UTF-8 of the above))
 *
 * where canonical() is JSON with every object's keys in sorted (UTF-16 code unit) order, arrays in
 * their order, and json() is JSON.stringify. Absent and null variables are both `{}`; absent and
 * null operationName both `null`: the subgraph executes them the same way.
 */

const DOMAIN = 'needtoknow-operation/1\n';
/** Deeper variables than any input type here has; past it the body is refused, not recursed into. */
const MAX_VARIABLES_DEPTH = 64;

export interface BoundOperation {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly operationName?: string | null | undefined;
}

class TooDeep extends Error {}

function canonical(value: unknown, depth: number): string {
  if (depth > MAX_VARIABLES_DEPTH) throw new TooDeep();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, depth + 1)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key], depth + 1)}`).join(',')}}`;
}

function digest(query: string, operationName: string | null, variablesJson: unknown): string {
  const text = `${DOMAIN}[${JSON.stringify(query)},${JSON.stringify(operationName)},${canonical(variablesJson, 0)}]`;
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/**
 * The hash of a request the gateway is about to send. Variables go through JSON first, exactly
 * as the request body will (undefined members dropped, dates as strings), so the subgraph,
 * which only ever sees the JSON, computes the same hash.
 */
export function operationHash(request: BoundOperation): string {
  const variables: unknown = request.variables == null ? {} : JSON.parse(JSON.stringify(request.variables));
  try {
    return digest(request.query, request.operationName ?? null, variables);
  } catch (error) {
    if (error instanceof TooDeep) throw new Error(`variables nested deeper than ${MAX_VARIABLES_DEPTH} levels cannot be signed`);
    throw error;
  }
}

/**
 * The hash of a parsed request body a subgraph received, or undefined when the body is not a
 * single GraphQL request of the shape the gateway sends (no query, a batch, variables that
 * are not an object, nesting past the limit): such a body matches no claim.
 */
export function operationHashOfBody(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  try {
    return digest(query, operationName ?? null, variables ?? {});
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}
