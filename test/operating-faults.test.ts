import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { MongoClient } from 'mongodb';
import { mintDevToken } from '../gateway/auth/mint-dev-token.js';
import { connectMongo, databaseName } from '../platform/mongo.js';
import { createLogger } from '../platform/logger.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../platform/secrets.js';
import { PERSONAS } from '../seed/personas.js';
import { seedDatabases } from '../seed/write.js';
import { audienceOf } from '../shield/audience.js';
import { createIdCodec } from '../gateway/ids/opaque-ids.js';
import type { Principal } from '../shield/roles.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';
import { readSubgraphConfig, type SubgraphName } from '../subgraphs/shared/config.js';
import { subgraph as hrSubgraph } from '../subgraphs/hr/subgraph.js';
import type { RunningSubgraph } from '../subgraphs/shared/serve-subgraph.js';
import { startFaultProxy, type FaultProxy } from './support/subgraph-fault-proxy.js';
import { SEED_NOW, TEST_AUDIENCE, TEST_ISSUER, type GraphQLResponseBody } from './support/test-stack.js';
import { perSubgraph, STACK_DATABASES } from '../subgraphs/registry.js';
import { dutyOfficer as duty, keyworkerOfSam as keyworker, nhsTrust as nhs, otherSupportWorker as otherWorker, reporting } from './support/principals.js';

/** The personal fields read back below to check that no log, metric or span carries them. */
type PersonalFields = {
  name?: unknown;
  dateOfBirth?: unknown;
  phone?: unknown;
  niNumber?: unknown;
  address?: { line1?: unknown; postcode?: unknown };
  homeAddress?: { line1?: unknown; postcode?: unknown };
};

/**
 * Operating the stack (issue 11): subgraphs that die, hang past the fetch timeout or answer
 * garbage; health, metrics, CORS, the access log; and a gateway stopped with requests in
 * flight. Real subgraphs and gateway on loopback, each subgraph behind a proxy the test
 * switches between faults (test/support/subgraph-fault-proxy.ts). Every fault test has a
 * control: the same query under the same fault for a role the policy allows gets the data,
 * so a null for the other role is the policy's, not the fault's.
 */

// Room for a loaded CI machine: the shutdown test slows a subgraph by 600 ms, well inside it.
const TIMEOUT_MS = 2_500;
const METRICS_TOKEN = 'metrics-secret-for-the-operating-tests-0123456789';
const ALLOWED_ORIGIN = 'https://console.example.org';

const CLIENT_VIEW =
  'query ClientView($id: ID!) { client(id: $id) { name dateOfBirth phone address { line1 postcode } restriction { reason contact { name } } } }';
const CASELOAD = 'query Caseload { myCaseload { name keyworkers { name } } }';

const prefix = `t${randomBytes(4).toString('hex')}_`;
const logLines: string[] = [];
const proxies = {} as Record<SubgraphName, FaultProxy>;
const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
let mongo: MongoClient;
let stack: RunningStack;
let restartedHr: RunningSubgraph | undefined;
const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  MONGODB_DB_PREFIX: prefix,
  SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
  HEALTH_CHECK_TIMEOUT_MS: '500',
  SHUTDOWN_GRACE_MS: '10000',
  METRICS_TOKEN,
  CORS_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
  EMERGENCY_LOOKUP_LIMIT: '1',
};

const token = (principal: Principal) => mintDevToken({ principal, secret: DEV_JWT_SECRET, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
const samFor = (principal: Principal) => codec.encode(audienceOf(principal), 'Client', PERSONAS.sam.clientId);
const base = () => new URL(stack.gateway.url).origin;

async function ask(
  principal: Principal,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: GraphQLResponseBody; requestId: string | null }> {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(principal)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponseBody, requestId: response.headers.get('x-request-id') };
}

const codes = (body: GraphQLResponseBody) => (body.errors ?? []).map((error) => error.extensions?.code);

/** Polls (bounded) until `check` holds; the condition, never the time it took, is asserted. */
async function eventually(check: () => Promise<boolean>, attempts = 50): Promise<boolean> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

beforeAll(async () => {
  mongo = await connectMongo(inject('mongodbUri'), 'needtoknow-test-operating');
  const db = (name: string) => mongo.db(databaseName(prefix, name));
  await seedDatabases(perSubgraph(db), { size: 'demo', now: SEED_NOW });
  stack = await startStack({
    mongo,
    env,
    ephemeralPorts: true,
    subgraphUrl: async (name, url) => {
      proxies[name] = await startFaultProxy(url);
      return proxies[name].url;
    },
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await restartedHr?.close();
  for (const proxy of Object.values(proxies)) await proxy.close();
  for (const name of STACK_DATABASES) await mongo?.db(databaseName(prefix, name)).dropDatabase();
  await mongo?.close();
});

describe('a subgraph that is killed', () => {
  it('gives what the policy allows plus DOWNSTREAM_SERVICE_ERROR, never the restricted record; recovers on restart', async () => {
    const hrPort = stack.subgraphs.hr.port;
    await stack.subgraphs.hr.close();

    // The keyworker still gets Sam's record from the clients subgraph; the staff names from HR are missing.
    const mine = await ask(keyworker, CLIENT_VIEW, { id: samFor(keyworker) });
    expect(mine.status).toBe(200);
    const mineClient = mine.body.data?.client as { name: string; address: { postcode: string } | null; restriction: { contact: unknown } | null };
    expect(mineClient.name).toBe(PERSONAS.sam.name);
    expect(mineClient.address?.postcode, 'control: the record is fetched and allowed under the same fault').toBeTruthy();
    expect(codes(mine.body)).toContain('DOWNSTREAM_SERVICE_ERROR');

    // Another support worker: the restricted notice only, nothing the notice hides, under the same fault.
    const other = await ask(otherWorker, CLIENT_VIEW, { id: samFor(otherWorker) });
    const text = JSON.stringify(other.body);
    expect(text).not.toContain(mineClient.address?.postcode ?? '<none>');
    expect(text).not.toContain(PERSONAS.sam.dateOfBirth);
    expect(text).not.toContain('SERVICE_USER_EMPLOYEE');
    const otherClient = other.body.data?.client as { phone: unknown; address: unknown; dateOfBirth: unknown } | null;
    expect(otherClient?.address ?? null).toBeNull();
    expect(otherClient?.phone ?? null).toBeNull();
    expect(codes(other.body).every((code) => code === 'FORBIDDEN' || code === 'DOWNSTREAM_SERVICE_ERROR')).toBe(true);
    // The client is told clearly, and never which record or why.
    const downstream = (mine.body.errors ?? []).find((error) => error.extensions?.code === 'DOWNSTREAM_SERVICE_ERROR');
    expect(downstream?.message).toMatch(/did not answer in time or failed/);
    expect(downstream?.extensions).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR' });

    // The log names the subgraph and the cause.
    const failures = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'subgraph fetch failed' && line.subgraph === 'hr');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]?.cause).toBe('unreachable');
    expect(failures[0]?.rid).toBe(mine.requestId);

    // Readiness says so (each check bounded by HEALTH_CHECK_TIMEOUT_MS), liveness does not.
    expect(
      await eventually(async () => {
        const ready = await fetch(`${base()}/health/ready`);
        const body = (await ready.json()) as { checks?: Record<string, string> };
        return ready.status === 503 && body.checks?.hr === 'unavailable' && body.checks?.clients === 'ok';
      }),
    ).toBe(true);
    expect((await fetch(`${base()}/health/live`)).status).toBe(200);

    // Restarted on the same port: the gateway recovers by itself.
    const { config } = readSubgraphConfig('hr', { ...env, HR_SUBGRAPH_PORT: String(hrPort) });
    restartedHr = await hrSubgraph.start({ config, db: mongo.db(databaseName(prefix, 'hr')), logger: createLogger('subgraph-hr', 'silent') });
    const again = await ask(keyworker, CASELOAD);
    expect(again.body.errors).toBeUndefined();
    const caseload = again.body.data?.myCaseload as { keyworkers: { name: string }[] }[];
    expect(caseload.some((client) => client.keyworkers.some((k) => k.name === 'Riley Ashdown'))).toBe(true);
    expect(await eventually(async () => (await fetch(`${base()}/health/ready`)).status === 200)).toBe(true);
  }, 60_000);
});

describe('a subgraph slower than SUBGRAPH_TIMEOUT_MS', () => {
  it('releases nothing a consent would have released; the keyworker still reads; recovers when it is fast again', async () => {
    // Control first: with the consent store answering, the NHS trust sees Sam's phone under the consent.
    const released = await ask(nhs, CLIENT_VIEW, { id: samFor(nhs) });
    const phone = (released.body.data?.client as { phone: string | null } | null)?.phone;
    expect(phone, 'control: the consent releases the phone when the consent store answers').toBeTruthy();

    proxies.consent.fault = 'slow';
    proxies.consent.delayMs = TIMEOUT_MS * 2;
    try {
      const slow = await ask(nhs, CLIENT_VIEW, { id: samFor(nhs) });
      expect(JSON.stringify(slow.body)).not.toContain(phone as string);
      expect(codes(slow.body)).toContain('DOWNSTREAM_SERVICE_ERROR');
      const keyworkerView = await ask(keyworker, CLIENT_VIEW, { id: samFor(keyworker) });
      expect((keyworkerView.body.data?.client as { phone: string | null }).phone).toBe(phone);
      const failures = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'subgraph fetch failed' && line.subgraph === 'consent');
      expect(failures.map((line) => line.cause)).toContain('timeout');
    } finally {
      proxies.consent.fault = 'pass';
    }
    const recovered = await ask(nhs, CLIENT_VIEW, { id: samFor(nhs) });
    expect((recovered.body.data?.client as { phone: string | null }).phone).toBe(phone);
  }, 60_000);
});

describe('a subgraph that answers garbage', () => {
  it.each(['garbage', 'wrong-shape', 'reset'] as const)(
    '%s: a clear DOWNSTREAM_SERVICE_ERROR, no data from it, no internals; then recovery',
    async (fault) => {
      proxies.clients.fault = fault;
      try {
        const broken = await ask(keyworker, CASELOAD);
        expect(broken.status).toBe(200);
        expect(broken.body.data?.myCaseload ?? null).toBeNull();
        expect(codes(broken.body)).toEqual(['DOWNSTREAM_SERVICE_ERROR']);
        expect(JSON.stringify(broken.body)).not.toMatch(/html|upstream|nope|serviceName|clients/i);
      } finally {
        proxies.clients.fault = 'pass';
      }
      const recovered = await ask(keyworker, CASELOAD);
      expect(recovered.body.errors).toBeUndefined();
      expect((recovered.body.data?.myCaseload as unknown[]).length).toBeGreaterThan(0);
    },
    30_000,
  );
});

describe('health', () => {
  it('/health/live, /health/ready with each check, and /health (what docker-compose asks) agree', async () => {
    const live = await fetch(`${base()}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${base()}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { supergraph: 'ok', audit: 'ok', clients: 'ok', hr: 'ok', consent: 'ok' } });
    expect(((await (await fetch(`${base()}/health`)).json()) as { status: string }).status).toBe('ok');
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin, refuses any other, and labels answers for the allowed one only', async () => {
    const preflight = (origin: string, headers = 'authorization, content-type') =>
      fetch(stack.gateway.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
    const ok = await preflight(ALLOWED_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(ALLOWED_ORIGIN, 'x-forwarded-for')).status).toBe(403);

    const post = (origin: string) =>
      fetch(stack.gateway.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { role } }' }) });
    expect((await post(ALLOWED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect((await post('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('metrics and the access log', () => {
  it('/metrics needs its own bearer secret, and counts requests, errors, subgraph failures, denials, audit writes and refusals', async () => {
    const caller = { organisation: 'Northshire General A&E', name: 'Nurse A', reason: 'Collapsed' };
    const lookup =
      'query Lookup($caller: EmergencyCallerInput!) { emergencyLookup(name: "Nobody Known", dateOfBirth: "1970-01-01", caller: $caller) { known } }';
    await ask(duty, lookup, { caller });
    const refused = await ask(duty, lookup, { caller });
    expect(codes(refused.body)).toContain('RATE_LIMITED');

    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${await token(keyworker)}` } })).status).toBe(401);
    const response = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    expect(value(/^ntk_subgraph_fetch_failures_total\{subgraph="consent",cause="timeout"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_subgraph_fetch_failures_total\{subgraph="hr",cause="unreachable"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_graphql_errors_total\{code="DOWNSTREAM_SERVICE_ERROR",operation="Caseload"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_denials_total\{role="support_worker"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_rate_limit_refusals_total\{limit="emergency-lookup"\} (\d+)/m)).toBe(1);
    expect(value(/^ntk_audit_write_duration_seconds_count (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_graphql_operation_duration_seconds_count\{operation="ClientView"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_subgraph_fetch_duration_seconds_count\{subgraph="clients",outcome="success"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^ntk_http_requests_total\{route="\/graphql",method="POST",status="200"\} (\d+)/m)).toBeGreaterThan(0);
  });

  it('access log lines carry the operation name, its type and the role, and the route (never the raw path)', async () => {
    const { requestId } = await ask(keyworker, CASELOAD);
    await fetch(`${base()}/no/such/path?name=Sam%20Okafor`);
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    const mine = lines.find((line) => line.rid === requestId && line.service === 'gateway');
    expect(mine).toMatchObject({ path: '/graphql', role: 'support_worker', op: 'Caseload', opType: 'query', status: 200 });
    // The subgraphs log the same request id, with the role their claims carry.
    expect(lines.some((line) => line.rid === requestId && line.service === 'subgraph-clients' && line.role === 'support_worker')).toBe(true);
    expect(lines.some((line) => line.path === 'other')).toBe(true);
  });

  it('no log line and no metric holds any seeded name, date of birth, address, phone or NI number', async () => {
    // A scenario over every kind of request first: reads, a denial, a route, a report, a lookup.
    await ask(otherWorker, CLIENT_VIEW, { id: samFor(otherWorker) });
    await ask(keyworker, CLIENT_VIEW, { id: samFor(keyworker) });
    await ask(nhs, CLIENT_VIEW, { id: samFor(nhs) });
    const reporter = await token(reporting);
    const csv = await fetch(`${base()}/reports/headcount.csv`, { headers: { authorization: `Bearer ${reporter}` } });
    expect([csv.status, csv.headers.get('content-disposition')]).toEqual([200, 'attachment; filename="headcount.csv"']);
    const metrics = await (await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const haystack = `${logLines.join('\n')}\n${metrics}`.toLowerCase();

    const db = (name: string) => mongo.db(databaseName(prefix, name));
    const clients = await db('clients')
      .collection<PersonalFields>('clients')
      .find({}, { projection: { name: 1, dateOfBirth: 1, address: 1, phone: 1 } })
      .toArray();
    const employees = await db('hr')
      .collection<PersonalFields>('employees')
      .find({}, { projection: { name: 1, dateOfBirth: 1, homeAddress: 1, niNumber: 1 } })
      .toArray();
    const needles = new Set<string>();
    for (const person of [...clients, ...employees]) {
      for (const value of [
        person.name,
        person.dateOfBirth,
        person.phone,
        person.niNumber,
        person.address?.line1,
        person.address?.postcode,
        person.homeAddress?.line1,
        person.homeAddress?.postcode,
      ]) {
        if (typeof value === 'string' && value.length >= 5) needles.add(value.toLowerCase());
      }
    }
    expect(needles.size).toBeGreaterThan(100);
    // Control: the haystack is real (it holds what the scenario logged), and the needles would be found in it.
    expect(haystack).toContain('"op":"clientview"');
    const found = (text: string) => [...needles].filter((needle) => text.includes(needle));
    expect(found(`${haystack}\n{"msg":"leak","who":"${PERSONAS.sam.name.toLowerCase()}"}`), 'control: one leaked name is found').toEqual([
      PERSONAS.sam.name.toLowerCase(),
    ]);
    expect(found(haystack)).toEqual([]);
  });
});

describe('graceful shutdown', () => {
  it('requests in flight complete and are on the audit trail; new connections are refused; the gateway then closes', async () => {
    proxies.clients.fault = 'slow';
    proxies.clients.delayMs = 600;
    const before = proxies.clients.received;
    const inFlight = Array.from({ length: 4 }, () => ask(keyworker, CASELOAD));
    expect(await eventually(async () => proxies.clients.received >= before + 4)).toBe(true);

    const closing = stack.gateway.close();
    expect(await eventually(async () => !stack.gateway.server.listening)).toBe(true);
    await expect(fetch(`${base()}/health/live`)).rejects.toThrow();

    const answers = await Promise.all(inFlight);
    await closing;
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect((answer.body.data?.myCaseload as unknown[]).length).toBeGreaterThan(0);
    }
    const audited = await mongo
      .db(databaseName(prefix, 'audit'))
      .collection('entries')
      .countDocuments({ requestId: { $in: answers.map((answer) => answer.requestId) } });
    expect(audited).toBe(4);
  }, 30_000);
});
