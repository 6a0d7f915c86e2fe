import { entryHash, GENESIS_HASH, type AuditEntry } from './audit-entry.js';

/**
 * Walks the trail in order and says where it first breaks. A chain alone cannot show that
 * the newest entries were cut off the end; everything before the end is covered.
 */

export type ChainReport =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly at: number; readonly problem: string };

export async function verifyChain(entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>): Promise<ChainReport> {
  let expected = 1;
  let previousHash = GENESIS_HASH;
  let count = 0;
  for await (const entry of entries) {
    count += 1;
    if (entry._id !== expected) {
      const problem = entry._id > expected ? `entry ${expected} is missing (the next entry is ${entry._id})` : `entry ${entry._id} is out of place (expected ${expected})`;
      return { ok: false, entries: count, at: expected, problem };
    }
    if (entry.prevHash !== previousHash) {
      return { ok: false, entries: count, at: entry._id, problem: `entry ${entry._id} does not follow entry ${expected - 1} (removed, reordered or replaced)` };
    }
    const { hash, ...unsealed } = entry;
    if (entryHash(unsealed) !== hash) {
      return { ok: false, entries: count, at: entry._id, problem: `entry ${entry._id} was altered (its content does not match its hash)` };
    }
    previousHash = hash;
    expected += 1;
  }
  return { ok: true, entries: count, head: previousHash };
}
