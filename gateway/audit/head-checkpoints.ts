import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';

/**
 * Signed checkpoints of the trail's head, so cutting entries off the end is detectable: the
 * hash chain shows an edit or a gap anywhere before the end, never that the end is missing.
 * Every AUDIT_CHECKPOINT_INTERVAL_MS the gateway appends `{seq, hash, at, mac}` (HMAC-SHA256
 * with AUDIT_CHECKPOINT_SECRET) as one JSON line to AUDIT_CHECKPOINT_FILE, a file the operator
 * makes append-only for the gateway (`chattr +a`, or a log shipper's spool), and prints it in
 * the logs, which leave the machine. Someone who can rewrite the audit database cannot forge
 * a checkpoint without the secret, and cannot remove the ones already shipped.
 * `npm run audit:verify` then checks the trail still reaches the newest checkpoint, with the
 * same hash there.
 */

export interface Checkpoint {
  readonly seq: number;
  readonly hash: string;
  /** ISO 8601. */
  readonly at: string;
  readonly mac: string;
}

function macOf(secret: string, seq: number, hash: string, at: string): string {
  return createHmac('sha256', secret).update(`needtoknow-audit-checkpoint\n${seq}\n${hash}\n${at}`).digest('hex');
}

export function signCheckpoint(secret: string, head: { seq: number; hash: string }, at: Date): Checkpoint {
  const when = at.toISOString();
  return { seq: head.seq, hash: head.hash, at: when, mac: macOf(secret, head.seq, head.hash, when) };
}

export function checkpointIsGenuine(secret: string, checkpoint: Checkpoint): boolean {
  const expected = Buffer.from(macOf(secret, checkpoint.seq, checkpoint.hash, checkpoint.at), 'hex');
  const given = Buffer.from(checkpoint.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function appendCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { flag: 'a', mode: 0o640 });
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
      const value = JSON.parse(line) as Partial<Checkpoint>;
      if (typeof value.seq === 'number' && typeof value.hash === 'string' && typeof value.at === 'string' && typeof value.mac === 'string') {
        checkpoints.push({ seq: value.seq, hash: value.hash, at: value.at, mac: value.mac });
        return;
      }
    } catch {
      // reported below
    }
    malformed.push(index + 1);
  });
  return { checkpoints, malformed };
}

export type CheckpointReport =
  | { readonly ok: true; readonly checkpoint: Checkpoint | undefined }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether the trail (its entries' hashes by position) still reaches the newest genuine
 * checkpoint. A checkpoint with a wrong MAC is itself a finding (forged or damaged).
 */
export function checkTrailAgainstCheckpoints(secret: string, checkpoints: readonly Checkpoint[], trailLength: number, hashAt: (seq: number) => string | undefined): CheckpointReport {
  const forged = checkpoints.filter((checkpoint) => !checkpointIsGenuine(secret, checkpoint));
  if (forged.length > 0) return { ok: false, problem: `${forged.length} checkpoint(s) do not carry a valid signature (first: seq ${forged[0]?.seq} at ${forged[0]?.at})` };
  const newest = [...checkpoints].sort((a, b) => b.seq - a.seq)[0];
  if (!newest) return { ok: true, checkpoint: undefined };
  if (trailLength < newest.seq) {
    return { ok: false, problem: `entries cut off the end: the last checkpoint (seq ${newest.seq}, ${newest.at}) is past the trail's end (entry ${trailLength})` };
  }
  for (const checkpoint of checkpoints) {
    if (hashAt(checkpoint.seq) !== checkpoint.hash) {
      return { ok: false, problem: `entry ${checkpoint.seq} does not match the checkpoint of ${checkpoint.at}: the trail was rewritten from there` };
    }
  }
  return { ok: true, checkpoint: newest };
}
