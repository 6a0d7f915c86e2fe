import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { HttpError } from '../../platform/http-body.js';
import type { Logger } from '../../platform/logger.js';

/**
 * Requests each caller may make per window, before anything runs: per principal (the token's
 * subject) once a token is verified, per client address while it is not (a password-spraying
 * or token-guessing client gets 429, not an endless stream of 401s). Fixed windows, counted in
 * Redis when REDIS_URL is set so every replica shares one count, else in this process's memory.
 *
 * A Redis outage fails OPEN to each replica's own memory count, never to "no limit" and never
 * to "refuse everyone": the limit protects the API's availability, and an outage of the store
 * that protects it must not become an outage of the API (a duty officer's emergency lookup at
 * 3 a.m. does not wait for Redis). Every request still needs a valid token, and each replica
 * still limits, so the worst case is N replicas × the limit for the length of the outage. It
 * is logged once when it starts and once when it ends, and counted
 * (`ntk_rate_limit_store_failures_total`, `ntk_rate_limit_store_up`).
 */

export interface RateLimitSettings {
  /** Requests one principal may make per window. */
  readonly requests: number;
  /** Requests that fail authentication one client address may make per window. */
  readonly unauthenticatedRequests: number;
  readonly windowSeconds: number;
  /** Shared counts across replicas; undefined: this process's memory. */
  readonly redisUrl: string | undefined;
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: the socket's peer is the client). */
  readonly trustedProxyHops: number;
}

export type RateLimitKind = 'principal' | 'unauthenticated-ip';

interface WindowCount {
  readonly count: number;
  readonly resetInMs: number;
}

interface CounterStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** At most this many callers are remembered per replica; beyond it, the oldest windows go first. */
const MEMORY_MAX_KEYS = 100_000;

class MemoryCounters implements CounterStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(windowMs: number) {
    // Expired windows are dropped, so memory follows the callers of one window, not of all time.
    this.#sweeper = setInterval(() => this.#sweep(Date.now()), windowMs);
    this.#sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.#windows.delete(key);
      if (this.#windows.size >= MEMORY_MAX_KEYS) this.#evict(now);
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }

  #evict(now: number): void {
    this.#sweep(now);
    // Still full (a flood of distinct addresses): forget the oldest tenth rather than grow.
    let excess = this.#windows.size - MEMORY_MAX_KEYS * 0.9;
    for (const key of this.#windows.keys()) {
      if (excess-- <= 0) break;
      this.#windows.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#windows.clear();
  }
}

/** One round trip, atomic: the first hit of a window starts its expiry, so no key outlives it. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

class RedisCounters implements CounterStore {
  readonly #redis: Redis;

  constructor(url: string, onConnectionError: (error: Error) => void) {
    this.#redis = new Redis(url, {
      // A request never waits on a Redis that is not there: no queue while disconnected, no
      // retries per command, a short command timeout; the limiter falls back instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    this.#redis.on('error', onConnectionError);
  }

  /** Resolves once connected, or after `timeoutMs` (the gateway starts either way). */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.#redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const onReady = () => finish(true);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.#redis.off('ready', onReady);
        resolve(ok);
      };
      this.#redis.on('ready', onReady);
    });
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const answer = await this.#redis.eval(HIT_SCRIPT, 1, key, String(windowMs));
    if (!Array.isArray(answer) || typeof answer[0] !== 'number' || typeof answer[1] !== 'number')
      throw new Error('unexpected answer from the rate-limit script');
    return { count: answer[0], resetInMs: answer[1] };
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/**
 * The caller's address: the socket's peer, or with `trustedProxyHops` proxies in front, the
 * X-Forwarded-For entry the outermost trusted proxy added (entries further left are the
 * caller's to write, so never trusted).
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((each) => each.trim())
    .filter((each) => each !== '');
  if (entries.length === 0) return peer;
  return entries[Math.max(0, entries.length - trustedProxyHops)] ?? peer;
}

/** Keys carry a hash, never a subject or an address: Redis holds no personal data. */
function keyOf(kind: RateLimitKind, identity: string): string {
  return `ntk:rate:${kind}:${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}`;
}

export interface RequestRateLimiter {
  /** Counts one request; throws 429 RATE_LIMITED with Retry-After when the caller is over its limit. */
  enforce(kind: RateLimitKind, identity: string): Promise<void>;
  close(): Promise<void>;
}

export async function createRequestRateLimiter(
  settings: RateLimitSettings,
  options: { logger: Logger; registry: Registry; onRefused?: (kind: RateLimitKind) => void },
): Promise<RequestRateLimiter> {
  const { logger } = options;
  const windowMs = settings.windowSeconds * 1_000;
  const memory = new MemoryCounters(windowMs);
  const storeFailures = new Counter({
    name: 'ntk_rate_limit_store_failures_total',
    help: "Rate-limit counts Redis did not answer (counted in this replica's memory instead)",
    registers: [options.registry],
  });
  const storeUp = new Gauge({
    name: 'ntk_rate_limit_store_up',
    help: '1 while the shared rate-limit store (Redis) answers; 0 while limits fall back to memory',
    registers: [options.registry],
  });
  storeFailures.inc(0);
  let shared: RedisCounters | undefined;
  let sharedUp = true;
  const markDown = (error: Error) => {
    if (!sharedUp) return;
    sharedUp = false;
    storeUp.set(0);
    logger.warn(
      { store: 'redis', err: { name: error.name, message: error.message } },
      'rate-limit store unavailable: limiting per replica in memory until it answers',
    );
  };
  if (settings.redisUrl !== undefined) {
    shared = new RedisCounters(settings.redisUrl, markDown);
    storeUp.set(1);
    if (!(await shared.connected(2_000))) markDown(new Error('not connected within 2 s'));
  }

  async function count(key: string): Promise<WindowCount> {
    if (shared === undefined) return memory.hit(key, windowMs);
    try {
      const answer = await shared.hit(key, windowMs);
      if (!sharedUp) {
        sharedUp = true;
        storeUp.set(1);
        logger.info({ store: 'redis' }, 'rate-limit store answering again: limits shared across replicas');
      }
      return answer;
    } catch (error) {
      storeFailures.inc();
      markDown(error instanceof Error ? error : new Error(String(error)));
      return memory.hit(key, windowMs);
    }
  }

  return {
    async enforce(kind, identity) {
      const limit = kind === 'principal' ? settings.requests : settings.unauthenticatedRequests;
      const { count: made, resetInMs } = await count(keyOf(kind, identity));
      if (made <= limit) return;
      options.onRefused?.(kind);
      const retryAfter = Math.max(1, Math.ceil(resetInMs / 1_000));
      throw new HttpError(429, 'RATE_LIMITED', `too many requests; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
    },
    async close() {
      await memory.close();
      await shared?.close();
    },
  };
}
