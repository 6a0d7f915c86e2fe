import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MongoClient } from 'mongodb';
import { mintDevToken } from '../gateway/auth/mint-dev-token.js';
import { subgraphUrlVariable } from '../gateway/config.js';
import { connectMongo, databaseName } from '../platform/mongo.js';
import { DEV_JWT_SECRET } from '../platform/secrets.js';
import { seedDatabases } from '../seed/write.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';
import { startFaultProxy, type FaultProxy } from './support/subgraph-fault-proxy.js';
import { SEED_NOW, TEST_AUDIENCE, TEST_ISSUER } from './support/test-stack.js';
import { perSubgraph, STACK_DATABASES, SUBGRAPH_NAMES } from '../subgraphs/registry.js';
import { keyworkerOfSam } from './support/principals.js';

/**
 * `npm run start:gateway` as its own process, stopped with SIGTERM while requests are in flight
 * (its clients subgraph made slow by a proxy, so they are): the requests complete, the audit
 * entries are written, the process exits 0. Before issue 11 Apollo's own signal handler killed
 * the process mid-request.
 */

const prefix = `t${randomBytes(4).toString('hex')}_`;
let mongo: MongoClient;
let stack: RunningStack;
let proxy: FaultProxy;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  mongo = await connectMongo(inject('mongodbUri'), 'needtoknow-test-process-shutdown');
  const db = (name: string) => mongo.db(databaseName(prefix, name));
  await seedDatabases(perSubgraph(db), { size: 'demo', now: SEED_NOW });
  stack = await startStack({ mongo, env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_DB_PREFIX: prefix }, ephemeralPorts: true });
  proxy = await startFaultProxy(stack.subgraphs.clients.url);
}, 120_000);

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await proxy?.close();
  await stack?.close();
  for (const name of STACK_DATABASES) await mongo?.db(databaseName(prefix, name)).dropDatabase();
  await mongo?.close();
});

describe('SIGTERM to the gateway process', () => {
  it('finishes the requests in flight, writes their audit entries, and exits 0', async () => {
    const port = await freePort();
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlVariable(name), name === 'clients' ? proxy.url : stack.subgraphs[name].url]));
    child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      env: {
        ...process.env,
        ...urls,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        GATEWAY_PORT: String(port),
        MONGODB_URI: inject('mongodbUri'),
        MONGODB_DB_PREFIX: prefix,
        SHUTDOWN_GRACE_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 300 && !output.includes('gateway listening'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(output).toContain('gateway listening');

    proxy.fault = 'slow';
    proxy.delayMs = 800;
    const token = await mintDevToken({
      principal: keyworkerOfSam,
      secret: DEV_JWT_SECRET,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    const before = proxy.received;
    const inFlight = Array.from({ length: 3 }, () =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'query Caseload { myCaseload { name } }' }),
      }).then(async (response) => ({
        status: response.status,
        requestId: response.headers.get('x-request-id'),
        body: (await response.json()) as { data?: { myCaseload?: unknown[] }; errors?: unknown[] },
      })),
    );
    for (let i = 0; i < 100 && proxy.received < before + 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.received).toBeGreaterThanOrEqual(before + 3);
    child.kill('SIGTERM');

    const answers = await Promise.all(inFlight);
    expect(await exited).toBe(0);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.myCaseload?.length).toBeGreaterThan(0);
    }
    const audited = await mongo
      .db(databaseName(prefix, 'audit'))
      .collection('entries')
      .countDocuments({ requestId: { $in: answers.map((answer) => answer.requestId) } });
    expect(audited).toBe(3);
    expect(output).toContain('shutting down');
    expect(output).toContain('"msg":"stopped"');
  }, 60_000);
});
