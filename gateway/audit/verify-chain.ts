import { entryHash, GENESIS_HASH, LEGACY_SEGMENT, type StoredEntry } from './audit-entry.js';

/**
 * Walks the trail in `_id` order and says where it first breaks. Each segment (one writer's
 * chain, gateway/audit/audit-log.ts) must run from entry 1 with no gap, each entry linked to
 * the one before it, unaltered, its `_id` above its predecessor's. Entries written before
 * segments (no `segment`, no `seq`) are one chain of `_id`s 1..n. A chain alone cannot show
 * that a segment's newest entries, or a whole segment, were cut off: the signed checkpoints do
 * (head-checkpoints.ts).
 */

interface SegmentEnd {
  readonly seq: number;
  readonly hash: string;
  readonly lastId: number;
}

export type ChainReport =
  | { readonly ok: true; readonly entries: number; readonly segments: ReadonlyMap<string, SegmentEnd> }
  | { readonly ok: false; readonly entries: number; readonly at: number; readonly segment: string; readonly seq: number; readonly problem: string };

function named(segment: string, seq: number): string {
  return segment === LEGACY_SEGMENT ? `entry ${seq}` : `entry ${seq} of segment ${segment}`;
}

export async function verifyChain(entries: AsyncIterable<StoredEntry> | Iterable<StoredEntry>): Promise<ChainReport> {
  const segments = new Map<string, SegmentEnd>();
  let count = 0;
  for await (const entry of entries) {
    count += 1;
    const segment = entry.segment ?? LEGACY_SEGMENT;
    const seq = entry.segment === undefined ? entry._id : (entry.seq ?? 0);
    const broken = (problem: string) => ({ ok: false as const, entries: count, at: entry._id, segment, seq, problem });
    if (!Number.isSafeInteger(seq) || seq < 1) return broken(`the entry at _id ${entry._id} has no valid position in segment ${segment}`);
    const before = segments.get(segment) ?? { seq: 0, hash: GENESIS_HASH, lastId: Number.NEGATIVE_INFINITY };
    if (seq > before.seq + 1) return broken(`${named(segment, before.seq + 1)} is missing (the next is entry ${seq}, _id ${entry._id})`);
    if (seq <= before.seq) return broken(`${named(segment, seq)} is out of place (expected entry ${before.seq + 1})`);
    if (entry._id <= before.lastId) return broken(`${named(segment, seq)} is out of order: its _id ${entry._id} is not above entry ${before.seq}'s`);
    if (entry.prevHash !== before.hash) return broken(`${named(segment, seq)} does not follow entry ${before.seq} (removed, reordered or replaced)`);
    const { hash, ...unsealed } = entry;
    if (entryHash(unsealed) !== hash) return broken(`${named(segment, seq)} was altered (its content does not match its hash)`);
    segments.set(segment, { seq, hash, lastId: entry._id });
  }
  return { ok: true, entries: count, segments };
}
