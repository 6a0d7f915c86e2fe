import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';

/**
 * A per-person rate limit whose counts live in the database, so every gateway replica counts
 * against the same budget (a limit kept in process memory would give each of N replicas its
 * own, and a caller N times the lookups).
 *
 * Sliding window, approximated from two fixed windows: what was taken in the current window plus
 * the previous window's count weighted by how much of it still overlaps the last `windowMs`,
 * rounded against the caller. A plain fixed window lets a caller spend the limit at the end of
 * one window and again at the start of the next, twice the limit in moments; here the previous
 * window's use fades out over the next, so that burst is gone (a run of lookups bunched at the
 * end of a window still counts as if spread over it; an exact sliding log would keep each time).
 *
 * Each unit taken is a ticket document whose `_id` names its window and number, and the only
 * thing relied on for atomicity is that two inserts of one `_id` cannot both succeed. Not `$inc`:
 * FerretDB 1.x applies updates as read-modify-write without isolation, so concurrent `$inc`s lose
 * counts and a conditional `findOneAndUpdate` lets racers through (measured: 20 concurrent `$inc`
 * of one document left it at 5; 10 racing takers of 5 slots all got in). Tickets are numbered
 * from what a taker read, never past what the limit leaves, so racers for the same numbers get a
 * duplicate key, give back what they got (all or nothing) and look again. No transactions,
 * pipelines or TTL indexes, so MongoDB and FerretDB behave the same; a person's stale windows
 * are removed when they open a new one.
 */

export interface RateLimit {
  /** The most units one person may take in any window of `windowMs`. */
  readonly limit: number;
  readonly windowMs: number;
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

const RATE_LIMIT_COLLECTION = 'rate_limits';

/** One unit of one person's budget in one fixed window: ticket n is the n-th unit handed out. */
interface TicketDoc {
  readonly _id: string;
  readonly name: string;
  readonly who: string;
  readonly window: number;
  readonly ticket: number;
}

/** Racing takers are few (one person's own requests); past this many lost races, refuse. */
const MAX_ATTEMPTS = 5;

/** The counter store did not answer: the caller must refuse (fail closed), not let the request through. */
export class RateLimitUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the rate limit could not be checked', { cause });
    this.name = 'RateLimitUnavailableError';
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error instanceof MongoServerError || error instanceof MongoBulkWriteError) && error.code === 11000;
}

export async function ensureRateLimitIndexes(db: Db): Promise<void> {
  await db.collection<TicketDoc>(RATE_LIMIT_COLLECTION).createIndex({ name: 1, who: 1, window: 1, ticket: 1 }, { name: 'by_person_window' });
}

/** Guards against 10 * 0.7 = 7.000000000000001 rounding a whole count up. */
const EPSILON = 1e-9;

/** The previous window's share of the sliding window ending at `fraction` of the current one. */
function carried(previous: number, fraction: number): number {
  return Math.max(0, Math.ceil(previous * (1 - fraction) - EPSILON));
}

/**
 * How long until `wanted` more units fit (at most the limit: more never fit at once), if nothing
 * else is taken meanwhile: later in this window as the previous one's share fades, or else in
 * the next window as this one's does. `fraction` is how far into the current window `now` is.
 */
export function retryAfterMs(rate: RateLimit, previous: number, current: number, wanted: number, fraction: number): number {
  const { limit, windowMs } = rate;
  const want = Math.min(wanted, limit);
  const room = limit - current - want;
  if (room >= 0 && previous === 0) return 0;
  if (room >= 0) {
    const at = 1 - room / previous;
    if (at < 1) return Math.max(0, (at - fraction) * windowMs);
  }
  const at = current > 0 ? Math.max(0, 1 - (limit - want) / current) : 0;
  return (1 - fraction) * windowMs + at * windowMs;
}

export class SlidingWindowLimiter {
  readonly #tickets: Collection<TicketDoc>;
  readonly #name: string;
  readonly #rate: RateLimit;

  /** `name` keeps different limits apart in one collection (e.g. `emergency-lookup`). */
  constructor(db: Db, name: string, rate: RateLimit) {
    this.#tickets = db.collection<TicketDoc>(RATE_LIMIT_COLLECTION);
    this.#name = name;
    this.#rate = rate;
  }

  get rate(): RateLimit {
    return this.#rate;
  }

  /** Takes `units` from `who`'s budget at `now`, all or nothing. Throws RateLimitUnavailableError if the store cannot be reached. */
  async take(who: string, units: number, now: Date): Promise<Admission> {
    const { limit, windowMs } = this.#rate;
    const window = Math.floor(now.getTime() / windowMs);
    const fraction = (now.getTime() - window * windowMs) / windowMs;
    const name = this.#name;
    try {
      /** How many tickets each window has handed out: the next ticket's number (holes count as used). */
      const counts = async () => {
        const docs = await this.#tickets.find({ name, who, window: { $in: [window - 1, window] } }, { projection: { window: 1, ticket: 1 } }).toArray();
        const used = (w: number) => docs.reduce((next, doc) => (doc.window === w ? Math.max(next, doc.ticket + 1) : next), 0);
        return { previous: used(window - 1), current: used(window) };
      };
      let seen = await counts();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const allowed = limit - carried(seen.previous, fraction);
        if (units > limit || seen.current + units > allowed) break;
        const tickets: TicketDoc[] = Array.from({ length: units }, (_, i) => {
          const ticket = seen.current + i;
          return { _id: `${name}:${window}:${ticket}:${who}`, name, who, window, ticket };
        });
        try {
          await this.#tickets.insertMany(tickets, { ordered: true, writeConcern: { w: 'majority', j: true } });
          if (seen.current === 0) {
            // A new window: earlier ones no longer count. Best effort; the next new window retries.
            this.#tickets.deleteMany({ name, who, window: { $lt: window - 1 } }).catch(() => undefined);
          }
          return { admitted: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          // Another request (or replica) took some of these tickets first: give back any we got
          // (all or nothing), then look again.
          const got = error instanceof MongoBulkWriteError ? error.insertedCount : 0;
          if (got > 0) await this.#tickets.deleteMany({ _id: { $in: tickets.slice(0, got).map((t) => t._id) } });
          seen = await counts();
        }
      }
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs(this.#rate, seen.previous, seen.current, units, fraction) / 1000)) };
    } catch (error) {
      throw new RateLimitUnavailableError(error);
    }
  }
}
