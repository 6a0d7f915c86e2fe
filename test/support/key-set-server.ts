import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An identity provider's key set endpoint on loopback, misbehaving on demand: the real thing
 * the gateway fetches from (HTTP, or HTTPS with a certificate from a private test CA).
 */

type KeySetServerMode = 'ok' | 'status-500' | 'html' | 'not-a-key-set' | 'huge' | 'endless' | 'hang' | 'redirect' | 'too-many-keys';

export interface KeySetServer {
  readonly url: string;
  /** Requests received (every fetch the gateway made). */
  fetches: number;
  /** Bytes written in answers, to show an endless body was cut off. */
  bytesWritten: number;
  mode: KeySetServerMode;
  /** The set served in 'ok' mode. */
  keys: unknown[];
  /** Where 'redirect' sends the gateway. */
  redirectTo: string;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'a');

function answer(server: KeySetServer, req: IncomingMessage, res: ServerResponse): void {
  server.fetches += 1;
  const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
    server.bytesWritten += Buffer.byteLength(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  switch (server.mode) {
    case 'ok':
      return send(200, JSON.stringify({ keys: server.keys }));
    case 'status-500':
      return send(500, JSON.stringify({ error: 'internal' }));
    case 'html':
      return send(200, '<html><body>Sign-in service maintenance</body></html>', { 'content-type': 'text/html' });
    case 'not-a-key-set':
      return send(200, JSON.stringify({ issuer: 'https://idp.example' }));
    case 'huge':
      return send(200, JSON.stringify({ keys: server.keys, padding: 'x'.repeat(2 * 1024 * 1024) }));
    case 'too-many-keys':
      return send(200, JSON.stringify({ keys: Array.from({ length: 30 }, () => server.keys[0]) }));
    case 'redirect':
      return send(302, '', { location: server.redirectTo });
    case 'hang':
      // Headers never come: only the gateway's deadline ends this.
      return;
    case 'endless': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      const more = () => {
        if (res.destroyed || req.destroyed) return;
        server.bytesWritten += CHUNK.length;
        if (res.write(CHUNK)) setImmediate(more);
        else res.once('drain', more);
      };
      more();
      return;
    }
  }
}

async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startKeySetServer(options: { tls?: { key: string; cert: string } } = {}): Promise<KeySetServer> {
  const state: KeySetServer = {
    url: '',
    fetches: 0,
    bytesWritten: 0,
    mode: 'ok',
    keys: [],
    redirectTo: '',
    close: async () => undefined,
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => answer(state, req, res);
  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  const port = await listenOn(server);
  return Object.assign(state, {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** A port nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  const port = await listenOn(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A private CA and a certificate it issued for 127.0.0.1, made with openssl for this run. */
export function makeTestCertificates(): { caFile: string; key: string; cert: string; cleanUp(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ntk-jwks-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=needtoknow test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  run(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'leaf.ext']);
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}
