import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';

/** DESIGN.md invariant 7: the trail is tamper-evident; the verifier says where it breaks. */

function record(n: number): AuditRecord {
  return {
    at: new Date(Date.UTC(2026, 10, 23, 12, 0, n)).toISOString(),
    requestId: `request-${n}`,
    actor: { role: 'support_worker', ref: 'stf_0002' },
    action: 'read',
    subjects: [{ type: 'Client', ref: `n1_subject${n}`, returned: ['Client.name'], denied: n % 2 ? ['Client.dateOfBirth'] : [] }],
  };
}

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previous = GENESIS_HASH;
  for (let n = 1; n <= length; n += 1) {
    const entry = sealEntry(record(n), n, previous);
    entries.push(entry);
    previous = entry.hash;
  }
  return entries;
}

describe('the audit hash chain', () => {
  it('verifies an intact chain and names its head', async () => {
    const entries = chain(20);
    expect(await verifyChain(entries)).toEqual({ ok: true, entries: 20, head: entries[19]?.hash });
    expect(await verifyChain([])).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
  });

  it('finds an edited entry, whichever field was edited', async () => {
    const edits: ((entry: AuditEntry) => AuditEntry)[] = [
      (e) => ({ ...e, actor: { ...e.actor, ref: 'stf_9999' } }),
      (e) => ({ ...e, at: '2020-01-01T00:00:00.000Z' }),
      (e) => ({ ...e, subjects: e.subjects.map((s) => ({ ...s, denied: [] })) }),
      (e) => ({ ...e, subjects: [] }),
      (e) => ({ ...e, requestId: 'other' }),
    ];
    for (const edit of edits) {
      const entries = chain(10);
      entries[6] = edit(entries[6] as AuditEntry);
      expect(await verifyChain(entries)).toMatchObject({ ok: false, at: 7, problem: 'entry 7 was altered (its content does not match its hash)' });
    }
  });

  it('finds a removed entry', async () => {
    const entries = chain(10);
    entries.splice(3, 1);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, at: 4, problem: 'entry 4 is missing (the next entry is 5)' });
  });

  it('finds entries swapped, even with their positions renumbered', async () => {
    const entries = chain(10);
    const [fifth, sixth] = [entries[4] as AuditEntry, entries[5] as AuditEntry];
    entries[4] = { ...sixth, _id: 5 };
    entries[5] = { ...fifth, _id: 6 };
    const report = await verifyChain(entries);
    expect(report).toMatchObject({ ok: false, at: 5 });
  });

  it('finds an entry re-sealed after an edit: the next link no longer matches', async () => {
    const entries = chain(10);
    const edited = { ...(entries[2] as AuditEntry), requestId: 'forged' };
    const { hash: _old, ...unsealed } = edited;
    entries[2] = sealEntry(unsealed, 3, unsealed.prevHash);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, at: 4, problem: 'entry 4 does not follow entry 3 (removed, reordered or replaced)' });
  });

  it('hashes content independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
