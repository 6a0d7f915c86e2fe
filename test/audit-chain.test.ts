import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord, type StoredEntry } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { entryId, ticksAt } from '../gateway/audit/writer-slots.js';

/** docs/INVARIANTS.md#7: the trail is tamper-evident; the verifier says where it breaks. */

function record(n: number): AuditRecord {
  return {
    at: new Date(Date.UTC(2026, 10, 23, 12, 0, n)).toISOString(),
    requestId: `request-${n}`,
    actor: { role: 'support_worker', ref: 'stf_0002' },
    action: 'read',
    subjects: [{ type: 'Client', ref: `n1_subject${n}`, returned: ['Client.name'], denied: n % 2 ? ['Client.dateOfBirth'] : [] }],
  };
}

const K0 = ticksAt(Date.UTC(2026, 10, 23, 12));

/** Two writers (slots 3 and 7, segments A and B) taking turns: the trail as `_id` order merges it. */
function trail(length: number): AuditEntry[] {
  const heads = new Map([
    ['A', { seq: 0, hash: GENESIS_HASH }],
    ['B', { seq: 0, hash: GENESIS_HASH }],
  ]);
  const entries: AuditEntry[] = [];
  for (let n = 1; n <= length; n += 1) {
    const segment = n % 3 === 0 ? 'B' : 'A';
    const head = heads.get(segment) as { seq: number; hash: string };
    const entry = sealEntry(record(n), { _id: entryId(K0 + n, segment === 'A' ? 3 : 7), segment, seq: head.seq + 1, prevHash: head.hash });
    heads.set(segment, { seq: entry.seq, hash: entry.hash });
    entries.push(entry);
  }
  return entries.sort((a, b) => a._id - b._id);
}

/** The one chain written before segments: `_id` n, no segment, no seq. */
function legacyChain(length: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let previous = GENESIS_HASH;
  for (let n = 1; n <= length; n += 1) {
    const unsealed = { ...record(n), _id: n, prevHash: previous };
    const entry = { ...unsealed, hash: entryHash(unsealed) };
    entries.push(entry);
    previous = entry.hash;
  }
  return entries;
}

const of = (entries: readonly AuditEntry[], segment: string, seq: number) => entries.find((e) => e.segment === segment && e.seq === seq) as AuditEntry;
const indexOf = (entries: readonly AuditEntry[], segment: string, seq: number) => entries.findIndex((e) => e.segment === segment && e.seq === seq);

describe('the audit hash chains', () => {
  it("verifies a trail of interleaved segments and names each segment's head", async () => {
    const entries = trail(21);
    const report = await verifyChain(entries);
    expect(report).toMatchObject({ ok: true, entries: 21 });
    if (!report.ok) throw new Error('unreachable');
    expect(Object.fromEntries(report.segments)).toEqual({
      A: { seq: 14, hash: of(entries, 'A', 14).hash, lastId: of(entries, 'A', 14)._id },
      B: { seq: 7, hash: of(entries, 'B', 7).hash, lastId: of(entries, 'B', 7)._id },
    });
    expect(await verifyChain([])).toMatchObject({ ok: true, entries: 0 });
  });

  it('still verifies the chain written before segments, alone or followed by segments', async () => {
    expect(await verifyChain(legacyChain(10))).toMatchObject({ ok: true, entries: 10 });
    expect(await verifyChain([...legacyChain(10), ...trail(9)])).toMatchObject({ ok: true, entries: 19 });
    const broken = legacyChain(10);
    broken.splice(3, 1);
    expect(await verifyChain(broken)).toMatchObject({ ok: false, at: 5, problem: 'entry 4 is missing (the next is entry 5, _id 5)' });
  });

  it('finds an edited entry, whichever field was edited, naming its segment and place', async () => {
    const edits: ((entry: AuditEntry) => AuditEntry)[] = [
      (e) => ({ ...e, actor: { ...e.actor, ref: 'stf_9999' } }),
      (e) => ({ ...e, at: '2020-01-01T00:00:00.000Z' }),
      (e) => ({ ...e, subjects: e.subjects.map((s) => ({ ...s, denied: [] })) }),
      (e) => ({ ...e, subjects: [] }),
      (e) => ({ ...e, requestId: 'other' }),
      (e) => ({ ...e, _id: e._id + 1 }),
    ];
    for (const edit of edits) {
      const entries = trail(20);
      const at = indexOf(entries, 'B', 3);
      entries[at] = edit(entries[at] as AuditEntry);
      expect(await verifyChain(entries)).toMatchObject({
        ok: false,
        segment: 'B',
        seq: 3,
        at: entries[at]?._id,
        problem: 'entry 3 of segment B was altered (its content does not match its hash)',
      });
    }
  });

  it('finds an entry moved to another segment: the segment is part of what is hashed', async () => {
    const entries = trail(20);
    const at = indexOf(entries, 'A', 5);
    entries[at] = { ...(entries[at] as AuditEntry), segment: 'C', seq: 1, prevHash: GENESIS_HASH };
    expect(await verifyChain(entries)).toMatchObject({
      ok: false,
      segment: 'C',
      seq: 1,
      problem: 'entry 1 of segment C was altered (its content does not match its hash)',
    });
  });

  it('finds a removed entry', async () => {
    const entries = trail(20);
    entries.splice(indexOf(entries, 'A', 4), 1);
    expect(await verifyChain(entries)).toMatchObject({
      ok: false,
      segment: 'A',
      seq: 5,
      problem: `entry 4 of segment A is missing (the next is entry 5, _id ${of(entries, 'A', 5)._id})`,
    });
  });

  it('finds a segment whose first entries were removed', async () => {
    const entries = trail(20).filter((e) => !(e.segment === 'B' && e.seq <= 2));
    expect(await verifyChain(entries)).toMatchObject({ ok: false, segment: 'B', seq: 3, problem: expect.stringMatching(/^entry 1 of segment B is missing/) });
  });

  it('finds entries swapped, even with their positions renumbered', async () => {
    const entries = trail(20);
    const [i, j] = [indexOf(entries, 'A', 5), indexOf(entries, 'A', 6)];
    const [fifth, sixth] = [entries[i] as AuditEntry, entries[j] as AuditEntry];
    entries[i] = { ...sixth, _id: fifth._id, seq: 5 };
    entries[j] = { ...fifth, _id: sixth._id, seq: 6 };
    expect(await verifyChain(entries)).toMatchObject({ ok: false, segment: 'A', seq: 5 });
  });

  it('finds a segment whose _ids run backwards (a writer that reused an old position)', async () => {
    const first = sealEntry(record(1), { _id: entryId(K0 + 5, 3), segment: 'A', seq: 1, prevHash: GENESIS_HASH });
    const second = sealEntry(record(2), { _id: entryId(K0 + 4, 3), segment: 'A', seq: 2, prevHash: first.hash });
    expect(await verifyChain([first, second])).toMatchObject({
      ok: false,
      segment: 'A',
      seq: 2,
      problem: `entry 2 of segment A is out of order: its _id ${second._id} is not above entry 1's`,
    });
  });

  it('finds an entry re-sealed after an edit: the next link no longer matches', async () => {
    const entries = trail(20);
    const at = indexOf(entries, 'A', 3);
    const { hash: _old, ...unsealed } = { ...(entries[at] as AuditEntry), requestId: 'forged' };
    entries[at] = sealEntry(unsealed, unsealed);
    expect(await verifyChain(entries)).toMatchObject({
      ok: false,
      segment: 'A',
      seq: 4,
      problem: 'entry 4 of segment A does not follow entry 3 (removed, reordered or replaced)',
    });
  });

  it('hashes content independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
