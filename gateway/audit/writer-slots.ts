import type { Collection, Db } from 'mongodb';

/**
 * How writers that share one trail (gateway replicas) get `_id`s that never collide, without
 * racing each other for positions: each writer claims a slot for its life, and its entries'
 * `_id`s are `k * SLOTS + slot`, where `k` is strictly increasing per writer and never below
 * the clock's tick count since EPOCH. So:
 * - two live writers never want the same `_id` (different slots), so nobody retries, and a
 *   writer's own head is always the one it cached (no look-up, whatever the trail's length,
 *   on MongoDB and on FerretDB, where any sort of the trail is a scan);
 * - `_id` order is still one global order, close to time order across writers (to the
 *   clock), so every reader that pages or sorts by `_id` (the DPO's search, the right of
 *   access, the reconciliation's watermark) keeps working unchanged;
 * - `_id`s stay below 2^53 until about 2059 (EPOCH 2025, 64 ticks per ms, 128 slots), and a
 *   writer may write 64 entries a millisecond before it runs ahead of its clock (harmless:
 *   `k` only has to increase).
 *
 * The slot claim is a unique `_id` insert of `{_id: slot, writer, heartbeatAt}` in `slots`
 * (the compare-and-set FerretDB 1.x honours: no transactions there). The owner refreshes
 * `heartbeatAt` every HEARTBEAT_MS; a slot not refreshed for STALE_MS belongs to a writer
 * that died (or is cut off) and may be taken over: delete its document by its exact content
 * (so two claimants cannot both delete and both insert), then insert. A writer whose
 * heartbeat finds its document gone, or replaced, claims another slot; one that has not
 * confirmed its slot for CONFIRM_MS (paused, or the store was away) checks before writing.
 * Should a paused writer still meet a duplicate `_id` (its slot taken meanwhile), the insert
 * is refused, it never overwrites: the writer claims a new slot and writes there.
 */

export const SLOTS_COLLECTION = 'slots';
export const SLOTS = 128;
const TICKS_PER_MS = 64;
export const EPOCH_MS = Date.UTC(2025, 0, 1);
/** A slot whose heartbeat is older than this may be taken over. */
export const SLOT_STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
/** Older than this, the slot is confirmed (one round trip) before the next write. */
const CONFIRM_MS = SLOT_STALE_MS / 2;
const CLAIM_ATTEMPTS = 8;

interface SlotDoc {
  _id: number;
  writer: string;
  heartbeatAt: Date;
}

/** The lowest `k` a writer may use at `ms` (epoch ms): the tick count since EPOCH. */
export function ticksAt(ms: number): number {
  return Math.max(0, Math.floor((ms - EPOCH_MS) * TICKS_PER_MS));
}

/** The lowest `_id` any writer sealing at `ms` or later can give (every slot's `k` is at least the tick count). */
export function firstIdAt(ms: number): number {
  return ticksAt(ms) * SLOTS;
}

export function entryId(k: number, slot: number): number {
  return k * SLOTS + slot;
}

class NoFreeSlotError extends Error {
  constructor() {
    super(`all ${SLOTS} audit writer slots are held by live writers`);
    this.name = 'NoFreeSlotError';
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown }).code === 11000;
}

function shuffled(values: number[]): number[] {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [values[i], values[j]] = [values[j] as number, values[i] as number];
  }
  return values;
}

export interface SlotStats {
  claims: number;
  takeovers: number;
  /** Times this writer found its slot taken (its heartbeat or an insert said so). */
  lost: number;
}

export class WriterSlots {
  readonly #slots: Collection<SlotDoc>;
  readonly #writer: string;
  readonly #now: () => number;
  #slot: number | undefined;
  #confirmedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly stats: SlotStats = { claims: 0, takeovers: 0, lost: 0 };

  constructor(db: Db, writer: string, now: () => number = Date.now) {
    this.#slots = db.collection<SlotDoc>(SLOTS_COLLECTION);
    this.#writer = writer;
    this.#now = now;
  }

  /** The slot to write in now: the one held (confirmed if it has not been lately), or a new one. */
  async current(): Promise<number> {
    if (this.#slot !== undefined && this.#now() - this.#confirmedAt < CONFIRM_MS) return this.#slot;
    if (this.#slot !== undefined && (await this.#heartbeat())) return this.#slot;
    return this.#claim();
  }

  /** An insert met a duplicate `_id`: another writer holds this slot now. */
  lost(slot: number): void {
    if (this.#slot !== slot) return;
    this.stats.lost += 1;
    this.#slot = undefined;
  }

  /** Gives the slot back (a stopping gateway), so it need not go stale first. */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const slot = this.#slot;
    this.#slot = undefined;
    if (slot !== undefined) await this.#slots.deleteOne({ _id: slot, writer: this.#writer });
  }

  async #claim(): Promise<number> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
      const now = this.#now();
      // At most SLOTS small documents: cheap to read whole, on any server.
      const held = await this.#slots.find({}).toArray();
      const taken = new Set(held.map((doc) => doc._id));
      const free = shuffled(Array.from({ length: SLOTS }, (_, slot) => slot).filter((slot) => !taken.has(slot)));
      const stale = shuffled(held.filter((doc) => now - doc.heartbeatAt.getTime() > SLOT_STALE_MS).map((doc) => doc._id));
      const heldDocs = new Map(held.map((doc) => [doc._id, doc]));
      // A stale slot is taken over only when none is free. A few tries, then a fresh read: others are claiming too.
      for (const slot of (free.length > 0 ? free : stale).slice(0, 3)) {
        const previous = taken.has(slot) ? heldDocs.get(slot) : undefined;
        if (previous) {
          // Exactly the stale document: if its owner came back meanwhile, or another claimant got there, nothing is deleted.
          const removed = await this.#slots.deleteOne({ _id: slot, writer: previous.writer, heartbeatAt: previous.heartbeatAt });
          if (removed.deletedCount !== 1) continue;
        }
        try {
          await this.#slots.insertOne({ _id: slot, writer: this.#writer, heartbeatAt: new Date(now) });
        } catch (error) {
          if (isDuplicateKey(error)) continue;
          throw error;
        }
        this.stats.claims += 1;
        if (previous) this.stats.takeovers += 1;
        this.#slot = slot;
        this.#confirmedAt = now;
        this.#timer ??= setInterval(() => void this.#heartbeat().catch(() => undefined), HEARTBEAT_MS).unref();
        return slot;
      }
      if (free.length === 0 && stale.length === 0) throw new NoFreeSlotError();
    }
    throw new NoFreeSlotError();
  }

  /** Refreshes the held slot; false if another writer holds it now. Throws if the store cannot be reached. */
  async #heartbeat(): Promise<boolean> {
    const slot = this.#slot;
    if (slot === undefined) return false;
    const now = this.#now();
    const result = await this.#slots.updateOne({ _id: slot, writer: this.#writer }, { $set: { heartbeatAt: new Date(now) } });
    if (result.matchedCount === 1) {
      this.#confirmedAt = Math.max(this.#confirmedAt, now);
      return true;
    }
    this.lost(slot);
    return false;
  }
}
