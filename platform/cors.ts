/**
 * Cross-origin access for browser apps, from an allow-list of exact origins (none by default).
 * Tokens travel in the Authorization header, never in cookies, so no credentials mode is
 * offered: a page from an origin not on the list cannot read any answer, and one on the list
 * still needs a token.
 */

const ALLOWED_METHODS = ['GET', 'POST'];
/** What a first-party app sends; Apollo's CSRF guard asks for a content type or one of its preflight headers. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-request-id', 'idempotency-key', 'apollo-require-preflight', 'x-apollo-operation-name'];
/** Headers a browser app may read: its request id for support calls, and when to retry. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'content-disposition'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

function allowed(origins: ReadonlySet<string>, origin: string | undefined): origin is string {
  return origin !== undefined && origins.has(origin);
}

/** Headers for an actual (non-preflight) request: only for an origin on the list. */
export function corsHeaders(origins: ReadonlySet<string>, origin: string | undefined): Record<string, string> {
  if (origins.size === 0) return {};
  // Vary even when refused: a cache must not serve one origin's answer to another.
  if (!allowed(origins, origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_HEADERS.join(', '), vary: 'Origin' };
}

/**
 * The answer to an OPTIONS request. A preflight from an allowed origin asking for an allowed
 * method and headers gets 204 with what it may do; any other preflight gets 403 with no CORS
 * headers, so the browser stops there. A plain OPTIONS (no Origin) says which methods exist.
 */
export function preflight(
  origins: ReadonlySet<string>,
  origin: string | undefined,
  requestMethod: string | undefined,
  requestHeaders: string | undefined,
): { status: number; headers: Record<string, string> } {
  if (origin === undefined || requestMethod === undefined) return { status: 204, headers: { allow: [...ALLOWED_METHODS, 'OPTIONS'].join(', ') } };
  const asked = (requestHeaders ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const ok = allowed(origins, origin) && ALLOWED_METHODS.includes(requestMethod.toUpperCase()) && asked.every((name) => ALLOWED_HEADERS.includes(name));
  if (!ok) return { status: 403, headers: { vary: 'Origin', 'content-length': '0' } };
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': ALLOWED_METHODS.join(', '),
      'access-control-allow-headers': ALLOWED_HEADERS.join(', '),
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: 'Origin',
    },
  };
}
