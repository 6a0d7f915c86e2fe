import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { GRAPHQL_PATH } from '../../platform/graphql-http-server.js';
import { ROUTES } from '../../shield/policy.js';

/**
 * Passes the public API through to the gateway, so the console is one origin with it. Only
 * `/graphql` and the routes the policy names (shield/policy.ts ROUTES) pass: the console can
 * reach nothing a caller could not reach at the gateway directly, with the caller's own token.
 * Only the headers the API reads go up, and only the ones a browser needs come back; cookies
 * go neither way.
 */

const REQUEST_HEADERS = ['authorization', 'content-type', 'content-length', 'accept', 'x-request-id', 'idempotency-key'] as const;
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'retry-after', 'x-request-id', 'www-authenticate'] as const;

const routePatterns: readonly RegExp[] = [GRAPHQL_PATH, ...Object.keys(ROUTES)].map(
  (route) =>
    new RegExp(
      `^${route
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    ),
);

export function isApiPath(path: string): boolean {
  return routePatterns.some((pattern) => pattern.test(path));
}

export function proxyToGateway(gatewayOrigin: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? '/', gatewayOrigin);
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
    const back: Record<string, string | number> = { 'cache-control': 'no-store' };
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') back[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, back);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ errors: [{ message: 'The gateway cannot be reached. Try again shortly.', extensions: { code: 'GATEWAY_UNAVAILABLE' } }] });
    res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  // The gateway enforces its own body limit; the body streams through untouched.
  req.pipe(upstream);
}
