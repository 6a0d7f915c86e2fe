import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of one real subgraph that a test switches between faults:
 * `pass` forwards, `slow` holds each request `delayMs` before forwarding, `garbage` answers 200
 * with an HTML page, `wrong-shape` answers JSON that is not a GraphQL response, `reset` drops
 * the connection. Every request it saw is counted, so a test knows a request is in flight.
 */

type Fault = 'pass' | 'slow' | 'garbage' | 'wrong-shape' | 'reset';

export interface FaultProxy {
  readonly url: string;
  fault: Fault;
  delayMs: number;
  readonly received: number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetGraphqlUrl: string): Promise<FaultProxy> {
  const target = new URL(targetGraphqlUrl);
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const state: { fault: Fault; delayMs: number } = { fault: 'pass', delayMs: 0 };
  const server: Server = createServer((req, res) => {
    received += 1;
    const fault = state.fault;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 upstream gone</body></html>');
      return;
    }
    if (fault === 'wrong-shape') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[1,2,3],"errors":"nope"}');
      return;
    }
    const forward = () => {
      const upstream = httpRequest(new URL(req.url ?? '/', target.origin), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (fault === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        forward();
      }, state.delayMs);
      timers.add(timer);
    } else {
      forward();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get fault() {
      return state.fault;
    },
    set fault(value: Fault) {
      state.fault = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get received() {
      return received;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
