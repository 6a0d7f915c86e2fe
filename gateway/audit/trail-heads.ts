import type { Collection, Db } from 'mongodb';

/**
 * Where writers find the trail's head without reading the trail. Finding the newest entry of
 * `entries` costs a scan of the whole trail on some servers (FerretDB 1.x: 0.7 s at 1,000
 * entries and growing, the same for a lookup by `_id`), which starved a second gateway
 * replica. So each writer, after its insert of entries n..m is acknowledged, publishes
 * `{_id: m, hash}` here, and old heads are pruned: the collection stays a few hundred small
 * documents whatever the trail's length, so the look-up costs the same at 1,000 and 1,000,000
 * entries.
 *
 * A published head is a hint, never trusted for correctness: the insert of entry n+1 into
 * `entries` is what decides (a unique `_id`). A head is missing only while its writer is
 * between insert and publish, or if it crashed there; when the newest published head is below
 * a position known to be taken and has not moved for STALE_MS, the writer reads the trail
 * itself once (the slow path) and publishes what it found, so a crashed writer costs one slow
 * read, not a stuck trail.
 */

export const HEADS_COLLECTION = 'heads';
const KEEP = 256;
const PRUNE_EVERY = 64;
/**
 * How long a published head may stay below a taken position before the trail is read: the
 * expensive path (on FerretDB 1.x any read of the trail scans it, about 1 s at 20,000
 * entries), for a writer that died, or lost its connection, between insert and publish (an
 * audit store outage leaves exactly that). A fixed 2 s made every such recovery wait 2 s; a
 * head published late under load must not trigger it either. So: 8× the slowest publish gaps
 * seen lately, within 0.4–5 s.
 */
const STALE_MIN_MS = 400;
const STALE_MAX_MS = 5_000;

export interface Head {
  readonly seq: number;
  readonly hash: string;
}

interface HeadDoc {
  _id: number;
  hash: string;
}

export class TrailHeads {
  readonly #heads: Collection<HeadDoc>;
  #published = 0;
  /** The longest a published head was seen waiting to move, decayed: what "stale" means here. */
  #typicalGapMs = STALE_MIN_MS / 8;

  constructor(db: Db) {
    this.#heads = db.collection<HeadDoc>(HEADS_COLLECTION);
  }

  /** The newest published head, without waiting (for checkpoints: a published head is an acknowledged entry's). */
  async newest(): Promise<Head | undefined> {
    const newest = await this.#heads.find({}, { sort: { _id: -1 }, limit: 1 }).next();
    return newest ? { seq: newest._id, hash: newest.hash } : undefined;
  }

  async publish(head: Head): Promise<void> {
    if (head.seq === 0) return;
    try {
      await this.#heads.insertOne({ _id: head.seq, hash: head.hash });
    } catch (error) {
      // Someone published the same head (the slow path races a writer): the same entry, the same hash.
      if ((error as { code?: unknown }).code !== 11000) throw error;
    }
    this.#published += 1;
    if (this.#published % PRUNE_EVERY === 0) await this.#heads.deleteMany({ _id: { $lt: head.seq - KEEP } });
  }

  /**
   * The newest head as published. After a lost race at `taken` (a position known to be
   * written), a published head below it is stale: wait for its writer (or a later one) to
   * publish; read the trail itself only if the published head stops moving for STALE_MS.
   */
  async locate(readTrail: () => Promise<Head>, taken = 0): Promise<Head> {
    let last: { seq: number; since: number } | undefined;
    for (let wait = 1; ; wait = Math.min(wait * 2, 16)) {
      const newest = await this.#heads.find({}, { sort: { _id: -1 }, limit: 1 }).next();
      if (!newest) break;
      const now = Date.now();
      if (newest._id >= taken) {
        if (last) this.#typicalGapMs = Math.max(this.#typicalGapMs * 0.9, now - last.since);
        return { seq: newest._id, hash: newest.hash };
      }
      // Below a position known to be written, and not moving: its writer died between insert and publish.
      const staleMs = Math.min(STALE_MAX_MS, Math.max(STALE_MIN_MS, this.#typicalGapMs * 8));
      if (last?.seq !== newest._id) last = { seq: newest._id, since: now };
      else if (now - last.since >= staleMs) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const head = await readTrail();
    await this.publish(head).catch(() => undefined);
    return head;
  }
}
