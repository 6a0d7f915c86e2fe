import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';
import { GENESIS_HASH, sealEntry, type AuditEntry, type AuditRecord } from './audit-entry.js';

/**
 * The append-only audit trail in MongoDB (collection `entries` of the audit database). Entry
 * n has `_id` n, so two writers (two gateway replicas) can never both write entry n: the
 * loser's insert fails on the duplicate key and it re-reads the head and tries again. Within
 * one process, appends queue up and go in one ordered insert, so a busy gateway writes one
 * batch per round trip instead of racing itself, and the head it last wrote is kept, so the
 * common case costs no read (some servers, FerretDB among them, scan the whole trail to find
 * its newest entry). An append resolves only once the entries are acknowledged, journaled
 * where the server supports it.
 */

export const AUDIT_COLLECTION = 'entries';
const MAX_BATCH = 200;
const MAX_ATTEMPTS = 25;

export class AuditUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the audit trail could not be written', { cause });
    this.name = 'AuditUnavailableError';
  }
}

interface Pending {
  readonly record: AuditRecord;
  resolve(): void;
  reject(error: Error): void;
}

function isDuplicateKey(error: unknown): boolean {
  return (error instanceof MongoServerError || error instanceof MongoBulkWriteError) && error.code === 11000;
}

export function auditCollection(db: Db): Collection<AuditEntry> {
  return db.collection<AuditEntry>(AUDIT_COLLECTION);
}

export class AuditLog {
  readonly #entries: Collection<AuditEntry>;
  readonly #queue: Pending[] = [];
  #flushing = false;
  /** The newest entry this process knows of; re-read when another writer got there first. */
  #head: { seq: number; hash: string } | undefined;

  constructor(db: Db) {
    this.#entries = auditCollection(db);
  }

  append(record: AuditRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      // Appends made in the same tick (a read and the alert it raises) go in one write: the
      // alert must not add a round trip a duty officer could time.
      await Promise.resolve();
      while (this.#queue.length > 0) await this.#write(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#flushing = false;
    }
  }

  async #readHead(): Promise<{ seq: number; hash: string }> {
    const head = await this.#entries.find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1, hash: 1 } }).next();
    return { seq: head?._id ?? 0, hash: head?.hash ?? GENESIS_HASH };
  }

  async #write(batch: Pending[]): Promise<void> {
    let remaining = batch;
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt += 1) {
        const head = this.#head ?? (await this.#readHead());
        let seq = head.seq;
        let previous = head.hash;
        const sealed = remaining.map((pending) => {
          seq += 1;
          const entry = sealEntry(pending.record, seq, previous);
          previous = entry.hash;
          return entry;
        });
        try {
          await this.#entries.insertMany(sealed, { ordered: true, writeConcern: { w: 'majority', j: true } });
          this.#head = { seq, hash: previous };
          for (const pending of remaining) pending.resolve();
          return;
        } catch (error) {
          this.#head = undefined;
          if (!isDuplicateKey(error)) throw error;
          // Another writer took a position first: what went in is done, the rest goes after its entries.
          const written = error instanceof MongoBulkWriteError ? error.insertedCount : 0;
          for (const pending of remaining.slice(0, written)) pending.resolve();
          remaining = remaining.slice(written);
        }
      }
      if (remaining.length > 0) throw new Error('too much contention on the audit trail');
    } catch (error) {
      const failure = new AuditUnavailableError(error);
      for (const pending of remaining) pending.reject(failure);
    }
  }
}
