import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db, type WriteError } from 'mongodb';
import { GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord } from './audit-entry.js';
import { SegmentHeads } from './segment-heads.js';
import { entryId, ticksAt, WriterSlots } from './writer-slots.js';

/**
 * The append-only audit trail in MongoDB (collection `entries` of the audit database). Each
 * AuditLog (one per gateway process) writes its own hash chain, a segment: entry `seq` of
 * segment S carries the hash of entry `seq - 1` of S. The segments merge into one order by
 * `_id`, which comes from the writer's slot and its clock (writer-slots.ts), so replicas
 * sharing the trail never race for a position and never look a head up: a writer's head is
 * the one it cached, at any length of trail, on MongoDB and on FerretDB alike (where reading
 * the trail's end is a scan). The chosen alternative, one head document updated with a
 * compare-and-set, would still make every writer but one lose and retry under load.
 *
 * Within one process, appends queue up and go in one ordered insert, so a busy gateway writes
 * one batch per round trip. An append resolves with the entry's `_id` only once it is
 * acknowledged, journaled where the server supports it; it rejects at its deadline even if
 * still queued or in flight (an entry in flight may still land: the trail then records more
 * than the caller was told, never less). When the store is unreachable the whole queue fails
 * at once and, for a moment, new appends fail without trying: an outage must not make every
 * queued request wait out its own server-selection timeout. After a write whose outcome is
 * unknown (entries of it may have landed), the writer starts a new segment: continuing the old
 * one from a guessed head could fork it.
 */

export const AUDIT_COLLECTION = 'entries';
const MAX_BATCH = 200;
/** How long appends fail fast after the store was found unreachable; also the Retry-After given. */
export const AUDIT_RETRY_AFTER_SECONDS = 1;
/** Deadline of an append whose caller gives none. */
const DEFAULT_DEADLINE_MS = 5_000;
const MAX_OWED = 10_000;

export class AuditUnavailableError extends Error {
  /** What every door answers for it (platform/errors): 503 with Retry-After, even where nothing caught it. */
  readonly code = ErrorCode.AUDIT_UNAVAILABLE;
  readonly retryAfterSeconds = AUDIT_RETRY_AFTER_SECONDS;
  constructor(cause: unknown) {
    super('the audit trail could not be written', { cause });
    this.name = 'AuditUnavailableError';
  }
}

interface Pending {
  readonly record: AuditRecord;
  readonly deadline: number;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve(id: number): void;
  reject(error: Error): void;
}

function isDuplicateKey(error: unknown): boolean {
  return (error instanceof MongoServerError || error instanceof MongoBulkWriteError) && error.code === 11000;
}

/** How many of an ordered insert's documents went in before it was refused, if the error says so consistently. */
function insertedBefore(error: unknown): { count: number; failedAt: number } | undefined {
  if (!(error instanceof MongoBulkWriteError)) return error instanceof MongoServerError ? { count: 0, failedAt: 0 } : undefined;
  // concat, not Array.isArray: that narrows a readonly array to any[].
  const first = ([] as readonly WriteError[]).concat(error.writeErrors)[0];
  const failedAt = first?.index ?? 0;
  return error.insertedCount === failedAt ? { count: failedAt, failedAt } : undefined;
}

class UncertainWriteError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'UncertainWriteError';
  }
}

export function auditCollection(db: Db): Collection<AuditEntry> {
  return db.collection<AuditEntry>(AUDIT_COLLECTION);
}

export interface AppendOptions {
  /** Epoch ms after which the caller is told the trail is unavailable. */
  readonly deadline?: number;
}

/** What a writer did, for the replica measurements and tests. */
export interface AuditLogStats {
  batches: number;
  entries: number;
  /** Segments this writer started (one, plus one after each write of unknown outcome). */
  segments: number;
  /** Inserts refused because another writer had taken this writer's slot (it moved to another). */
  slotsLost: number;
}

export interface AuditLogOptions {
  deadlineMs?: number;
  /** The clock `_id`s are made from (tests freeze it). */
  now?: () => number;
}

export class AuditLog {
  readonly #entries: Collection<AuditEntry>;
  readonly #slots: WriterSlots;
  readonly #heads: SegmentHeads;
  readonly #now: () => number;
  readonly #queue: Pending[] = [];
  readonly #defaultDeadlineMs: number;
  #flushing = false;
  #downUntil = 0;
  readonly #owed: AuditRecord[] = [];
  #owedTimer: NodeJS.Timeout | undefined;
  #paying = false;
  #segment = randomUUID();
  /** This segment's newest acknowledged entry: the next one chains to it. */
  #head = { seq: 0, hash: GENESIS_HASH };
  /** The last `k` sealed (written or not): `_id`s of this writer only ever grow. */
  #lastK = 0;
  readonly stats: AuditLogStats = { batches: 0, entries: 0, segments: 1, slotsLost: 0 };

  constructor(db: Db, options: AuditLogOptions = {}) {
    this.#entries = auditCollection(db);
    this.#now = options.now ?? Date.now;
    this.#slots = new WriterSlots(db, randomUUID(), this.#now);
    this.#heads = new SegmentHeads(db);
    this.#defaultDeadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  }

  /** The segment this writer is writing now. */
  get segment(): string {
    return this.#segment;
  }

  /** Claims this writer's slot now rather than with the first append (a measurement's warm-up). */
  async open(): Promise<void> {
    await this.#slots.current();
  }

  /** Stops the slot's heartbeat and gives the slot back (a stopping gateway, after draining). */
  async close(): Promise<void> {
    await this.#heads.settled();
    await this.#slots.release().catch(() => undefined);
  }

  /** How long an append may wait; also the gateway's request deadline (REQUEST_DEADLINE_MS). */
  get deadlineMs(): number {
    return this.#defaultDeadlineMs;
  }

  /** Resolves with the entry's `_id` once it is acknowledged; rejects with AuditUnavailableError. */
  append(record: AuditRecord, options: AppendOptions = {}): Promise<number> {
    if (Date.now() < this.#downUntil) return Promise.reject(new AuditUnavailableError('the audit store was unreachable a moment ago'));
    return new Promise<number>((resolve, reject) => {
      const deadline = options.deadline ?? Date.now() + this.#defaultDeadlineMs;
      const pending: Pending = {
        record,
        deadline,
        settled: false,
        timer: undefined,
        resolve: (seq) => {
          if (pending.settled) return;
          pending.settled = true;
          clearTimeout(pending.timer);
          resolve(seq);
        },
        reject: (error) => {
          if (pending.settled) return;
          pending.settled = true;
          clearTimeout(pending.timer);
          reject(error);
        },
      };
      pending.timer = setTimeout(() => pending.reject(new AuditUnavailableError('deadline exceeded')), Math.max(0, deadline - Date.now()));
      this.#queue.push(pending);
      void this.#flush();
    });
  }

  /**
   * Appends a change's outcome entries. If the trail cannot take them now, they are kept and
   * retried until it can (the change was made, or certainly not: the DPO must see it), and the
   * caller is still told the trail is unavailable. A process that dies with outcomes owed
   * leaves `change-requested` entries without outcome: the reconciliation finds those.
   */
  async appendOutcome(records: readonly AuditRecord[], options: AppendOptions = {}): Promise<void> {
    try {
      await Promise.all(records.map((record) => this.append(record, options)));
    } catch (error) {
      this.#owe(records);
      throw error;
    }
  }

  /** Outcome entries waiting for the trail to come back. */
  get owed(): number {
    return this.#owed.length;
  }

  #owe(records: readonly AuditRecord[]): void {
    // Bounded: past this, the reconciliation (which reads the stores) is what recovers them.
    this.#owed.push(...records.slice(0, Math.max(0, MAX_OWED - this.#owed.length)));
    this.#owedTimer ??= setInterval(() => void this.#payOwed(), AUDIT_RETRY_AFTER_SECONDS * 1_000).unref();
  }

  async #payOwed(): Promise<void> {
    if (this.#paying || this.#owed.length === 0) return;
    this.#paying = true;
    const paying = this.#owed.splice(0);
    try {
      await Promise.all(paying.map((record) => this.append(record)));
    } catch {
      // Some went in, some not: a duplicate outcome is harmless (same requestId, same content), a missing one is not.
      this.#owed.unshift(...paying);
    } finally {
      this.#paying = false;
      if (this.#owed.length === 0 && this.#owedTimer) {
        clearInterval(this.#owedTimer);
        this.#owedTimer = undefined;
      }
    }
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      // Appends made in the same tick (a read and the alert it raises) go in one write: the
      // alert must not add a round trip a duty officer could time.
      await Promise.resolve();
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH).filter((pending) => !pending.settled);
        if (batch.length > 0) await this.#write(batch);
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    let remaining = batch;
    /** Whether an insert was sent whose outcome is not known (then this segment's head is not either). */
    let uncertain = false;
    try {
      while (remaining.length > 0) {
        // Entries whose callers gave up are not written: nobody waits for them, and a late
        // `change-requested` would only confuse the outcome reconciliation.
        remaining = remaining.filter((pending) => !pending.settled);
        if (remaining.length === 0) return;
        const slot = await this.#slots.current();
        const sealed = this.#seal(remaining, slot);
        try {
          uncertain = true;
          await this.#entries.insertMany(sealed, { ordered: true, writeConcern: { w: 'majority', j: true } });
          uncertain = false;
          this.#acknowledged(sealed, remaining);
          return;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const inserted = insertedBefore(error);
          if (!inserted) throw new UncertainWriteError('an insert was refused part-way, and the count of what went in is unclear');
          // Whose entry holds the position? Another writer's: this slot was taken over while this
          // writer was paused or cut off, so it moves to a new slot. Its own (a retried insert):
          // what went in is unknown.
          const conflicting = sealed[inserted.failedAt];
          const holder = conflicting ? await this.#entries.findOne({ _id: conflicting._id }, { projection: { segment: 1 } }) : null;
          if (!holder || holder.segment === this.#segment) throw new UncertainWriteError("an insert met this segment's own entry");
          uncertain = false;
          this.#acknowledged(sealed.slice(0, inserted.count), remaining.slice(0, inserted.count));
          this.stats.slotsLost += 1;
          this.#slots.lost(slot);
          remaining = remaining.slice(inserted.count);
        }
      }
    } catch (error) {
      // Unreachable, or an insert of unknown outcome: fail this batch and everything queued
      // behind it now. After an insert of unknown outcome, what comes next is chained in a new
      // segment (entries of this batch may have landed after the cached head).
      if (uncertain) {
        this.#segment = randomUUID();
        this.#head = { seq: 0, hash: GENESIS_HASH };
        this.stats.segments += 1;
      }
      this.#downUntil = Date.now() + AUDIT_RETRY_AFTER_SECONDS * 1_000;
      const failure = new AuditUnavailableError(error);
      for (const pending of [...remaining, ...this.#queue.splice(0)]) pending.reject(failure);
    }
  }

  /** The batch's entries, chained after this segment's head, with `_id`s of this slot above every `_id` this writer used. */
  #seal(batch: readonly Pending[], slot: number): AuditEntry[] {
    const clock = ticksAt(this.#now());
    let k = this.#lastK;
    let seq = this.#head.seq;
    let previous = this.#head.hash;
    const sealed = batch.map((pending) => {
      k = Math.max(k + 1, clock);
      seq += 1;
      const entry = sealEntry(pending.record, { _id: entryId(k, slot), segment: this.#segment, seq, prevHash: previous });
      previous = entry.hash;
      return entry;
    });
    this.#lastK = k;
    return sealed;
  }

  #acknowledged(sealed: readonly AuditEntry[], pendings: readonly Pending[]): void {
    const last = sealed.at(-1);
    if (!last) return;
    this.#head = { seq: last.seq, hash: last.hash };
    this.stats.batches += 1;
    this.stats.entries += sealed.length;
    pendings.forEach((pending, index) => pending.resolve(sealed[index]?._id ?? 0));
    this.#heads.publish({ segment: last.segment, seq: last.seq, hash: last.hash, lastId: last._id }, new Date(this.#now()));
  }
}
