import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger.js';
import { HttpError, parseJsonBody, readBody } from './http-body.js';
import { REQUEST_ID_HEADER } from './gateway-claims.js';

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
  /** Readiness: true when the service can answer (its database is reachable). */
  readonly ready?: () => Promise<boolean>;
  /** Plain JSON GET routes beside GraphQL, by path: each answers for itself (authentication included). */
  readonly routes?: Readonly<Record<string, JsonRoute<TContext>>>;
  /** Plain JSON POST routes beside GraphQL, by path: called with the parsed body once the caller is authenticated. */
  readonly postRoutes?: Readonly<Record<string, JsonPostRoute<TContext>>>;
}

/** A GET route for a caller `authenticate` accepted: JSON, or text with its own content type (CSV). */
export type JsonRoute<TContext> = (
  context: TContext,
  query: URLSearchParams,
) => Promise<{ status: number; body: unknown } | { status: number; text: string; contentType: string }>;

/** A POST route for a caller `authenticate` accepted, given the JSON body (undefined if empty); answers JSON. */
export type JsonPostRoute<TContext> = (context: TContext, body: unknown) => Promise<{ status: number; body: unknown }>;

/** The request body, read (at most maxBodyBytes) and parsed as JSON on the first call; undefined for GET. */
export type RequestBody = () => Promise<unknown>;

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/health';

const SAFE_REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendHttpError(res: ServerResponse, error: HttpError): void {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, headers);
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
  const { apollo, logger, maxBodyBytes, authenticate, ready, routes = {}, postRoutes = {} } = options;

  function bodyOf(req: IncomingMessage): RequestBody {
    let read: Promise<unknown> | undefined;
    return () => {
      read ??= req.method === 'POST' ? readBody(req, maxBodyBytes).then(parseJsonBody) : Promise.resolve(undefined);
      return read;
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === HEALTH_PATH && req.method === 'GET') {
      const ok = ready ? await ready().catch(() => false) : true;
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' });
      return;
    }
    const postRoute = Object.hasOwn(postRoutes, url.pathname) ? postRoutes[url.pathname] : undefined;
    if (postRoute) {
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      const readRequestBody = bodyOf(req);
      const context = await authenticate(req, requestId, readRequestBody);
      // JSON only: a form post (what a browser sends cross-site without asking) is refused unread.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      const answer = await postRoute(context, await readRequestBody());
      sendJson(res, answer.status, answer.body);
      return;
    }
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route) {
      if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
      const answer = await route(await authenticate(req, requestId, bodyOf(req)), url.searchParams);
      if ('text' in answer) {
        res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.text) });
        res.end(answer.text);
      } else {
        sendJson(res, answer.status, answer.body);
      }
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendHttpError(res, new HttpError(404, 'NOT_FOUND', `no such path; GraphQL is served at ${GRAPHQL_PATH}`));
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      sendHttpError(res, new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST (or GET for queries)'));
      return;
    }
    // Authentication first: a caller without a valid token costs no body parsing and reaches nothing.
    const readRequestBody = bodyOf(req);
    const context = await authenticate(req, requestId, readRequestBody);
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
    handle(req, res, requestId)
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          sendHttpError(res, error);
          return;
        }
        logger.error({ rid: requestId, err: error instanceof Error ? { name: error.name, message: error.message } : 'unknown' }, 'request failed');
        if (!res.headersSent) sendHttpError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'internal error'));
        else res.end();
      })
      .finally(() => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info({ rid: requestId, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
  };
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
): Promise<RunningHttpServer> {
  const server = createServer(listener);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
