import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { LEGACY_SEGMENT } from './audit-entry.js';
import type { SegmentHead } from './segment-heads.js';

/**
 * Signed checkpoints of the trail's heads, so cutting entries off the end is detectable: the
 * hash chains show an edit or a gap anywhere before a segment's end, never that its end is
 * missing. Every AUDIT_CHECKPOINT_INTERVAL_MS the gateway appends `{at, heads, mac}` — the
 * head (seq and hash) of each segment that moved lately (every segment in a process's first
 * checkpoint), HMAC-SHA256 with AUDIT_CHECKPOINT_SECRET — as one JSON line to
 * AUDIT_CHECKPOINT_FILE, a file the operator makes append-only for the gateway (`chattr +a`,
 * or a log shipper's spool), and prints it in the logs, which leave the machine. Someone who
 * can rewrite the audit database cannot forge a checkpoint without the secret, and cannot
 * remove the ones already shipped. `npm run audit:verify` then checks that every checkpointed
 * segment is still there, still reaches its checkpointed entry, with the same hash there.
 * Lines of the earlier format (`{seq, hash, at, mac}`, one chain) still verify, as
 * checkpoints of the entries written before segments.
 */

export interface Checkpoint {
  /** ISO 8601. */
  readonly at: string;
  readonly heads: readonly SegmentHead[];
  readonly mac: string;
  /** A line of the earlier, one-chain format. */
  readonly legacy?: true;
}

function bySegment(a: SegmentHead, b: SegmentHead): number {
  return a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0;
}

function macOf(secret: string, at: string, heads: readonly SegmentHead[]): string {
  const lines = [...heads].sort(bySegment).map((head) => `${head.segment} ${head.seq} ${head.hash}`);
  return createHmac('sha256', secret)
    .update(`needtoknow-audit-checkpoint-2\n${at}\n${lines.join('\n')}`)
    .digest('hex');
}

function legacyMacOf(secret: string, seq: number, hash: string, at: string): string {
  return createHmac('sha256', secret).update(`needtoknow-audit-checkpoint\n${seq}\n${hash}\n${at}`).digest('hex');
}

export function signCheckpoint(secret: string, heads: readonly SegmentHead[], at: Date): Checkpoint {
  const when = at.toISOString();
  const sorted = [...heads].sort(bySegment);
  return { at: when, heads: sorted, mac: macOf(secret, when, sorted) };
}

export function checkpointIsGenuine(secret: string, checkpoint: Checkpoint): boolean {
  const head = checkpoint.heads[0];
  const mac = checkpoint.legacy && head ? legacyMacOf(secret, head.seq, head.hash, checkpoint.at) : macOf(secret, checkpoint.at, checkpoint.heads);
  const expected = Buffer.from(mac, 'hex');
  const given = Buffer.from(checkpoint.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function appendCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { flag: 'a', mode: 0o640 });
}

function isHead(value: unknown): value is SegmentHead {
  const head = value as Partial<SegmentHead> | null;
  return typeof head?.segment === 'string' && typeof head.seq === 'number' && typeof head.hash === 'string';
}

/** Every line of the file; a line that is not a checkpoint is reported, not skipped. */
export async function readCheckpoints(file: string): Promise<{ checkpoints: Checkpoint[]; malformed: number[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { checkpoints: [], malformed: [] };
    throw error;
  }
  const checkpoints: Checkpoint[] = [];
  const malformed: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as { at?: unknown; mac?: unknown; heads?: unknown; seq?: unknown; hash?: unknown };
      if (typeof value.at === 'string' && typeof value.mac === 'string') {
        if (Array.isArray(value.heads) && value.heads.every(isHead)) {
          checkpoints.push({ at: value.at, heads: value.heads, mac: value.mac });
          return;
        }
        if (typeof value.seq === 'number' && typeof value.hash === 'string') {
          checkpoints.push({ at: value.at, heads: [{ segment: LEGACY_SEGMENT, seq: value.seq, hash: value.hash }], mac: value.mac, legacy: true });
          return;
        }
      }
    } catch {
      // reported below
    }
    malformed.push(index + 1);
  });
  return { checkpoints, malformed };
}

export type CheckpointReport = { readonly ok: true; readonly checkpoint: Checkpoint | undefined } | { readonly ok: false; readonly problem: string };

/** What verification found of the trail: each segment's last seq, and an entry's hash by segment and seq. */
export interface TrailSeen {
  readonly lastSeq: (segment: string) => number | undefined;
  readonly hashAt: (segment: string, seq: number) => string | undefined;
}

/**
 * Whether every segment still reaches every genuine checkpoint of it, with the same hash
 * there. The newest checkpoint showing a problem is the one named. A checkpoint with a wrong
 * MAC is itself a finding (forged or damaged).
 */
export function checkTrailAgainstCheckpoints(secret: string, checkpoints: readonly Checkpoint[], trail: TrailSeen): CheckpointReport {
  const forged = checkpoints.filter((checkpoint) => !checkpointIsGenuine(secret, checkpoint));
  if (forged.length > 0) return { ok: false, problem: `${forged.length} checkpoint(s) do not carry a valid signature (first: ${forged[0]?.at})` };
  const newestFirst = [...checkpoints].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  for (const checkpoint of newestFirst) {
    for (const head of checkpoint.heads) {
      const last = trail.lastSeq(head.segment);
      if (last === undefined) {
        return { ok: false, problem: `segment ${head.segment} is gone: the last checkpoint of it (${checkpoint.at}) has it at entry ${head.seq}` };
      }
      if (last < head.seq) {
        return {
          ok: false,
          problem: `entries cut off the end of segment ${head.segment}: the last checkpoint of it (${checkpoint.at}) has it at entry ${head.seq}, the trail ends at entry ${last}`,
        };
      }
      if (trail.hashAt(head.segment, head.seq) !== head.hash) {
        return {
          ok: false,
          problem: `entry ${head.seq} of segment ${head.segment} does not match the checkpoint of ${checkpoint.at}: the segment was rewritten from there`,
        };
      }
    }
  }
  return { ok: true, checkpoint: newestFirst[0] };
}
