import { Counter, Gauge, type Registry } from 'prom-client';
import { KEY_SET_FAILURE_CAUSES } from './key-set-fetch.js';
import type { KeySet } from './key-set.js';

/**
 * The key set's counters in the gateway's Prometheus registry, read from `KeySet.metrics()` at
 * scrape time (the key set keeps plain numbers and knows nothing of Prometheus). Labels are the
 * fixed failure causes only; never a kid, a URL or anything from a token.
 */
export function registerKeySetMetrics(registry: Registry, keySet: KeySet): void {
  const registers = [registry];
  new Counter({
    name: 'ntk_jwks_fetches_total',
    help: 'Fetches of the identity provider key set (JWT_JWKS_URL)',
    registers,
    collect() {
      this.reset();
      this.inc(keySet.metrics().fetches);
    },
  });
  new Counter({
    name: 'ntk_jwks_fetch_failures_total',
    help: 'Failed key set fetches, by cause',
    labelNames: ['cause'],
    registers,
    collect() {
      const { fetchFailures } = keySet.metrics();
      this.reset();
      for (const cause of KEY_SET_FAILURE_CAUSES) this.inc({ cause }, fetchFailures[cause]);
    },
  });
  new Counter({
    name: 'ntk_jwks_stale_key_uses_total',
    help: 'Tokens verified with signing keys past their freshness while the key set endpoint failed',
    registers,
    collect() {
      this.reset();
      this.inc(keySet.metrics().staleKeyUses);
    },
  });
  new Counter({
    name: 'ntk_jwks_unavailable_total',
    help: 'Requests answered 503 because no usable signing keys could be had',
    registers,
    collect() {
      this.reset();
      this.inc(keySet.metrics().unavailable);
    },
  });
  new Gauge({
    name: 'ntk_jwks_keys',
    help: 'Signing keys held, usable or skipped',
    labelNames: ['state'],
    registers,
    collect() {
      const { keys, unusableKeys } = keySet.metrics();
      this.set({ state: 'usable' }, keys);
      this.set({ state: 'skipped' }, unusableKeys);
    },
  });
  new Gauge({
    name: 'ntk_jwks_seconds_since_last_good_fetch',
    help: 'Seconds since the key set was last fetched successfully (-1 before the first)',
    registers,
    collect() {
      this.set(keySet.metrics().secondsSinceLastGoodFetch ?? -1);
    },
  });
  new Gauge({
    name: 'ntk_jwks_consecutive_failures',
    help: 'Key set fetches failed in a row (0 when the last one succeeded)',
    registers,
    collect() {
      this.set(keySet.metrics().consecutiveFailures);
    },
  });
}
