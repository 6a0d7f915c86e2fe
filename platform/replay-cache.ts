/**
 * Remembers the ids (`jti`) of the gateway claims a subgraph has accepted until they expire, so
 * a captured claim cannot be sent again: each claim is good for one request.
 *
 * In-process, so across subgraph replicas it is best-effort (a claim replayed to another replica
 * within its lifetime is not caught here); what confines a stolen claim there is that it is bound
 * to the one operation it was issued for (`operation-hash.ts`) and lives seconds.
 *
 * Bounded in time (an entry is dropped once its claim has expired: the signature check refuses it
 * from then on) and in size. When full of unexpired ids it refuses new claims rather than forgetting
 * one still valid, which would reopen the replay it exists to stop.
 */

export class ReplayCacheFullError extends Error {
  constructor() {
    super('too many gateway requests in flight');
    this.name = 'ReplayCacheFullError';
  }
}

export interface ReplayCacheOptions {
  /** Most ids held at once. At a 30 s claim lifetime, 100,000 is 3,300 requests/s per replica. */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch (tests move it). */
  readonly now?: () => number;
}

export class ReplayCache {
  // Insertion order is (nearly) expiry order, as every claim has the same lifetime, so expired
  // ids are dropped from the front in amortised constant time.
  readonly #seen = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: ReplayCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) throw new Error('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records `id` as used until `forgetAfterMs`; false if it was already used. Throws
   * ReplayCacheFullError when the cache holds `maxEntries` unexpired ids.
   */
  use(id: string, forgetAfterMs: number): boolean {
    const now = this.#now();
    this.#dropExpiredFromFront(now);
    const until = this.#seen.get(id);
    if (until !== undefined && until >= now) return false;
    if (until === undefined && this.#seen.size >= this.#maxEntries) {
      // Clocks of gateway replicas differ a little, so an expired id can sit behind a live one.
      for (const [seenId, expiry] of this.#seen) if (expiry < now) this.#seen.delete(seenId);
      if (this.#seen.size >= this.#maxEntries) throw new ReplayCacheFullError();
    }
    this.#seen.delete(id);
    this.#seen.set(id, forgetAfterMs);
    return true;
  }

  #dropExpiredFromFront(now: number): void {
    for (const [id, expiry] of this.#seen) {
      if (expiry >= now) return;
      this.#seen.delete(id);
    }
  }
}
