import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, parseJsonBody, readBody } from '../platform/http-body.js';
import { listen } from '../platform/graphql-http-server.js';
import type { Logger } from '../platform/logger.js';
import { isApiPath, proxyToGateway } from './console/api-proxy.js';
import type { ConsoleConfig } from './console/console-config.js';
import { createDevRoutes, DEV_PREFIX, isLoopbackHost } from './console/dev-routes.js';
import { loadStaticFiles } from './console/static-files.js';

/**
 * The web console's server: the built console, the public API passed through to the gateway on
 * the same origin, and (outside production only) the demo sign-in routes. It holds no data and
 * no tokens: every request for data carries the user's own token to the gateway.
 */

export interface RunningConsole {
  /** Where people open the console, e.g. http://127.0.0.1:4010/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

// The console loads only its own files and talks only to its own origin; nothing may frame it.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const DEV_BODY_LIMIT = 4_096;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startConsoleServer(config: ConsoleConfig, logger: Logger): Promise<RunningConsole> {
  const files = loadStaticFiles(config.distDir);
  const devRoutes = config.devSignIn ? createDevRoutes(config.devSignIn) : null;

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://console.invalid').pathname;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.on('finish', () => logger.debug({ method, path, status: res.statusCode }, 'console request'));

    if (isApiPath(path)) {
      proxyToGateway(config.gatewayOrigin, req, res);
      return;
    }
    if (devRoutes && path.startsWith(DEV_PREFIX) && isLoopbackHost(req)) {
      devRoutes(method, path, async () => parseJsonBody(await readBody(req, DEV_BODY_LIMIT)))
        .then((answer) => sendJson(res, answer.status, answer.body))
        .catch((error: unknown) => {
          if (error instanceof HttpError) sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
          else {
            logger.error({ kind: error instanceof Error ? error.name : typeof error }, 'dev route failed');
            sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
          }
        });
      return;
    }
    const file = method === 'GET' || method === 'HEAD' ? files.get(path) : undefined;
    if (!file) {
      sendJson(res, 404, { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.body.length,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : file.body);
  };

  const running = await listen(listener, config.port, config.host);
  return { url: running.url.replace(/\/graphql$/, '/'), port: running.port, close: running.close };
}
