import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, auditCollection } from '../gateway/audit/audit-log.js';
import { ChangeReconciler } from '../gateway/audit/reconcile-changes.js';
import { connectMongo } from '../platform/mongo.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { idempotencyKeys } from '../gateway/audit/idempotency-keys.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { PERSONAS } from '../seed/personas.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { keyworkerOfSam as keyworker } from './support/principals.js';

/**
 * Issue 13, second part: a retried change is made once (Idempotency-Key), a change whose
 * outcome was lost with its gateway is found and its outcome written by the reconciliation
 * (from the record the subgraph stamped), and entries cut off the end of the trail are found
 * by `npm run audit:verify` against the signed head checkpoints.
 */

const NOTE = `mutation N($client: ID!, $at: String!, $text: String!) {
  recordCaseNote(clientId: $client, occurredAt: $at, venue: "Client's home", text: $text) { id text }
}`;
const CHECKPOINT_SECRET = 'checkpoint-secret-for-tests-only-0123456789';

let proxy: TcpProxy;
let t: TestStack;
let dir: string;
let checkpointFile: string;
beforeAll(async () => {
  const target = new URL(inject('mongodbUri'));
  proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  dir = await mkdtemp(join(tmpdir(), 'ntk-checkpoints-'));
  checkpointFile = join(dir, 'checkpoints.jsonl');
  t = await startTestStack({ auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/`, env: reconcilingEnv() });
});
afterAll(async () => {
  await t?.close();
  await proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

function reconcilingEnv(): Record<string, string> {
  return {
    REQUEST_DEADLINE_MS: '3000',
    AUDIT_RECONCILE_INTERVAL_MS: '1000',
    AUDIT_RECONCILE_GRACE_MS: '4000',
    MONGODB_URI: inject('mongodbUri'),
    AUDIT_CHECKPOINT_SECRET: CHECKPOINT_SECRET,
    AUDIT_CHECKPOINT_FILE: checkpointFile,
    AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
  };
}

const entries = (): Promise<AuditEntry[]> =>
  auditCollection(t.db('audit'))
    .find({}, { sort: { _id: 1 } })
    .toArray();
const notesWith = (text: string) => t.db('clients').collection('caseNotes').countDocuments({ text });

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
async function post(url: string, token: string, variables: Record<string, unknown>, key?: string, query = NOTE) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

async function until(check: () => Promise<boolean>, attempts = 60): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const past = () => new Date(Date.now() - 60_000).toISOString();

describe('Idempotency-Key', () => {
  it('a retry with the same key gets the first answer and changes nothing; without a key it is made twice (control)', async () => {
    const token = await t.token(keyworker);
    const sam = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const key = randomUUID();
    const variables = { client: sam, at: past(), text: `idempotent ${key}` };
    const first = await post(t.gatewayUrl, token, variables, key);
    expect(first.body.errors).toBeUndefined();
    const before = (await entries()).length;
    const again = await post(t.gatewayUrl, token, variables, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await notesWith(variables.text)).toBe(1);
    // The replay is a read of what it returns, on the trail; no change was requested.
    const added = (await entries()).slice(before);
    expect(added.map((entry) => entry.action)).toEqual(['read']);
    expect(added[0]?.subjects.length).toBeGreaterThan(0);

    // The same key for a different change: refused, nothing made.
    const other = await post(t.gatewayUrl, token, { ...variables, text: `other ${key}` }, key);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await notesWith(`other ${key}`)).toBe(0);

    // Control: the same change without a key is made again.
    const plain = { ...variables, text: `plain ${key}` };
    await post(t.gatewayUrl, token, plain);
    await post(t.gatewayUrl, token, plain);
    expect(await notesWith(plain.text)).toBe(2);

    // A malformed key is refused before anything happens.
    const bad = await post(t.gatewayUrl, token, { ...variables, text: `bad ${key}` }, 'short');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await notesWith(`bad ${key}`)).toBe(0);
  });

  it('concurrent first uses of one key: exactly one is forwarded', async () => {
    const token = await t.token(keyworker);
    const sam = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const key = randomUUID();
    const variables = { client: sam, at: past(), text: `concurrent ${key}` };
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(t.gatewayUrl, token, variables, key)));
    expect(await notesWith(variables.text)).toBe(1);
    const made = answers.filter((answer) => answer.status === 200 && !answer.body.errors);
    expect(made.length).toBeGreaterThanOrEqual(1);
    // The others: the first answer replayed (identical), or told the first has not finished (503, retry).
    for (const answer of answers) {
      if (answer.body.errors) {
        expect(answer.status).toBe(503);
        expect(answer.body.errors[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      } else expect(answer.body).toEqual(made[0]?.body);
    }
    const requested = (await entries()).filter((entry) => entry.action === 'change-requested');
    const keyDoc = await idempotencyKeys(t.db('audit')).findOne({ state: 'done', response: { $regex: variables.text } });
    expect(requested.filter((entry) => entry.requestKey === keyDoc?.requestKey)).toHaveLength(1);
  });
});

describe('a gateway that dies after the store committed', () => {
  it('the reconciliation writes the outcome from the stamped record; a retry with the same key makes no duplicate', async () => {
    // A second replica over the same databases and trail: the one that dies.
    const replica = await startTestStack({
      prefix: t.prefix,
      auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/`,
      env: { REQUEST_DEADLINE_MS: '3000', AUDIT_RECONCILE_INTERVAL_MS: '3600000' },
    });
    const token = await replica.token(keyworker);
    const sam = replica.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const key = randomUUID();
    const variables = { client: sam, at: past(), text: `lost outcome ${key}` };
    // The cut is triggered by the change reaching its subgraph (the observed request): by then
    // `change-requested` is on the trail, the subgraph (its own connection) commits, and the
    // outcome cannot be written.
    let cutting: Promise<void> | undefined;
    const observed = replica.subgraphOperations;
    observed.push = (...operations) => {
      if (!cutting && operations.some((operation) => operation.query.includes('recordCaseNote'))) cutting = proxy.cut();
      return Array.prototype.push.apply(observed, operations);
    };
    try {
      const { status, body } = await post(replica.gatewayUrl, token, variables, key);
      expect(cutting).toBeDefined();
      expect(status).toBe(503);
      expect(body.data ?? null).toBeNull();
      await replica.close(); // dies with the outcome owed
    } finally {
      await cutting;
      await proxy.restore();
    }
    expect(await until(async () => (await notesWith(variables.text)) === 1)).toBe(true);
    const note = await t.db('clients').collection<{ requestKey?: string }>('caseNotes').findOne({ text: variables.text });
    expect(note?.requestKey).toMatch(/^[0-9a-f-]{36}$/);

    // The surviving replica's scheduled reconciliation finds it and writes `change`, with the subject.
    const outcome = async () => (await entries()).find((entry) => entry.requestKey === note?.requestKey && entry.action !== 'change-requested');
    expect(await until(async () => (await outcome()) !== undefined)).toBe(true);
    expect(await outcome()).toMatchObject({ action: 'change', source: 'reconciled', changes: ['Mutation.recordCaseNote'], subjects: [{ type: 'Client' }] });
    expect((await entries()).filter((entry) => entry.requestKey === note?.requestKey && entry.action === 'change-requested')).toHaveLength(1);

    // The retry with the same key: told it was made, not made again.
    const retryToken = await t.token(keyworker);
    expect(
      await until(
        async () =>
          (await post(t.gatewayUrl, retryToken, { ...variables, client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) }, key)).body.errors?.[0]
            ?.extensions?.code === 'ALREADY_MADE',
      ),
    ).toBe(true);
    expect(await notesWith(variables.text)).toBe(1);
    expect(await verifyChain(await entries())).toMatchObject({ ok: true });
  });
});

describe('the reconciliation across segments', () => {
  it('still sees a change-requested that a slower writer puts below entries already reconciled past', async () => {
    const client = await connectMongo(inject('mongodbUri'), 'audit-watermark');
    try {
      const db = client.db(`${t.prefix}watermark_audit`);
      const base = Date.now();
      const fast = new AuditLog(db);
      // A writer whose entries are sealed two seconds before they land (a slow round trip): `_id`s below the fast one's.
      const slow = new AuditLog(db, { now: () => base - 2_000 });
      const grace = 4_000;
      const reconciler = new ChangeReconciler({
        auditDb: db,
        audit: fast,
        probe: () => Promise.resolve({ made: false }),
        graceMs: grace,
        subjectRef: (raw) => raw,
      });
      const actor = { role: 'support_worker' as const, ref: 'stf_w' };
      for (let n = 0; n < 5; n += 1) await fast.append({ at: new Date(base).toISOString(), requestId: `fast-${n}`, actor, action: 'read', subjects: [] });
      await reconciler.run(new Date(base + 1_000));

      const requestKey = randomUUID();
      const late = await slow.append({
        at: new Date(base - 2_000).toISOString(),
        requestId: 'slow',
        actor,
        action: 'change-requested',
        changes: ['Mutation.recordCaseNote'],
        requestKey,
        subjects: [],
      });
      const trail = await auditCollection(db)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      expect(trail[0]?._id).toBe(late); // below every entry the first pass saw

      expect(await reconciler.run(new Date(base + 1_000 + grace + 3_000))).toMatchObject({ examined: 1, notMade: 1 });
      expect(await auditCollection(db).findOne({ requestKey, action: 'change-failed' })).toMatchObject({
        source: 'reconciled',
        failures: [{ change: 'Mutation.recordCaseNote', code: 'NOT_MADE' }],
      });
      expect(
        await verifyChain(
          await auditCollection(db)
            .find({}, { sort: { _id: 1 } })
            .toArray(),
        ),
      ).toMatchObject({ ok: true });
      await Promise.all([fast.close(), slow.close()]);
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });
});

describe('signed head checkpoints', () => {
  const verify = async () => {
    try {
      const { stdout } = await promisify(execFile)(join('node_modules', '.bin', 'tsx'), ['scripts/audit-verify.ts'], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          MONGODB_URI: inject('mongodbUri'),
          MONGODB_DB_PREFIX: t.prefix,
          AUDIT_CHECKPOINT_SECRET: CHECKPOINT_SECRET,
          AUDIT_CHECKPOINT_FILE: checkpointFile,
        },
      });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      return { code: failed.code ?? -1, output: failed.stderr ?? '' };
    }
  };

  it("audit:verify passes on the whole trail and fails, naming the last checkpoint, when a segment's newest entries are cut off", async () => {
    const token = await t.token(keyworker);
    for (const n of [1, 2])
      await post(t.gatewayUrl, token, { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at: past(), text: `before the checkpoint ${n}` });
    // A checkpoint that reaches the end of the segment being written now (the newest entry's).
    const newest = (await entries()).at(-1) as AuditEntry;
    const covers = (line: string) =>
      ((JSON.parse(line) as { heads?: { segment: string; seq: number }[] }).heads ?? []).some(
        (head) => head.segment === newest.segment && head.seq >= newest.seq,
      );
    expect(await until(async () => (await readFile(checkpointFile, 'utf8').catch(() => '')).split('\n').some((line) => line !== '' && covers(line)))).toBe(
      true,
    );
    const intact = await verify();
    expect(intact.code).toBe(0);
    expect(intact.output).toMatch(/reaches the last checkpoint/);

    // Cut the newest entries off the end of the newest entry's segment: what remains chains, the checkpoint says otherwise.
    const trail = auditCollection(t.db('audit'));
    expect(newest.seq).toBeGreaterThan(3);
    await trail.deleteMany({ segment: newest.segment, seq: { $gt: newest.seq - 3 } });
    expect(await verifyChain(await entries())).toMatchObject({ ok: true });
    const cut = await verify();
    expect(cut.code).toBe(1);
    expect(cut.output).toContain(`entries cut off the end of segment ${newest.segment}: the last checkpoint of it (`);
  });
});
