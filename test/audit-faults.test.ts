import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, AuditUnavailableError, auditCollection } from '../gateway/audit/audit-log.js';
import { GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord } from '../gateway/audit/audit-entry.js';
import { entryId, SLOT_STALE_MS, SLOTS, SLOTS_COLLECTION } from '../gateway/audit/writer-slots.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { connectMongo } from '../platform/mongo.js';
import { PERSONAS } from '../seed/personas.js';
import { replicaLoad } from '../scripts/audit-replicas.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { keyworkerOfSam as keyworker, otherSupportWorker as outsider } from './support/principals.js';

/**
 * Issue 13: the trail tells the truth under faults and across replicas. The audit store is
 * taken away (a TCP proxy cut) during a write load: nothing acknowledged is missing, every
 * change made has its outcome on the trail, failed changes are `change-failed` with a code,
 * temporary failures are 503 with Retry-After. Two and four writers share one trail, a
 * segment each, without starving; a stale writer slot is taken over, a live one never.
 */

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

const entries = (): Promise<AuditEntry[]> =>
  auditCollection(t.db('audit'))
    .find({}, { sort: { _id: 1 } })
    .toArray();

async function post(token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(t.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] },
  };
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
    const made = async () =>
      notes.countDocuments({ text: { $in: [...acknowledged, ...Array.from({ length: CYCLES * 8 }, (_, n) => `cycle ${Math.floor(n / 8)} note ${n % 8}`)] } });
    const beforeIds = new Set(before.map((e) => e._id));
    const outcomes = async () =>
      (await entries()).filter((e) => !beforeIds.has(e._id) && e.action === 'change' && e.changes?.includes('Mutation.recordCaseNote')).length;
    await until(async () => (await outcomes()) >= (await made()));
    const now = await entries();
    expect(now.slice(0, before.length)).toEqual(before);
    expect(await verifyChain(now)).toMatchObject({ ok: true });
    expect(await notes.countDocuments()).toBe(notesBefore + (await made()));
    expect(await outcomes()).toBe(await made());
    // Every acknowledged change is made and on the trail.
    expect(await notes.countDocuments({ text: { $in: acknowledged } })).toBe(acknowledged.length);
    console.log(
      `audit faults: ${sent} writes in ${CYCLES} kills, ${acknowledged.length - CYCLES} acknowledged during the load, ${unavailable} answered 503, ${await made()} made in all, ${await outcomes()} outcomes on the trail`,
    );
  });
});

describe('replicas sharing one trail: a segment each', () => {
  for (const writers of [2, 4]) {
    it(`${writers} writers on their own connections: every segment intact, every acknowledged append there exactly once, none starved`, async () => {
      const clients = await Promise.all(Array.from({ length: writers }, (_, i) => connectMongo(inject('mongodbUri'), `audit-replica-${i}`)));
      try {
        const name = `${t.prefix}replicas${writers}_audit`;
        const logs = clients.map((client) => new AuditLog(client.db(name), { deadlineMs: 30_000 }));
        const results = await Promise.all(logs.map((log, i) => replicaLoad(log, i + 1, 60, 4)));
        for (const result of results) expect(result.acknowledged / result.sent).toBeGreaterThanOrEqual(0.99);
        const trail = await auditCollection(clients[0]!.db(name))
          .find({}, { sort: { _id: 1 } })
          .toArray();
        const report = await verifyChain(trail);
        expect(report).toMatchObject({ ok: true, entries: results.reduce((sum, r) => sum + r.acknowledged, 0) });
        expect(report.ok && report.segments.size).toBe(writers);
        // Each acknowledged `_id` once, holding that replica's entry.
        const byId = new Map(trail.map((entry) => [entry._id, entry]));
        for (const result of results) {
          expect(new Set(result.ids).size).toBe(result.ids.length);
          for (const id of result.ids) expect(byId.get(id)?.requestId).toMatch(new RegExp(`^replica${result.replica}-`));
        }
        // A writer's head never needed reading: nobody lost a slot, nobody raced.
        for (const log of logs) expect(log.stats).toMatchObject({ slotsLost: 0, segments: 1 });
        await Promise.all(logs.map((log) => log.close()));
        await clients[0]!.db(name).dropDatabase();
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });
  }

  it('takes over a stale slot, never a live one; with every slot live it refuses to write', async () => {
    const client = await connectMongo(inject('mongodbUri'), 'audit-slots');
    try {
      const db = client.db(`${t.prefix}slots_audit`);
      const now = Date.now();
      const stale = 17;
      await db.collection(SLOTS_COLLECTION).insertMany(
        Array.from({ length: SLOTS }, (_, slot) => ({
          _id: slot as never,
          writer: `writer-${slot}`,
          heartbeatAt: new Date(slot === stale ? now - SLOT_STALE_MS - 5_000 : now),
        })),
      );
      const log = new AuditLog(db);
      const id = await log.append({
        at: new Date().toISOString(),
        requestId: 'takeover',
        actor: { role: 'support_worker', ref: 'stf_x' },
        action: 'read',
        subjects: [],
      });
      expect(id % SLOTS).toBe(stale);
      const slots = await db.collection<{ _id: number; writer: string }>(SLOTS_COLLECTION).find({}).toArray();
      expect(slots.filter((doc) => doc.writer.startsWith('writer-')).map((doc) => doc._id)).toHaveLength(SLOTS - 1);
      expect(slots.find((doc) => doc._id === stale)?.writer).not.toBe(`writer-${stale}`);

      const crowded = new AuditLog(db);
      await expect(
        crowded.append({ at: new Date().toISOString(), requestId: 'crowded', actor: { role: 'support_worker', ref: 'stf_x' }, action: 'read', subjects: [] }),
      ).rejects.toBeInstanceOf(AuditUnavailableError);
      await log.close();
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('a writer that has not confirmed its slot lately checks it before writing, and moves if it was taken', async () => {
    const client = await connectMongo(inject('mongodbUri'), 'audit-confirm');
    try {
      const db = client.db(`${t.prefix}confirm_audit`);
      let clock = Date.now();
      const writer = new AuditLog(db, { now: () => clock });
      const read = (requestId: string): AuditRecord => ({
        at: new Date(clock).toISOString(),
        requestId,
        actor: { role: 'support_worker', ref: 'stf_c' },
        action: 'read',
        subjects: [],
      });
      const slot = (await writer.append(read('first'))) % SLOTS;
      // Its heartbeat could not reach the store for longer than a slot stays live, and another writer took the slot.
      await db.collection(SLOTS_COLLECTION).updateOne({ _id: slot as never }, { $set: { writer: 'the-other' } });
      clock += SLOT_STALE_MS;
      const next = await writer.append(read('second'));
      expect(next % SLOTS).not.toBe(slot);
      expect(writer.stats.slotsLost).toBe(0); // found by the check, not by a refused insert
      expect(
        await verifyChain(
          await auditCollection(db)
            .find({}, { sort: { _id: 1 } })
            .toArray(),
        ),
      ).toMatchObject({ ok: true, entries: 2 });
      await writer.close();
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('a paused writer whose slot was taken meanwhile moves to another slot, overwriting nothing', async () => {
    const client = await connectMongo(inject('mongodbUri'), 'audit-paused');
    try {
      const db = client.db(`${t.prefix}paused_audit`);
      // A frozen clock: the writer's next `_id` is predictable (k + 1), and it does not notice time passing.
      const frozen = Date.now();
      const paused = new AuditLog(db, { now: () => frozen });
      const read = (requestId: string): AuditRecord => ({
        at: new Date(frozen).toISOString(),
        requestId,
        actor: { role: 'support_worker', ref: 'stf_p' },
        action: 'read',
        subjects: [],
      });
      const first = await paused.append(read('before the pause'));
      const [slot, k] = [first % SLOTS, Math.floor(first / SLOTS)];
      // Meanwhile its slot went stale and another writer took it over and wrote the very next position.
      await db.collection(SLOTS_COLLECTION).deleteOne({ _id: slot as never });
      await db.collection(SLOTS_COLLECTION).insertOne({ _id: slot as never, writer: 'the-other', heartbeatAt: new Date() });
      const theirs = sealEntry(read('the other writer'), { _id: entryId(k + 1, slot), segment: 'the-other', seq: 1, prevHash: GENESIS_HASH });
      await auditCollection(db).insertOne(theirs);

      const second = await paused.append(read('after the pause'));
      expect(second % SLOTS).not.toBe(slot);
      expect(second).toBeGreaterThan(first);
      expect(paused.stats.slotsLost).toBe(1);
      const trail = await auditCollection(db)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      expect(trail.map((entry) => entry.requestId)).toEqual(['before the pause', 'the other writer', 'after the pause']);
      expect(trail[1]).toEqual(theirs);
      expect(await verifyChain(trail)).toMatchObject({ ok: true, entries: 3 });
      expect(trail[2]).toMatchObject({ segment: paused.segment, seq: 2, prevHash: trail[0]?.hash });
      await paused.close();
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });
});
