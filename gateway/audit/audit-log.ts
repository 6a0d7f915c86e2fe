import { randomUUID } from 'node:crypto';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';
import { GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord } from './audit-entry.js';
import { TrailHeads, type Head } from './trail-heads.js';

/**
 * The append-only audit trail in MongoDB (collection `entries` of the audit database). Entry
 * n has `_id` n, so two writers (two gateway replicas) can never both write entry n: the
 * unique-`_id` insert is the compare-and-set (FerretDB 1.x has no transactions and no atomic
 * `$inc` under concurrency, but a duplicate `_id` is always refused). The loser finds the new
 * head in `trail-heads.ts` (a small collection, so the cost does not grow with the trail) and
 * tries again, until the deadline of the request waiting for it.
 *
 * Within one process, appends queue up and go in one ordered insert, so a busy gateway writes
 * one batch per round trip instead of racing itself. An append resolves only once its entry
 * is acknowledged, journaled where the server supports it; it rejects at its deadline even if
 * still queued or in flight (an entry in flight may still land: the trail then records more
 * than the caller was told, never less). When the store is unreachable the whole queue fails
 * at once and, for a moment, new appends fail without trying: an outage must not make every
 * queued request wait out its own server-selection timeout.
 */

export const AUDIT_COLLECTION = 'entries';
const MAX_BATCH = 200;
/** How long appends fail fast after the store was found unreachable; also the Retry-After given. */
export const AUDIT_RETRY_AFTER_SECONDS = 1;
/** Deadline of an append whose caller gives none. */
const DEFAULT_DEADLINE_MS = 5_000;
const MAX_OWED = 10_000;
/** How long after a lost race this writer behaves as one of several (the hand-over pause). */
const CONTENTION_MEMORY_MS = 5_000;
const HANDOVER_MAX_MS = 250;
const CONTENTION_POLL_MS = 250;
export const CONTENDERS_COLLECTION = 'contenders';

export class AuditUnavailableError extends Error {
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
  resolve(seq: number): void;
  reject(error: Error): void;
}

function isDuplicateKey(error: unknown): boolean {
  return (error instanceof MongoServerError || error instanceof MongoBulkWriteError) && error.code === 11000;
}

export function auditCollection(db: Db): Collection<AuditEntry> {
  return db.collection<AuditEntry>(AUDIT_COLLECTION);
}

export interface AppendOptions {
  /** Epoch ms after which the caller is told the trail is unavailable. */
  readonly deadline?: number;
}

/** What a writer saw of the shared trail, for the replica measurements and tests. */
export interface AuditLogStats {
  batches: number;
  entries: number;
  /** Inserts refused because another writer had taken the position. */
  lostRaces: number;
  /** Head look-ups that had to read the trail itself (the published heads were behind). */
  slowLookups: number;
}

export class AuditLog {
  readonly #entries: Collection<AuditEntry>;
  readonly #heads: TrailHeads;
  readonly #queue: Pending[] = [];
  readonly #defaultDeadlineMs: number;
  #flushing = false;
  #downUntil = 0;
  readonly #owed: AuditRecord[] = [];
  #owedTimer: NodeJS.Timeout | undefined;
  #paying = false;
  /** The newest entry this process knows of; looked up again when another writer got there first. */
  #head: Head | undefined;
  /** When this writer last lost a race: another writer is active (gateway replicas share the trail). */
  #lastLostRace = 0;
  /** The last insert's round trip, the hand-over pause under contention. */
  #lastInsertMs = 0;
  readonly #contenders: Collection<{ _id: string; lostAt: Date }>;
  readonly #writerId = randomUUID();
  #announced = 0;
  #watched = 0;
  readonly stats: AuditLogStats = { batches: 0, entries: 0, lostRaces: 0, slowLookups: 0 };

  constructor(db: Db, options: { deadlineMs?: number } = {}) {
    this.#entries = auditCollection(db);
    this.#heads = new TrailHeads(db);
    this.#contenders = db.collection<{ _id: string; lostAt: Date }>(CONTENDERS_COLLECTION);
    this.#defaultDeadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  }

  /** The newest head any writer published (for signed checkpoints). */
  newestHead(): Promise<Head | undefined> {
    return this.#heads.newest();
  }

  /** How long an append may wait; also the gateway's request deadline (REQUEST_DEADLINE_MS). */
  get deadlineMs(): number {
    return this.#defaultDeadlineMs;
  }

  /** Resolves with the entry's position once it is acknowledged; rejects with AuditUnavailableError. */
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
        // Hand-over: a writer that just won, with more queued, would win again at once with its
        // cached head while another replica is still looking the head up, and that replica
        // would starve (p99 of seconds). When another writer was seen lately, pause about one
        // round trip (jittered) so its pending insert lands first; alone, never.
        this.#watchContention();
        if (this.#queue.length > 0 && Date.now() - this.#lastLostRace < CONTENTION_MEMORY_MS) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(HANDOVER_MAX_MS, this.#lastInsertMs * (1 + Math.random()))));
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    let remaining = batch;
    /** A position another writer is known to have taken (after a lost race). */
    let taken = 0;
    try {
      while (remaining.length > 0) {
        // Entries whose callers gave up are not written: nobody waits for them, and a late
        // `change-requested` would only confuse the outcome reconciliation.
        remaining = remaining.filter((pending) => !pending.settled);
        if (remaining.length === 0) return;
        const head = this.#head ?? (await this.#locateHead(taken));
        let seq = head.seq;
        let previous = head.hash;
        const sealed = remaining.map((pending) => {
          seq += 1;
          const entry = sealEntry(pending.record, seq, previous);
          previous = entry.hash;
          return entry;
        });
        const started = Date.now();
        try {
          await this.#entries.insertMany(sealed, { ordered: true, writeConcern: { w: 'majority', j: true } });
          this.#lastInsertMs = Date.now() - started;
          this.#head = { seq, hash: previous };
          this.stats.batches += 1;
          this.stats.entries += sealed.length;
          remaining.forEach((pending, index) => pending.resolve(head.seq + index + 1));
          // Others find the head here; a failure only makes their look-up slower, never wrong.
          await this.#heads.publish(this.#head).catch(() => undefined);
          return;
        } catch (error) {
          this.#head = undefined;
          if (!isDuplicateKey(error)) throw error;
          this.stats.lostRaces += 1;
          this.#lastLostRace = Date.now();
          this.#announceContention();
          // Another writer took a position first: what went in is done, the rest goes after its entries.
          const written = error instanceof MongoBulkWriteError ? error.insertedCount : 0;
          remaining.slice(0, written).forEach((pending, index) => pending.resolve(head.seq + index + 1));
          // What did go in is a head too: unpublished, every other writer would wait for it until
          // it looked stale and then read the whole trail (seconds at 20,000 entries on FerretDB).
          const lastWritten = sealed[written - 1];
          if (lastWritten) await this.#heads.publish({ seq: lastWritten._id, hash: lastWritten.hash }).catch(() => undefined);
          remaining = remaining.slice(written);
          taken = head.seq + written + 1;
        }
      }
    } catch (error) {
      // Unreachable (not a lost race): fail this batch and everything queued behind it now.
      this.#downUntil = Date.now() + AUDIT_RETRY_AFTER_SECONDS * 1_000;
      const failure = new AuditUnavailableError(error);
      for (const pending of [...remaining, ...this.#queue.splice(0)]) pending.reject(failure);
    }
  }

  /**
   * A writer that keeps winning never loses a race, so it cannot see that another is starving:
   * the loser says so in the small `contenders` collection (at most every CONTENTION_POLL_MS),
   * and writers look there as often. Best effort: failures only cost fairness.
   */
  #announceContention(): void {
    const now = Date.now();
    if (now - this.#announced < CONTENTION_POLL_MS) return;
    this.#announced = now;
    void this.#contenders.updateOne({ _id: this.#writerId }, { $set: { lostAt: new Date(now) } }, { upsert: true }).catch(() => undefined);
  }

  #watchContention(): void {
    const now = Date.now();
    if (now - this.#watched < CONTENTION_POLL_MS) return;
    this.#watched = now;
    void this.#contenders
      .findOne({ _id: { $ne: this.#writerId }, lostAt: { $gt: new Date(now - CONTENTION_MEMORY_MS) } })
      .then((other) => {
        if (other) this.#lastLostRace = Math.max(this.#lastLostRace, other.lostAt.getTime());
      })
      .catch(() => undefined);
  }

  async #locateHead(taken: number): Promise<Head> {
    const found = await this.#heads.locate(async () => {
      this.stats.slowLookups += 1;
      const newest = await this.#entries.find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1, hash: 1 } }).next();
      return { seq: newest?._id ?? 0, hash: newest?.hash ?? GENESIS_HASH };
    }, taken);
    return found;
  }
}
