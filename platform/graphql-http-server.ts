import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { context } from '@opentelemetry/api';
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Logger } from './logger.js';
import { HttpError, parseJsonBody, readBody } from './http-body.js';
import { errorAnswer } from './errors/error-answer.js';
import { REQUEST_ID_HEADER } from './gateway-claims.js';
import { corsHeaders, preflight } from './cors.js';
import { endServerSpan, startServerSpan } from './tracing.js';

/**
 * GraphQL over HTTP on node:http, shared by the gateway and the subgraphs. It owns what
 * happens before Apollo runs (body limits, JSON parsing, request ids, authentication
 * that answers 401 without executing anything) and the access log.
 */

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /**
   * Builds the request context; throws HttpError to answer without executing the operation.
   * It reads the body only through `body`, and only once the caller's credentials are verified
   * (a subgraph checks its claims were issued for exactly this body), so an unauthenticated
   * caller costs no body parsing.
   */
  readonly authenticate: (req: IncomingMessage, requestId: string, body: RequestBody) => Promise<TContext>;
  /**
   * Readiness (`/health/ready`, and `/health` as docker-compose asks it): true, or a report of
   * each dependency, when the service can answer. `/health/live` only says the process serves.
   */
  readonly ready?: () => Promise<boolean | ReadinessReport>;
  /** Browser origins allowed to call (CORS); none when empty or absent. */
  readonly corsAllowedOrigins?: readonly string[];
  /** `/metrics` and the per-request observations behind it; absent: no `/metrics`. */
  readonly metrics?: HttpMetrics;
  /** Plain JSON GET routes beside GraphQL, by path: each answers for itself (authentication included). */
  readonly routes?: Readonly<Record<string, JsonRoute<TContext>>>;
  /** Plain JSON POST routes beside GraphQL, by path: called with the parsed body once the caller is authenticated. */
  readonly postRoutes?: Readonly<Record<string, JsonPostRoute<TContext>>>;
  /** Continue the caller's trace (W3C `traceparent`): subgraphs, behind the gateway; never the public edge. */
  readonly trustIncomingTraceContext?: boolean;
}

/** A GET route for a caller `authenticate` accepted: JSON, or text with its own content type (CSV); either with headers (Retry-After on a 503). */
export type JsonRoute<TContext> = (
  context: TContext,
  query: URLSearchParams,
) => Promise<JsonAnswer | { status: number; text: string; contentType: string; headers?: Readonly<Record<string, string>> }>;

/** A JSON answer of a route beside GraphQL, with the headers it carries, if any. */
interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Each dependency readiness depends on, by name: never personal data, only whether it answered. */
export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, 'ok' | 'unavailable'>>;
}

export interface HttpMetrics {
  /** True when the request may read `/metrics` (its own secret, not a user's token). */
  authorize(req: IncomingMessage): boolean;
  render(): Promise<{ contentType: string; text: string }>;
  /** One finished request: its route (a fixed label, never the raw path), method, status and duration. */
  observe(request: { route: string; method: string; status: number; seconds: number }): void;
}

/** A POST route for a caller `authenticate` accepted, given the JSON body (undefined if empty); answers JSON. */
export type JsonPostRoute<TContext> = (context: TContext, body: unknown) => Promise<JsonAnswer>;

/** The request body, read (at most maxBodyBytes) and parsed as JSON on the first call; undefined for GET. */
type RequestBody = () => Promise<unknown>;

export const GRAPHQL_PATH = '/graphql';
const HEALTH_PATH = '/health';
const LIVE_PATH = '/health/live';
const READY_PATH = '/health/ready';
const METRICS_PATH = '/metrics';

/**
 * Where the Apollo plugin below leaves the operation's name and type for the access log: a
 * slot on the request's context under a symbol (Apollo copies each context before running
 * it, and the copy keeps the same slot), so nothing outlives the request.
 */
const ACCESS_LOG_SLOT = Symbol('access-log');
interface OperationSlot {
  name?: string;
  type?: string;
}

function withSlot<T extends object>(context: T): T {
  Object.defineProperty(context, ACCESS_LOG_SLOT, { value: {} satisfies OperationSlot, enumerable: true });
  return context;
}

function slotOf(context: unknown): OperationSlot | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  return (context as { [ACCESS_LOG_SLOT]?: OperationSlot })[ACCESS_LOG_SLOT];
}

/** Names are client-chosen: only a GraphQL name, capped, reaches a log line or a metric label. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'invalid';
}

/** Records each operation's name and type for the access log (gateway and subgraphs). */
export function accessLogPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operationName, operation }) {
          const slot = slotOf(contextValue);
          if (slot) {
            slot.name = operationLabel(operationName);
            slot.type = operation?.operation ?? 'unknown';
          }
        },
      };
    },
  };
}

function roleOf(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null || !('principal' in context)) return undefined;
  const { principal } = context as { principal?: { role?: unknown } };
  return typeof principal?.role === 'string' ? principal.role : undefined;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Anything thrown while answering, as the one normaliser has it (platform/errors): the code's status, Retry-After when it passes. */
function sendError(res: ServerResponse, error: unknown): void {
  const answer = errorAnswer(error);
  const own = error instanceof HttpError ? error.headers : {};
  sendJson(res, answer.status, answer.body, { ...own, ...answer.headers, ...(answer.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function createGraphQLRequestListener<TContext extends BaseContext>(
  options: GraphQLHttpOptions<TContext>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, logger, maxBodyBytes, authenticate, ready, routes = {}, postRoutes = {}, metrics } = options;
  const allowedOrigins = new Set(options.corsAllowedOrigins ?? []);
  /** What each finished request is logged and counted under. */
  interface Seen {
    route: string;
    context?: TContext;
  }

  function routeLabel(pathname: string): string {
    if (pathname === GRAPHQL_PATH || pathname === HEALTH_PATH || pathname === LIVE_PATH || pathname === READY_PATH || pathname === METRICS_PATH)
      return pathname;
    if (Object.hasOwn(routes, pathname) || Object.hasOwn(postRoutes, pathname)) return pathname;
    return 'other';
  }

  async function readiness(): Promise<ReadinessReport> {
    if (!ready) return { ok: true, checks: {} };
    const answer = await ready().catch(() => false);
    return typeof answer === 'boolean' ? { ok: answer, checks: {} } : answer;
  }

  function bodyOf(req: IncomingMessage): RequestBody {
    let read: Promise<unknown> | undefined;
    return () => {
      read ??= req.method === 'POST' ? readBody(req, maxBodyBytes).then(parseJsonBody) : Promise.resolve(undefined);
      return read;
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, seen: Seen): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.route = routeLabel(url.pathname);
    // CORS: only origins on the allow-list get the headers a browser needs to read the answer.
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS') {
      const answer = preflight(allowedOrigins, origin, req.headers['access-control-request-method'], req.headers['access-control-request-headers']);
      res.writeHead(answer.status, answer.headers);
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(corsHeaders(allowedOrigins, origin))) res.setHeader(name, value);
    if (url.pathname === LIVE_PATH && req.method === 'GET') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if ((url.pathname === HEALTH_PATH || url.pathname === READY_PATH) && req.method === 'GET') {
      const report = await readiness();
      sendJson(res, report.ok ? 200 : 503, {
        status: report.ok ? 'ok' : 'unavailable',
        ...(Object.keys(report.checks).length > 0 ? { checks: report.checks } : {}),
      });
      return;
    }
    if (url.pathname === METRICS_PATH && metrics) {
      if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
      if (!metrics.authorize(req)) throw new HttpError(401, 'UNAUTHENTICATED', 'metrics need the METRICS_TOKEN bearer secret');
      const { contentType, text } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    const postRoute = Object.hasOwn(postRoutes, url.pathname) ? postRoutes[url.pathname] : undefined;
    if (postRoute) {
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      const readRequestBody = bodyOf(req);
      const context = await authenticate(req, requestId, readRequestBody);
      seen.context = withSlot(context);
      // JSON only: a form post (what a browser sends cross-site without asking) is refused unread.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      const answer = await postRoute(context, await readRequestBody());
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route) {
      if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
      const context = await authenticate(req, requestId, bodyOf(req));
      seen.context = withSlot(context);
      const answer = await route(context, url.searchParams);
      if ('text' in answer) {
        res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.text) });
        res.end(answer.text);
      } else {
        sendJson(res, answer.status, answer.body, answer.headers);
      }
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendError(res, new HttpError(404, 'NOT_FOUND', `no such path; GraphQL is served at ${GRAPHQL_PATH}`));
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      sendError(res, new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST (or GET for queries)'));
      return;
    }
    // Authentication first: a caller without a valid token costs no body parsing and reaches nothing.
    const readRequestBody = bodyOf(req);
    const context = await authenticate(req, requestId, readRequestBody);
    seen.context = withSlot(context);
    const body = await readRequestBody();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers: headerMapOf(req), search: url.search, body },
      context: async () => context,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    res.writeHead(response.status ?? 200, headers);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const seen: Seen = { route: 'other' };
    // A no-op unless tracing was started (platform/tracing.ts).
    const traced = startServerSpan(req, {
      component: String(logger.bindings().service ?? 'http'),
      trustIncomingContext: options.trustIncomingTraceContext ?? false,
    });
    context
      .with(traced.context, () => handle(req, res, requestId, seen))
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          sendError(res, error);
          return;
        }
        logger.error({ rid: requestId, err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' }, 'request failed');
        if (!res.headersSent) sendError(res, error);
        else res.end();
      })
      .finally(() => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // The route label, never the raw path: a path (or its query string) is the caller's to fill.
        const operation = slotOf(seen.context);
        const role = roleOf(seen.context);
        logger.info(
          {
            rid: requestId,
            method: req.method,
            path: seen.route,
            status: res.statusCode,
            ms: Math.round(ms * 10) / 10,
            ...(role ? { role } : {}),
            ...(operation?.name ? { op: operation.name, opType: operation.type } : {}),
          },
          'request',
        );
        metrics?.observe({ route: seen.route, method: req.method ?? 'OTHER', status: res.statusCode, seconds: ms / 1000 });
        endServerSpan(traced.span, { method: req.method, route: seen.route, status: res.statusCode, operation });
      });
  };
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close: () => Promise<void>;
}

/**
 * An HTTP server that stops gracefully, and the Apollo plugin that does it: when the Apollo
 * server stops, the HTTP server stops accepting, closes idle connections, lets requests in
 * flight finish (at most `graceMs`), then cuts the rest (Apollo's own drain plugin).
 */
export function drainableHttpServer<TContext extends BaseContext>(graceMs: number): { server: Server; drainPlugin: ApolloServerPlugin<TContext> } {
  const server = createServer();
  return { server, drainPlugin: ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: graceMs }) };
}

export async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
  existing?: Server,
): Promise<RunningHttpServer> {
  const server = existing ?? createServer();
  server.on('request', listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}${GRAPHQL_PATH}`,
    // Cuts whatever is left at once: a server that drains (above) has nothing left by then.
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          server.closeAllConnections();
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
