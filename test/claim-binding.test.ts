import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { readGatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/start-gateway.js';
import { claimsKey, GATEWAY_ISSUER, signGatewayClaims, subgraphAudience, type ClaimedRequest } from '../platform/gateway-claims.js';
import type { RunningHttpServer } from '../platform/graphql-http-server.js';
import { createLogger } from '../platform/logger.js';
import { operationHash, operationHashOfBody } from '../platform/operation-hash.js';
import { ReplayCache, ReplayCacheFullError } from '../platform/replay-cache.js';
import { DEV_SUBGRAPH_SIGNING_SECRET } from '../platform/secrets.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { SUBGRAPH_NAMES } from '../subgraphs/registry.js';
import { keyworkerOfSam as keyworker, reporting } from './support/principals.js';

/**
 * Issue 9: a gateway→subgraph claim is good for the one request it was issued for. Captured on
 * the wire (a proxy between the gateway and the subgraphs), it is refused when replayed as it
 * was, as an `_entities` lookup of the restricted reason or the NI number, as another query,
 * with other variables or another operation name; and each claim is single use.
 */

const key = claimsKey(DEV_SUBGRAPH_SIGNING_SECRET);

const RESTRICTION_OF = {
  query: 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { name restriction { reason sealedNote } } } }',
  variables: { representations: [{ __typename: 'Client', id: PERSONAS.sam.clientId }] },
};
const NI_NUMBER_OF = {
  query: 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employee { name niNumber } } }',
  variables: { representations: [{ __typename: 'Employee', id: PERSONAS.sam.employeeId }] },
};
/** What a subgraph would be asked for each stolen claim, by the subgraph the claim was for. */
const STOLEN_USE: Record<'clients' | 'hr', { query: string; variables: Record<string, unknown> }> = { clients: RESTRICTION_OF, hr: NI_NUMBER_OF };

interface Captured {
  readonly subgraph: SubgraphName;
  readonly authorization: string;
  readonly body: string;
}

/** A plain HTTP proxy in front of one subgraph that keeps a copy of every request. */
async function startCapturingProxy(subgraph: SubgraphName, target: string, captured: Captured[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      captured.push({ subgraph, authorization: req.headers.authorization ?? '', body });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      fetch(target, { method: req.method ?? 'POST', headers, body })
        .then(async (response) => {
          const text = await response.text();
          res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

let t: TestStack;
let gateway: RunningHttpServer;
const proxies: Server[] = [];
const captured: Captured[] = [];

beforeAll(async () => {
  t = await startTestStack();
  const env: Record<string, string> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_DB_PREFIX: t.prefix, GATEWAY_PORT: '0' };
  for (const name of SUBGRAPH_NAMES) {
    const proxy = await startCapturingProxy(name, t.stack.subgraphs[name].url, captured);
    proxies.push(proxy.server);
    env[`${name.toUpperCase()}_SUBGRAPH_URL`] = proxy.url;
  }
  // A second gateway over the same subgraphs, reaching them through the proxies.
  const { config } = readGatewayConfig(env);
  gateway = await startGateway({ config, auditDb: t.db('audit'), logger: createLogger('gateway', 'silent') });
});
afterAll(async () => {
  await gateway?.close();
  for (const server of proxies) await new Promise<void>((resolve) => server.close(() => resolve()));
  await t?.close();
});

async function throughGateway(principal: Principal, query: string): Promise<{ status: number; body: { data?: unknown; errors?: unknown[] } }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(principal)}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

async function callSubgraph(subgraph: SubgraphName, authorization: string, body: string, method = 'POST', search = '') {
  const response = await fetch(`${t.stack.subgraphs[subgraph].url}${search}`, {
    method,
    headers: { 'content-type': 'application/json', authorization },
    ...(method === 'POST' ? { body } : {}),
  });
  const json = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, body: json };
}

async function claimFor(subgraph: SubgraphName, principal: Principal, request: ClaimedRequest): Promise<string> {
  return `Bearer ${await signGatewayClaims(key, subgraph, { principal, requestId: 'claim-binding-test' }, request)}`;
}

function expectUnauthenticated(result: Awaited<ReturnType<typeof callSubgraph>>, message: RegExp) {
  expect(result.status).toBe(401);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(result.body.errors?.[0]?.message).toMatch(message);
}

describe('claims captured between the gateway and the subgraphs', () => {
  let stolen: Captured[] = [];
  beforeAll(async () => {
    captured.length = 0;
    // The reporting tool's own requests: what the issue's attacker captured.
    const caseload = await throughGateway(reporting, '{ caseloadReport(period: "2026-Q3", rows: SERVICE, columns: GENDER) { name } }');
    const headcount = await throughGateway(reporting, '{ headcountReport { name } }');
    expect([caseload.status, headcount.status]).toEqual([200, 200]);
    stolen = captured.filter((request) => request.subgraph === 'clients' || request.subgraph === 'hr');
  });

  it('were real gateway claims that carried the requests (the control)', () => {
    expect(new Set(stolen.map((request) => request.subgraph))).toEqual(new Set(['clients', 'hr']));
    for (const request of stolen) expect(request.authorization).toMatch(/^Bearer /);
  });

  it('are refused when replayed exactly as they were sent', async () => {
    for (const request of stolen) expectUnauthenticated(await callSubgraph(request.subgraph, request.authorization, request.body), /already used/);
  });

  it('are refused for an _entities lookup of the restricted reason and the NI number', async () => {
    for (const request of stolen) {
      const use = STOLEN_USE[request.subgraph as 'clients' | 'hr'];
      const result = await callSubgraph(request.subgraph, request.authorization, JSON.stringify(use));
      expectUnauthenticated(result, /already used|another operation/);
      expect(JSON.stringify(result.body)).not.toMatch(/SERVICE_USER_EMPLOYEE|QQ\d/);
    }
  });
});

describe('a claim for one operation, not yet used', () => {
  const CASELOAD = { query: 'query Mine { myCaseload { id name } }', operationName: 'Mine' };
  const ALEX = { query: RESTRICTION_OF.query, variables: { representations: [{ __typename: 'Client', id: PERSONAS.ordinaryClient.clientId }] } };

  it('is accepted for exactly that operation, once (the control)', async () => {
    const claim = await claimFor('clients', keyworker, CASELOAD);
    const first = await callSubgraph('clients', claim, JSON.stringify(CASELOAD));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expectUnauthenticated(await callSubgraph('clients', claim, JSON.stringify(CASELOAD)), /already used/);
  });

  it('binds variables by value, not by how the JSON was written (key order, spacing)', async () => {
    const request = {
      query: 'query ($period: String!) { caseloadReport(period: $period, rows: SERVICE, columns: GENDER) { name } }',
      variables: { period: '2026-Q3' },
    };
    const claim = await claimFor('clients', reporting, request);
    const reordered = `{ "variables" : { "period" : "2026-Q3" },  "query": ${JSON.stringify(request.query)} }`;
    expect((await callSubgraph('clients', claim, reordered)).status).toBe(200);
  });

  it.each([
    ['an _entities lookup of the restricted reason', RESTRICTION_OF],
    ['another query', { query: '{ myCaseload { id } }' }],
    ['the same query under another operation name', { ...CASELOAD, operationName: 'Other' }],
    ['the same query without its operation name', { query: CASELOAD.query }],
    ['the same query with variables added', { ...CASELOAD, variables: { extra: 1 } }],
  ])('is refused for %s', async (_what, other) => {
    const claim = await claimFor('clients', keyworker, CASELOAD);
    expectUnauthenticated(await callSubgraph('clients', claim, JSON.stringify(other)), /another operation/);
  });

  it('is refused for the same query with other variables (another client)', async () => {
    const claim = await claimFor('clients', keyworker, ALEX);
    expectUnauthenticated(await callSubgraph('clients', claim, JSON.stringify(RESTRICTION_OF)), /another operation/);
  });

  it('is refused as a GET, a batch, or a body that is not JSON of a request', async () => {
    const get = await callSubgraph(
      'clients',
      await claimFor('clients', keyworker, CASELOAD),
      '',
      'GET',
      `?query=${encodeURIComponent(CASELOAD.query)}&operationName=Mine`,
    );
    expectUnauthenticated(get, /another operation/);
    expectUnauthenticated(await callSubgraph('clients', await claimFor('clients', keyworker, CASELOAD), JSON.stringify([CASELOAD])), /another operation/);
    expectUnauthenticated(
      await callSubgraph('clients', await claimFor('clients', keyworker, CASELOAD), JSON.stringify({ ...CASELOAD, variables: [1] })),
      /another operation/,
    );
  });

  it('is used once even when sent twice at the same moment', async () => {
    const claim = await claimFor('clients', keyworker, CASELOAD);
    const statuses = await Promise.all([1, 2, 3].map(() => callSubgraph('clients', claim, JSON.stringify(CASELOAD)).then((result) => result.status)));
    expect(statuses.sort()).toEqual([200, 401, 401]);
  });
});

describe('the unbound claims of before', () => {
  async function unbound(subgraph: SubgraphName, principal: Principal, lifetimeSeconds = 60) {
    const now = Math.floor(Date.now() / 1000);
    return `Bearer ${await new SignJWT({ role: principal.role, rid: 'claim-binding-legacy' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.sub)
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience(subgraph))
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(key)}`;
  }

  it('are refused: a claim must name the operation it is for', async () => {
    for (const [subgraph, use] of [
      ['clients', RESTRICTION_OF],
      ['hr', NI_NUMBER_OF],
    ] as const) {
      expectUnauthenticated(await callSubgraph(subgraph, await unbound(subgraph, reporting), JSON.stringify(use)), /not bound to an operation/);
    }
  });

  it('would have opened _entities: the same principal with a claim bound to that very lookup gets past authentication (the control)', async () => {
    for (const [subgraph, use] of [
      ['clients', RESTRICTION_OF],
      ['hr', NI_NUMBER_OF],
    ] as const) {
      const result = await callSubgraph(subgraph, await claimFor(subgraph, reporting, use), JSON.stringify(use));
      // 200: authentication let it through; whether the data comes back is the subgraph's role checks' business.
      expect(result.status).toBe(200);
    }
  });

  it('are refused when they live longer than the 30 s contract', async () => {
    const request = { query: '{ __typename }' };
    const now = Math.floor(Date.now() / 1000);
    const long = await new SignJWT({ role: 'support_worker', rid: 'claim-binding-long', oph: operationHash(request) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('stf_0002')
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraphAudience('clients'))
      .setJti('claim-binding-long-lived-claim')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    expectUnauthenticated(await callSubgraph('clients', `Bearer ${long}`, JSON.stringify(request)), /live too long/);
  });
});

describe('the canonical form of a request (the same on both sides)', () => {
  it('is the same for the gateway’s values and the JSON the subgraph parses', () => {
    const variables = { b: [1, { d: 'x', c: null }], a: 'é\u2028', skipped: undefined, when: new Date(0) };
    const request = { query: '{ q }', variables, operationName: 'Q' };
    expect(operationHashOfBody(JSON.parse(JSON.stringify(request)))).toBe(operationHash(request));
  });

  it('treats absent and null variables and operation names alike, and nothing else', () => {
    const base = operationHash({ query: '{ q }' });
    expect(operationHashOfBody({ query: '{ q }', variables: null, operationName: null })).toBe(base);
    expect(operationHashOfBody({ query: '{ q }', variables: {} })).toBe(base);
    expect(operationHashOfBody({ query: '{ q } ' })).not.toBe(base);
    expect(operationHashOfBody({ query: '{ q }', operationName: 'Q' })).not.toBe(base);
    expect(operationHashOfBody({ query: '{ q }', variables: { a: 1 } })).not.toBe(operationHashOfBody({ query: '{ q }', variables: { a: '1' } }));
  });

  it('matches no claim for bodies of another shape, however deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    for (const body of [
      undefined,
      null,
      'q',
      [],
      [{ query: '{ q }' }],
      { query: 1 },
      { query: '{ q }', variables: 'x' },
      { query: '{ q }', operationName: 1 },
      { query: '{ q }', variables: { deep } },
    ]) {
      expect(operationHashOfBody(body)).toBeUndefined();
    }
  });
});

describe('the replay cache', () => {
  it('forgets an id once its claim has expired, and refuses (rather than forgets) when full of live ids', () => {
    let now = 1_000;
    const cache = new ReplayCache({ maxEntries: 2, now: () => now });
    expect(cache.use('a', 2_000)).toBe(true);
    expect(cache.use('a', 2_000)).toBe(false);
    expect(cache.use('b', 2_500)).toBe(true);
    expect(() => cache.use('c', 3_000)).toThrow(ReplayCacheFullError);
    now = 2_001;
    expect(cache.use('c', 3_000)).toBe(true);
    expect(cache.size).toBe(2);
    now = 3_001;
    expect(cache.use('d', 4_000)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
