import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, auditCollection } from '../gateway/audit/audit-log.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { connectMongo } from '../platform/mongo.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { replicaLoad } from '../scripts/audit-replicas.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 13: the trail tells the truth under faults and across replicas. The audit store is
 * taken away (a TCP proxy cut) during a write load: nothing acknowledged is missing, every
 * change made has its outcome on the trail, failed changes are `change-failed` with a code,
 * temporary failures are 503 with Retry-After. Two writers share one trail without starving.
 */

const keyworker: Principal = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam };
const outsider: Principal = { role: 'support_worker', sub: PERSONAS.otherSupportWorker };
const NOTE = `mutation N($client: ID!, $at: String!, $text: String!) {
  recordCaseNote(clientId: $client, occurredAt: $at, venue: "Client's home", text: $text) { id }
}`;

let proxy: TcpProxy;
let t: TestStack;
beforeAll(async () => {
  const target = new URL(inject('mongodbUri'));
  proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  t = await startTestStack({ auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/`, env: { REQUEST_DEADLINE_MS: '3000' } });
});
afterAll(async () => {
  await t?.close();
  await proxy?.close();
});

const entries = (): Promise<AuditEntry[]> => auditCollection(t.db('audit')).find({}, { sort: { _id: 1 } }).toArray();

async function post(token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(t.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 40 && !(await check()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 250));
}

describe('the outcome of a change is on the trail', () => {
  it('`change` with the subjects when it was made, `change-failed` with the code when it was not', async () => {
    const token = await t.token(keyworker);
    const sam = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const made = await post(token, NOTE, { client: sam, at: new Date(Date.now() - 60_000).toISOString(), text: 'Made.' });
    expect(made.body.errors).toBeUndefined();
    const afterMade = (await entries()).slice(-2);
    expect(afterMade.map((e) => e.action)).toEqual(['change-requested', 'change']);
    expect(afterMade[1]?.subjects.length).toBeGreaterThan(0);

    // In the future: the subgraph refuses it, nothing is created.
    const failed = await post(token, NOTE, { client: sam, at: new Date(Date.now() + 3_600_000).toISOString(), text: 'Not made.' });
    expect(failed.body.data?.recordCaseNote ?? null).toBeNull();
    const afterFailed = (await entries()).slice(-2);
    expect(afterFailed.map((e) => e.action)).toEqual(['change-requested', 'change-failed']);
    expect(afterFailed[1]).toMatchObject({ changes: ['Mutation.recordCaseNote'], failures: [{ change: 'Mutation.recordCaseNote', code: expect.any(String) }] });

    // Control: a change refused inside the subgraph (not on the caseload) is not logged as made either.
    const outsiderToken = await t.token(outsider);
    await post(outsiderToken, 'mutation S($id: ID!) { startHomeVisit(clientId: $id) { id } }', { id: t.idFor(outsider, 'Client', PERSONAS.sam.clientId) });
    const last = (await entries()).at(-1);
    expect(last?.action === 'change' && (last.changes ?? []).includes('Mutation.startHomeVisit')).toBe(false);
  });
});

describe('the audit store killed during a write load', () => {
  it('loses nothing acknowledged, answers 503 with Retry-After, and every change made has its outcome', async () => {
    const token = await t.token(keyworker);
    const sam = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const notes = t.db('clients').collection('caseNotes');
    const notesBefore = await notes.countDocuments();
    const before = await entries();
    const acknowledged: string[] = [];
    let sent = 0;
    let unavailable = 0;
    const CYCLES = 3;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const load = Array.from({ length: 8 }, async (_, i) => {
        sent += 1;
        const text = `cycle ${cycle} note ${i}`;
        const answer = await post(token, NOTE, { client: sam, at: new Date(Date.now() - 60_000).toISOString(), text });
        if (answer.status === 200 && !answer.body.errors) acknowledged.push(text);
        if (answer.status === 503) {
          unavailable += 1;
          expect(answer.retryAfter).toMatch(/^\d+$/);
          expect(answer.body.data ?? null).toBeNull();
        }
      });
      // Cut somewhere inside the load, at a different point each cycle.
      await new Promise((resolve) => setTimeout(resolve, 5 + cycle * 15));
      await proxy.cut();
      await Promise.all(load);
      await proxy.restore();
      await until(async () => !(await post(token, NOTE, { client: sam, at: new Date(Date.now() - 60_000).toISOString(), text: `after ${cycle}` })).body.errors);
      acknowledged.push(`after ${cycle}`);
    }
    expect(unavailable).toBeGreaterThan(0);

    // Owed outcomes are written once the store is back; then every note made has a `change`.
    const made = async () => notes.countDocuments({ text: { $in: [...acknowledged, ...Array.from({ length: CYCLES * 8 }, (_, n) => `cycle ${Math.floor(n / 8)} note ${n % 8}`)] } });
    const outcomes = async () => (await entries()).filter((e) => e._id > before.length && e.action === 'change' && e.changes?.includes('Mutation.recordCaseNote')).length;
    await until(async () => (await outcomes()) >= (await made()));
    const now = await entries();
    expect(now.slice(0, before.length)).toEqual(before);
    expect(await verifyChain(now)).toMatchObject({ ok: true });
    expect(await notes.countDocuments()).toBe(notesBefore + (await made()));
    expect(await outcomes()).toBe(await made());
    // Every acknowledged change is made and on the trail.
    expect(await notes.countDocuments({ text: { $in: acknowledged } })).toBe(acknowledged.length);
    console.log(`audit faults: ${sent} writes in ${CYCLES} kills, ${acknowledged.length - CYCLES} acknowledged during the load, ${unavailable} answered 503, ${await made()} made in all, ${await outcomes()} outcomes on the trail`);
  });
});

describe('replicas sharing one trail', () => {
  it('two writers: chain intact, neither starved', async () => {
    const [a, b] = await Promise.all([connectMongo(inject('mongodbUri'), 'audit-replica-a'), connectMongo(inject('mongodbUri'), 'audit-replica-b')]);
    try {
      const name = `${t.prefix}replicas_audit`;
      const results = await Promise.all([replicaLoad(new AuditLog(a.db(name), { deadlineMs: 30_000 }), 1, 60, 4), replicaLoad(new AuditLog(b.db(name), { deadlineMs: 30_000 }), 2, 60, 4)]);
      for (const result of results) expect(result.acknowledged).toBe(result.sent);
      const report = await verifyChain(auditCollection(a.db(name)).find({}, { sort: { _id: 1 } }));
      expect(report).toMatchObject({ ok: true, entries: 120 });
      await a.db(name).dropDatabase();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
