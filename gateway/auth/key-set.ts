import type { CompactJWSHeaderParameters, CryptoKey } from 'jose';
import type { Logger } from '../../platform/logger.js';
import { fetchKeySet, KEY_SET_FAILURE_CAUSES, KeySetFetchError, type KeySetFailureCause } from './key-set-fetch.js';
import { checkSigningKey, type CheckedKey, type KeySetAlgorithm, KEY_SET_ALGORITHMS } from './signing-key-checks.js';

/**
 * The identity provider's signing keys, cached, with every rule about when to fetch them in one
 * place. The threats: an outage of the provider locking every user out (known keys keep working
 * past their freshness while the endpoint fails, up to a ceiling, so a key the provider withdrew
 * during the outage is not trusted forever); a failing endpoint multiplying into one slow fetch
 * per request (one shared fetch, exponential back-off, and fast answers while backing off); a
 * token with a made-up `kid` forcing fetches (at most one per refetch interval); and a failure
 * on our side being blamed on the caller (KeySetUnavailableError, answered 503 with Retry-After,
 * never 401). Keys come only from the configured URL: a token's own `jku`, `x5u`, `jwk` or `x5c`
 * is never read.
 */

export interface KeySetSettings {
  readonly url: string;
  /** Keys are fresh this long after a good fetch; a key the provider removed is refused within it. */
  readonly cacheMaxAgeMs: number;
  /** The least time between two fetches while the endpoint works (an unknown `kid` asks for one), and the longest back-off. */
  readonly refetchIntervalMs: number;
  /** How long past their freshness known keys are still used while the endpoint fails (0: never). */
  readonly staleIfErrorMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxKeys: number;
  /** PEM certificates trusted for this fetch instead of the system's roots. */
  readonly ca?: string | undefined;
}

/** The first back-off after a failed fetch; it doubles with each failure up to the refetch interval. */
const FIRST_BACKOFF_MS = 1_000;

/** The key set cannot be had (and no usable stale copy): a failure on our side, answered 503. */
export class KeySetUnavailableError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("the identity provider's signing keys are unavailable; try again shortly");
    this.name = 'KeySetUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The token names a key the set does not offer for it: the caller's problem, answered 401. */
export class SigningKeyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyRefusedError';
  }
}

/** Counters and gauges for /metrics (plain numbers; the metrics endpoint names and exports them). */
export interface KeySetMetrics {
  /** Fetches attempted, and failed by cause. */
  readonly fetches: number;
  readonly fetchFailures: Readonly<Record<KeySetFailureCause, number>>;
  /** Tokens verified with keys past their freshness while the endpoint was failing. */
  readonly staleKeyUses: number;
  /** Requests answered 503 because no usable keys could be had. */
  readonly unavailable: number;
  /** Usable and skipped keys in the set held now. */
  readonly keys: number;
  readonly unusableKeys: number;
  /** Seconds since the last good fetch (undefined before the first); the alert to set is on this. */
  readonly secondsSinceLastGoodFetch: number | undefined;
  readonly consecutiveFailures: number;
}

interface HeldSet {
  readonly byKid: ReadonlyMap<string, CheckedKey>;
  /** Usable keys without a `kid`: used only for a token without one, when exactly one fits. */
  readonly unnamed: readonly CheckedKey[];
  readonly fetchedAt: number;
}

type Lookup = { readonly key: CryptoKey } | { readonly refused: string } | { readonly unknown: true };

function isAlgorithm(value: unknown): value is KeySetAlgorithm {
  return typeof value === 'string' && (KEY_SET_ALGORITHMS as readonly string[]).includes(value);
}

/** The URL as logged: no query or credentials, which some providers put there. */
function shownUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export class KeySet {
  readonly #settings: KeySetSettings;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  readonly #url: string;
  #held: HeldSet | undefined;
  #inFlight: Promise<void> | undefined;
  #lastAttemptAt: number | undefined;
  #failures = 0;
  #retryAt = 0;
  /** Unusable keys in the set held (kid + reason), already warned about. */
  #warned = new Set<string>();
  #fetches = 0;
  #fetchFailures = Object.fromEntries(KEY_SET_FAILURE_CAUSES.map((cause) => [cause, 0])) as Record<KeySetFailureCause, number>;
  #staleKeyUses = 0;
  #unavailable = 0;
  #staleWarnedFor: number | undefined;

  constructor(settings: KeySetSettings, options: { logger?: Logger; now?: () => number } = {}) {
    this.#settings = settings;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#url = shownUrl(settings.url);
  }

  /** jose's key resolver: the key for this token's header, or a refusal (401) or unavailability (503). */
  readonly getKey = async (header: CompactJWSHeaderParameters): Promise<CryptoKey> => {
    const { alg, kid } = header;
    // jwtVerify has checked alg against the allowed list; this narrows it (and guards a future change there).
    if (!isAlgorithm(alg)) throw new SigningKeyRefusedError('token algorithm not accepted');
    if (kid !== undefined && typeof kid !== 'string') throw new SigningKeyRefusedError('malformed token header: "kid" is not a string');
    const fresh = (held: HeldSet | undefined) => held !== undefined && this.#now() - held.fetchedAt < this.#settings.cacheMaxAgeMs;
    if (!fresh(this.#held)) await this.#refresh(false);
    else if ('unknown' in this.#lookup(this.#held, kid, alg)) await this.#refresh(true);

    const held = this.#held;
    if (held === undefined) throw this.#unavailableError();
    const now = this.#now();
    if (!fresh(held)) {
      if (now - held.fetchedAt >= this.#settings.cacheMaxAgeMs + this.#settings.staleIfErrorMs) throw this.#unavailableError();
      this.#noteStaleUse(held, now);
    }
    const found = this.#lookup(held, kid, alg);
    if ('key' in found) return found.key;
    if ('refused' in found) throw new SigningKeyRefusedError(found.refused);
    // An unknown kid while the endpoint fails may be a key published since: we cannot say it is not.
    if (this.#failures > 0) throw this.#unavailableError();
    throw new SigningKeyRefusedError('token signed with an unknown key');
  };

  /** Fetches now unless a fetch is running, backing off, or (for an unknown kid) too soon after the last. */
  async #refresh(forUnknownKid: boolean): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const now = this.#now();
    if (now < this.#retryAt) return;
    if (forUnknownKid && this.#failures === 0 && this.#lastAttemptAt !== undefined && now - this.#lastAttemptAt < this.#settings.refetchIntervalMs) return;
    this.#lastAttemptAt = now;
    this.#inFlight = this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    this.#fetches += 1;
    let members: readonly unknown[];
    try {
      members = await fetchKeySet(this.#settings);
    } catch (error) {
      const failure = error instanceof KeySetFetchError ? error : new KeySetFetchError('unreachable', String(error));
      this.#failed(failure);
      return;
    }
    const checked = await Promise.all(members.map((member) => checkSigningKey(member)));
    const byKid = new Map<string, CheckedKey>();
    const unnamed: CheckedKey[] = [];
    for (const key of checked) {
      if (key.kid === undefined) unnamed.push(key);
      else if (byKid.has(key.kid)) byKid.set(key.kid, { usable: false, kid: key.kid, reason: 'its kid appears more than once in the key set' });
      else byKid.set(key.kid, key);
    }
    this.#warnUnusable([...byKid.values(), ...unnamed]);
    const recovered = this.#failures > 0;
    this.#held = { byKid, unnamed, fetchedAt: this.#now() };
    this.#failures = 0;
    this.#retryAt = 0;
    this.#staleWarnedFor = undefined;
    const metrics = this.metrics();
    this.#logger?.[recovered ? 'info' : 'debug'](
      { jwksUrl: this.#url, keys: metrics.keys, unusableKeys: metrics.unusableKeys },
      recovered ? 'JWKS endpoint recovered; signing keys refreshed' : 'signing keys fetched',
    );
  }

  #failed(failure: KeySetFetchError): void {
    this.#failures += 1;
    this.#fetchFailures[failure.reason] += 1;
    const backoff = Math.min(this.#settings.refetchIntervalMs, FIRST_BACKOFF_MS * 2 ** Math.min(this.#failures - 1, 30));
    this.#retryAt = this.#now() + backoff;
    const held = this.#held;
    const age = held === undefined ? undefined : this.#now() - held.fetchedAt;
    this.#logger?.error(
      {
        jwksUrl: this.#url,
        cause: failure.reason,
        detail: failure.message,
        consecutiveFailures: this.#failures,
        retryInSeconds: Math.ceil(backoff / 1000),
        // What the gateway does meanwhile: known keys while fresh, then stale up to the ceiling, then 503.
        secondsSinceLastGoodFetch: age === undefined ? null : Math.floor(age / 1000),
      },
      'JWKS fetch failed',
    );
  }

  #lookup(held: HeldSet | undefined, kid: string | undefined, alg: KeySetAlgorithm): Lookup {
    if (held === undefined) return { unknown: true };
    if (kid === undefined) {
      const fitting = held.unnamed.filter((key) => key.usable && key.keys.has(alg));
      if (fitting.length === 0) return { unknown: true };
      if (fitting.length > 1) return { refused: 'token does not name its key (kid)' };
      const only = fitting[0];
      return only?.usable ? { key: only.keys.get(alg) as CryptoKey } : { unknown: true };
    }
    const key = held.byKid.get(kid);
    if (key === undefined) return { unknown: true };
    if (!key.usable) return { refused: 'token signed with a key the gateway does not accept' };
    const imported = key.keys.get(alg);
    return imported ? { key: imported } : { refused: 'token algorithm does not match its key' };
  }

  #noteStaleUse(held: HeldSet, now: number): void {
    this.#staleKeyUses += 1;
    // Once per failed fetch, not per request: the log says the gateway is running on stale keys.
    if (this.#staleWarnedFor === this.#failures) return;
    this.#staleWarnedFor = this.#failures;
    this.#logger?.warn(
      {
        jwksUrl: this.#url,
        staleForSeconds: Math.floor((now - held.fetchedAt - this.#settings.cacheMaxAgeMs) / 1000),
        ceilingSeconds: Math.floor(this.#settings.staleIfErrorMs / 1000),
      },
      'JWKS endpoint failing: verifying with stale signing keys',
    );
  }

  /** Warns once about each unusable key (not at every refetch); forgets keys that left the set. */
  #warnUnusable(keys: readonly CheckedKey[]): void {
    const current = new Set<string>();
    for (const key of keys) {
      if (key.usable) continue;
      const seen = `${key.kid ?? ''}\u0000${key.reason}`;
      current.add(seen);
      if (!this.#warned.has(seen))
        this.#logger?.warn({ jwksUrl: this.#url, kid: key.kid ?? null, reason: key.reason }, 'JWKS key skipped: tokens naming it are refused');
    }
    this.#warned = current;
  }

  #unavailableError(): KeySetUnavailableError {
    this.#unavailable += 1;
    return new KeySetUnavailableError(Math.max(1, Math.ceil((this.#retryAt - this.#now()) / 1000)));
  }

  metrics(): KeySetMetrics {
    const held = [...(this.#held?.byKid.values() ?? []), ...(this.#held?.unnamed ?? [])];
    return {
      fetches: this.#fetches,
      fetchFailures: { ...this.#fetchFailures },
      staleKeyUses: this.#staleKeyUses,
      unavailable: this.#unavailable,
      keys: held.filter((key) => key.usable).length,
      unusableKeys: held.filter((key) => !key.usable).length,
      secondsSinceLastGoodFetch: this.#held === undefined ? undefined : Math.floor((this.#now() - this.#held.fetchedAt) / 1000),
      consecutiveFailures: this.#failures,
    };
  }
}
