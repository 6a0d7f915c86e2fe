import { createHash } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Principal } from '../../shield/roles.js';
import { canonicalJson } from './audit-entry.js';

/**
 * Idempotency keys for changes (`Idempotency-Key` header): a client that retries a change
 * after a timeout or a 503 gets the first outcome instead of making it twice (a second case
 * note, a second home visit). Keys live in the audit database, which every replica shares.
 *
 * A key belongs to one principal (the same key from someone else is another key) and one
 * change: the operation text, its name and its variables (a fingerprint). Claiming a key is a
 * unique `_id` insert: of two concurrent first uses, exactly one inserts and is forwarded
 * (FerretDB 1.x has no atomic `$inc` or isolated updates; a duplicate `_id` is always refused).
 *
 * States: `pending` (forwarded or about to be; `requestKey` links it to its `change-requested`
 * entry), `done` (the answer is kept and replayed), `made` (the reconciliation found the change
 * in its store but the answer was lost: a retry is told so, never forwarded). A key whose
 * change was certainly not made is released (deleted), so the retry goes ahead.
 *
 * Expiry: `expiresAt`, IDEMPOTENCY_KEY_TTL_HOURS after the claim. A TTL index removes expired
 * keys where the server supports it (MongoDB); FerretDB 1.x does not expire documents, so an
 * expired key is also treated as absent when read (and replaced) and pruned on a schedule.
 * The kept answer is what that principal was already shown (redacted for their role), and
 * only that principal can have it replayed.
 */

const IDEMPOTENCY_COLLECTION = 'idempotencyKeys';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Printable, long enough to be unique (a UUID is 36), short enough to index. */
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{16,128}$/;

type KeyState = 'pending' | 'done' | 'made';

export interface IdempotencyKeyDoc {
  /** sha256(role, sub, key): the key as the client sent it is never stored. */
  _id: string;
  fingerprint: string;
  state: KeyState;
  requestKey: string;
  claimedAt: Date;
  expiresAt: Date;
  /** For `done`: the response body as JSON. */
  response?: string;
  /** For `done`: the audit subjects of the answer (a replay is a read and goes on the trail). */
  subjects?: string;
}

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: string; readonly subjects: string }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'made-without-answer' }
  | { readonly kind: 'other-change' };

export class InvalidIdempotencyKeyError extends Error {}

/** The key from the request's header; undefined when none; throws when malformed. */
export function idempotencyKeyOf(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  if (!KEY_PATTERN.test(header)) throw new InvalidIdempotencyKeyError('Idempotency-Key must be 16 to 128 characters of A-Z a-z 0-9 _ . : - (a UUID will do)');
  return header;
}

export function changeFingerprint(source: string, operationName: string | undefined | null, variables: Record<string, unknown>): string {
  // Whitespace between tokens does not change what is asked.
  const text = source.replace(/\s+/g, ' ').trim();
  return createHash('sha256')
    .update(canonicalJson({ text, operationName: operationName ?? null, variables }))
    .digest('hex');
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

export function idempotencyKeys(db: Db): Collection<IdempotencyKeyDoc> {
  return db.collection<IdempotencyKeyDoc>(IDEMPOTENCY_COLLECTION);
}

export class IdempotencyKeys {
  readonly #keys: Collection<IdempotencyKeyDoc>;
  readonly #ttlMs: number;

  constructor(db: Db, options: { ttlHours: number }) {
    this.#keys = idempotencyKeys(db);
    this.#ttlMs = options.ttlHours * 3_600_000;
  }

  static idOf(principal: Principal, key: string): string {
    return createHash('sha256').update(`${principal.role}\n${principal.sub}\n${key}`).digest('hex');
  }

  /** The TTL index (MongoDB removes expired keys itself) and the `requestKey` index the reconciliation uses. */
  async ensureIndexes(): Promise<void> {
    await this.#keys.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).catch(() => undefined);
    await this.#keys.createIndex({ requestKey: 1 }).catch(() => undefined);
  }

  /** Claims the key for this change, or says what became of its first use. */
  async claim(id: string, fingerprint: string, requestKey: string, now: Date): Promise<Claim> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.#keys.insertOne({ _id: id, fingerprint, state: 'pending', requestKey, claimedAt: now, expiresAt: new Date(now.getTime() + this.#ttlMs) });
        return { kind: 'claimed' };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const found = await this.#keys.findOne({ _id: id });
      if (!found) continue;
      if (found.expiresAt.getTime() <= now.getTime()) {
        // Expired but not yet removed (FerretDB): gone for every purpose; the next insert decides who reuses it.
        await this.#keys.deleteOne({ _id: id, expiresAt: found.expiresAt });
        continue;
      }
      if (found.fingerprint !== fingerprint) return { kind: 'other-change' };
      if (found.state === 'done' && found.response !== undefined) return { kind: 'replay', response: found.response, subjects: found.subjects ?? '[]' };
      if (found.state === 'made') return { kind: 'made-without-answer' };
      return { kind: 'in-progress' };
    }
    return { kind: 'in-progress' };
  }

  /** Keeps the answer for replays. */
  async settle(id: string, requestKey: string, response: unknown, subjects: unknown): Promise<void> {
    await this.#keys.updateOne({ _id: id, requestKey }, { $set: { state: 'done', response: JSON.stringify(response), subjects: JSON.stringify(subjects) } });
  }

  /** The change certainly was not made (refused, or nothing forwarded): a retry may go ahead. */
  async release(id: string, requestKey: string): Promise<void> {
    await this.#keys.deleteOne({ _id: id, requestKey });
  }

  /** Pending keys claimed before `before`: the reconciliation settles them. */
  pendingBefore(before: Date): Promise<IdempotencyKeyDoc[]> {
    return this.#keys
      .find({ state: 'pending', claimedAt: { $lt: before } })
      .limit(500)
      .toArray();
  }

  async markMade(requestKey: string): Promise<void> {
    await this.#keys.updateMany({ requestKey, state: 'pending' }, { $set: { state: 'made' } });
  }

  async releaseByRequestKey(requestKey: string): Promise<void> {
    await this.#keys.deleteMany({ requestKey, state: 'pending' });
  }

  /** Removes expired keys (FerretDB 1.x has no TTL monitor). */
  async prune(now: Date): Promise<number> {
    const result = await this.#keys.deleteMany({ expiresAt: { $lte: now } });
    return result.deletedCount;
  }
}
