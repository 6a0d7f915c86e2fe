import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { hr, keyworkerOfSam as keyworker, reporting, sam } from './support/principals.js';

/**
 * One error model (issue 12): the same failure has the same code and status at every door —
 * `/graphql`, the CSV reports and the subject access export — and a temporary one carries
 * Retry-After at each. The audit store is taken away with a TCP proxy cut; a subgraph is
 * stopped outright (last, as nothing after it could read that subgraph).
 */

const HEADCOUNT = 'query Headcount { headcountReport { grandTotal { value suppressed } } }';
const CLIENT = 'query Client($id: ID!) { client(id: $id) { name dateOfBirth } }';

interface DoorAnswer {
  status: number;
  retryAfter: string | null;
  code: unknown;
  text: string;
}

let proxy: TcpProxy;
let t: TestStack;
beforeAll(async () => {
  const target = new URL(inject('mongodbUri'));
  proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  // A deadline well past the audit connection's server-selection timeout (1.5 s, test/support/test-stack.ts):
  // the trail's failure, not the deadline, is what each door answers for, even on a loaded machine.
  t = await startTestStack({ auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/`, env: { REQUEST_DEADLINE_MS: '20000' } });
});
afterAll(async () => {
  await t?.close();
  await proxy?.close();
});

async function answerOf(response: Response): Promise<DoorAnswer> {
  const text = await response.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code;
  } catch {
    code = undefined;
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code, text };
}

async function graphql(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<DoorAnswer> {
  const response = await fetch(t.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(principal)}` },
    body: JSON.stringify({ query, variables }),
  });
  return answerOf(response);
}

async function route(principal: Principal, path: string): Promise<DoorAnswer> {
  return answerOf(await fetch(new URL(path, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(principal)}` } }));
}

/** The status, the code and whether Retry-After is a whole number of seconds: what must agree across doors. */
const refusal = ({ status, code, retryAfter }: DoorAnswer) => ({ status, code, retryAfter: retryAfter !== null && /^\d+$/.test(retryAfter) });

async function recovered(): Promise<void> {
  const id = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
  for (let attempt = 0; attempt < 40 && (await graphql(keyworker, CLIENT, { id })).status !== 200; attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 250));
}

describe('the audit trail down', () => {
  it('/graphql, the CSV report, the subject access export and the audit routes all answer 503 AUDIT_UNAVAILABLE with Retry-After', async () => {
    const unavailable = { status: 503, code: 'AUDIT_UNAVAILABLE', retryAfter: true };
    // The controls: with the trail up, each door answers.
    expect((await route(sam, '/subject-access/export')).status).toBe(200);
    expect((await route(reporting, '/reports/headcount.csv')).status).toBe(200);
    expect((await route(sam, '/audit/my-record')).status).toBe(200);
    await proxy.cut();
    try {
      const read = await graphql(keyworker, CLIENT, { id: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) });
      expect(refusal(read)).toEqual(unavailable);
      // Today's bug: the export answered a generic 502 EXPORT_INCOMPLETE here.
      const exported = await route(sam, '/subject-access/export');
      expect(refusal(exported)).toEqual(unavailable);
      expect(exported.text).not.toContain(PERSONAS.sam.name);
      // A refusal that cannot be put on the trail: the same at both doors (the CSV route had no Retry-After).
      expect(refusal(await route(hr, '/reports/headcount.csv'))).toEqual(refusal(await graphql(hr, HEADCOUNT)));
      expect(refusal(await route(hr, '/reports/headcount.csv'))).toEqual(unavailable);
      // The trail's own routes: reading the trail is on the trail, so the same answer, never a 500.
      expect(refusal(await route(sam, '/audit/my-record'))).toEqual(unavailable);
      // An aggregate touches no one's record: both doors give it, or neither does.
      const [csv, report] = [await route(reporting, '/reports/headcount.csv'), await graphql(reporting, HEADCOUNT)];
      expect(csv.status).toBe(report.status);
    } finally {
      await proxy.restore();
    }
    await recovered();
  });
});

describe('a subgraph down', () => {
  it('the CSV report answers 503 DOWNSTREAM_SERVICE_ERROR with Retry-After, the code /graphql gives, never 400', async () => {
    expect((await route(reporting, '/reports/headcount.csv')).status).toBe(200);
    await t.stack.subgraphs.hr.close();
    const report = await graphql(reporting, HEADCOUNT);
    expect(report.code).toBe('DOWNSTREAM_SERVICE_ERROR');
    const csv = await route(reporting, '/reports/headcount.csv');
    // Today's bug: 400, as if the caller had asked wrongly.
    expect(refusal(csv)).toEqual({ status: 503, code: 'DOWNSTREAM_SERVICE_ERROR', retryAfter: true });
    expect(csv.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|hr\b/);
  });
});
