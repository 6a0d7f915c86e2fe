import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditCollection } from '../gateway/audit/audit-log.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { dpo, hr, keyworkerOfSam as keyworker, nhsTrust, otherSupportWorker as outsider, sam } from './support/principals.js';

/**
 * docs/INVARIANTS.md#7 and #9: every read of personal data is on the audit trail before it
 * is returned — who, role, when, whose data (pseudonymised for the DPO), which fields were
 * returned and which denied; the trail is hash-chained; if it cannot be written, no personal
 * data leaves, and nothing acknowledged is lost.
 */

const CLIENT = 'query C($id: ID!) { client(id: $id) { name dateOfBirth caseNotes { text } } }';

let proxy: TcpProxy;
let t: TestStack;
beforeAll(async () => {
  const target = new URL(inject('mongodbUri'));
  proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  t = await startTestStack({ auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/` });
});
afterAll(async () => {
  await t.close();
  await proxy.close();
});

async function entries(): Promise<AuditEntry[]> {
  return auditCollection(t.db('audit'))
    .find({}, { sort: { _id: 1 } })
    .toArray();
}

async function lastEntry(): Promise<AuditEntry> {
  const all = await entries();
  return all[all.length - 1] as AuditEntry;
}

describe('what a read puts on the trail', () => {
  it('records who read whose data, which fields came back and which were denied', async () => {
    const before = await entries();
    const { body } = await t.query(await t.token(keyworker), CLIENT, { id: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) });
    expect(body.errors).toBeUndefined();
    const entry = await lastEntry();
    // One entry more, after every other, next in its writer's segment.
    expect((await entries()).length).toBe(before.length + 1);
    expect(entry._id).toBeGreaterThan(before.at(-1)?._id ?? 0);
    const previous = before.filter((e) => e.segment === entry.segment).at(-1);
    expect(entry.seq).toBe((previous?.seq ?? 0) + 1);
    expect(entry.actor).toEqual({ role: 'support_worker', ref: PERSONAS.keyworkerOfSam });
    expect(entry.action).toBe('read');
    expect(Date.now() - Date.parse(entry.at)).toBeLessThan(60_000);
    const sam = entry.subjects.find((s) => s.ref === t.idFor(dpo, 'Client', PERSONAS.sam.clientId));
    expect(sam).toMatchObject({
      type: 'Client',
      returned: expect.arrayContaining(['Client.name', 'Client.dateOfBirth', 'Client.caseNotes', 'CaseNote.text']),
      denied: [],
    });

    await t.query(await t.token(outsider), CLIENT, { id: t.idFor(outsider, 'Client', PERSONAS.sam.clientId) });
    const denied = (await lastEntry()).subjects.find((s) => s.ref === t.idFor(dpo, 'Client', PERSONAS.sam.clientId));
    expect(denied).toMatchObject({ returned: ['Client.name'], denied: ['Client.caseNotes', 'Client.dateOfBirth'] });
  });

  it('names subjects only by the ids the DPO sees: no raw id, no other audience’s id, no data', async () => {
    await t.query(await t.token(hr), 'query E($id: ID!) { employee(id: $id) { name niNumber } }', { id: t.idFor(hr, 'Employee', PERSONAS.sam.employeeId) });
    const entry = await lastEntry();
    expect(entry.subjects).toEqual([
      { type: 'Employee', ref: t.idFor(dpo, 'Employee', PERSONAS.sam.employeeId), returned: ['Employee.name', 'Employee.niNumber'], denied: [] },
    ]);
    const text = JSON.stringify(await entries());
    for (const secret of [
      PERSONAS.sam.clientId,
      PERSONAS.sam.employeeId,
      PERSONAS.sam.staffId,
      PERSONAS.sam.dateOfBirth,
      PERSONAS.sam.name,
      t.idFor(hr, 'Employee', PERSONAS.sam.employeeId),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('writes nothing for a request that touches no personal data', async () => {
    const before = (await entries()).length;
    await t.query(await t.token(keyworker), '{ __typename }');
    expect((await entries()).length).toBe(before);
  });

  it('keeps one valid chain when two gateway replicas write at once', async () => {
    const replica = await startTestStack({ prefix: t.prefix });
    try {
      const before = (await entries()).length;
      const tokens = await Promise.all([t.token(keyworker), replica.token(keyworker)]);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? t : replica).query(tokens[i % 2] as string, '{ myCaseload { name } }').then(({ body }) => expect(body.errors).toBeUndefined()),
        ),
      );
      const all = await entries();
      expect(all.length).toBe(before + 30);
      expect(await verifyChain(all)).toMatchObject({ ok: true, entries: before + 30 });
    } finally {
      await replica.close();
    }
  });
});

describe('fail closed', () => {
  it('returns no personal data while the audit store is unreachable, loses nothing acknowledged, and recovers', async () => {
    const token = await t.token(keyworker);
    const id = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    for (let i = 0; i < 3; i += 1) expect((await t.query(token, CLIENT, { id })).body.errors).toBeUndefined();
    const acknowledged = await entries();

    await proxy.cut();
    const during = await t.query(token, CLIENT, { id });
    expect(during.body.data).toBeUndefined();
    expect(during.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE' } })]);
    expect(JSON.stringify(during.body)).not.toContain(PERSONAS.sam.name);
    expect(JSON.stringify(during.body)).not.toContain(PERSONAS.sam.dateOfBirth);

    await proxy.restore();
    let after = await t.query(token, CLIENT, { id });
    for (let attempt = 0; attempt < 20 && after.body.errors; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await t.query(token, CLIENT, { id });
    }
    expect(after.body.errors).toBeUndefined();
    expect(JSON.stringify(after.body)).toContain(PERSONAS.sam.dateOfBirth);

    const now = await entries();
    expect(now.slice(0, acknowledged.length)).toEqual(acknowledged);
    expect(await verifyChain(now)).toMatchObject({ ok: true });
  });
});

describe('npm run audit:verify', () => {
  const run = promisify(execFile);
  const verify = () =>
    run('npx', ['tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, NODE_ENV: 'test', MONGODB_URI: inject('mongodbUri'), MONGODB_DB_PREFIX: t.prefix },
    }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
    );

  it('passes an intact trail, and reports the entry someone edited in the database', async () => {
    await t.query(await t.token(keyworker), '{ myCaseload { name } }');
    const intact = await verify();
    expect(intact).toMatchObject({ code: 0, out: expect.stringMatching(/audit trail intact: \d+ entries/) });

    const victim = (await entries())[1] as AuditEntry;
    await auditCollection(t.db('audit')).updateOne({ _id: victim._id }, { $set: { 'actor.ref': 'stf_edited' } });
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`audit trail BROKEN at _id ${victim._id}: entry ${victim.seq} of segment ${victim.segment} was altered`);
  });
});

describe('reading the trail', () => {
  async function get(principal: Principal, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(principal)}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('the DPO finds reads by subject, by actor, by time and by action', async () => {
    const since = new Date(Date.now() - 1_000).toISOString();
    await t.query(await t.token(outsider), CLIENT, { id: t.idFor(outsider, 'Client', PERSONAS.sam.clientId) });
    const samRef = t.idFor(dpo, 'Client', PERSONAS.sam.clientId);

    const bySubject = await get(dpo, `/audit/entries?subject=${encodeURIComponent(samRef)}&from=${encodeURIComponent(since)}`);
    expect(bySubject.status).toBe(200);
    const entries = bySubject.body.entries as AuditEntry[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.subjects.some((s) => s.ref === samRef))).toBe(true);
    expect(entries[0]?.actor.ref).toBe(PERSONAS.otherSupportWorker);

    const byActor = await get(dpo, `/audit/entries?actor=${PERSONAS.otherSupportWorker}&action=read`);
    expect((byActor.body.entries as AuditEntry[]).every((e) => e.actor.ref === PERSONAS.otherSupportWorker && e.action === 'read')).toBe(true);

    const future = await get(dpo, `/audit/entries?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future.body.entries).toEqual([]);
  });

  it('refuses anyone but the DPO, and bad filters, with a clear error', async () => {
    expect((await get(keyworker, '/audit/entries')).status).toBe(403);
    expect((await get(hr, '/audit/entries')).status).toBe(403);
    const bad = await get(dpo, '/audit/entries?action=delete');
    expect(bad.status).toBe(400);
    const unauthenticated = await fetch(new URL('/audit/entries', t.gatewayUrl));
    expect(unauthenticated.status).toBe(401);
  });

  it('a service user sees which roles and organisations accessed their record, and when — never which staff', async () => {
    const nhs: Principal = nhsTrust;
    await t.query(await t.token(nhs), CLIENT, { id: t.idFor(nhs, 'Client', PERSONAS.sam.clientId) });
    const mine = await get(sam, '/audit/my-record');
    expect(mine.status).toBe(200);
    const accesses = mine.body.accesses as { at: string; role: string; organisation: string }[];
    expect(accesses).toContainEqual(expect.objectContaining({ role: 'external_agency', organisation: PERSONAS.agencies.nhsTrust }));
    expect(accesses).toContainEqual(expect.objectContaining({ role: 'support_worker', organisation: 'the charity' }));
    const text = JSON.stringify(mine.body);
    for (const staff of [PERSONAS.keyworkerOfSam, PERSONAS.otherSupportWorker, PERSONAS.hrOfficer, 'Riley Ashdown']) expect(text).not.toContain(staff);
    expect((await get(keyworker, '/audit/my-record')).status).toBe(403);
  });

  it('puts the reading of the trail on the trail', async () => {
    await get(dpo, '/audit/entries?action=change');
    const last = (await entries()).at(-1);
    expect(last).toMatchObject({
      actor: { role: 'data_protection_officer' },
      why: [{ field: '/audit/entries', argument: 'query', value: { action: 'change' } }],
    });
  });
});
