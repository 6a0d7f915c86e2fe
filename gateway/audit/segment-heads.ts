import type { Collection, Db } from 'mongodb';

/**
 * Each segment's newest acknowledged entry, in `segments` (`{_id: segment, seq, hash, lastId,
 * at}`), for the signed checkpoints (head-checkpoints.ts). Only a segment's own writer
 * updates its document, after each acknowledged batch, so there is no contention; the writer
 * never reads it back (its head is the one it cached). A head here is at most behind the
 * trail (an update lost with the store), never ahead of it: a checkpoint of it is always
 * covered by entries that were acknowledged.
 */

const SEGMENTS_COLLECTION = 'segments';

export interface SegmentHead {
  readonly segment: string;
  readonly seq: number;
  readonly hash: string;
}

interface SegmentDoc {
  _id: string;
  seq: number;
  hash: string;
  lastId: number;
  at: Date;
}

function segmentsCollection(db: Db): Collection<SegmentDoc> {
  return db.collection<SegmentDoc>(SEGMENTS_COLLECTION);
}

/**
 * At most one head write per segment in this long: checkpoints come every minute or so, and
 * on FerretDB/SQLite every write takes the database's one write lock, so a head write after
 * every batch would double the writes the trail's own inserts wait behind.
 */
const PUBLISH_EVERY_MS = 250;

type Published = SegmentHead & { lastId: number; at: Date };

export class SegmentHeads {
  readonly #segments: Collection<SegmentDoc>;
  /** Per segment, the newest head not yet written (a newer one replaces it: only the newest matters). */
  readonly #next = new Map<string, Published>();
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastWrite = 0;

  constructor(db: Db) {
    this.#segments = segmentsCollection(db);
  }

  /**
   * Records the head without making the writer wait; best effort (a lost write only makes
   * checkpoints cover less). Writes go one at a time, so an older head never lands after a
   * newer one, and the newest is always written, at most PUBLISH_EVERY_MS later.
   */
  publish(head: SegmentHead & { lastId: number }, at: Date): void {
    this.#next.set(head.segment, { ...head, at });
    this.#schedule();
  }

  /** Writes the head held back now; resolves once every head published so far is written or given up. */
  async settled(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing || this.#next.size > 0) {
      if (this.#writing) await this.#writing;
      else this.#write();
    }
  }

  #schedule(): void {
    if (this.#writing || this.#timer) return;
    const wait = this.#lastWrite + PUBLISH_EVERY_MS - Date.now();
    if (wait <= 0) this.#write();
    else
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait).unref();
  }

  #write(): void {
    const [head] = this.#next.values();
    if (!head) return;
    this.#next.delete(head.segment);
    this.#lastWrite = Date.now();
    this.#writing = this.#segments
      .updateOne({ _id: head.segment }, { $set: { seq: head.seq, hash: head.hash, lastId: head.lastId, at: head.at } }, { upsert: true })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.#writing = undefined;
        if (this.#next.size > 0) this.#schedule();
      });
  }

  /** The heads of segments that moved at or after `since` (every segment without it). */
  static async read(db: Db, since?: Date): Promise<SegmentHead[]> {
    const found = await segmentsCollection(db)
      .find(since ? { at: { $gte: since } } : {}, { projection: { seq: 1, hash: 1 } })
      .toArray();
    return found
      .map((doc) => ({ segment: doc._id, seq: doc.seq, hash: doc.hash }))
      .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  }
}
