import { readFileSync } from 'node:fs';
import type { EnvReader } from '../../platform/env.js';
import type { KeySetSettings } from './key-set.js';

/**
 * The JWKS settings from the environment (README, Configuration and "Sign-in in production").
 * Each default is the answer to one question an operator would ask.
 */

const KEY_SET_DEFAULTS = {
  // How long until a key the provider removed (a compromised one) stops verifying tokens: 5 min,
  // half jose's 10, still a single small fetch per replica every 5 minutes.
  cacheMaxAgeSeconds: 300,
  // A token with a kid we do not hold (a key just published) asks for a fetch at most this often,
  // so made-up kids cannot turn the gateway into a fetch amplifier; also the longest back-off.
  refetchIntervalSeconds: 30,
  // A provider outage must not lock out a shift already signed in: known keys keep verifying for
  // 12 h (the longest token lifetime, a shift) past freshness. Past it, a key withdrawn during the
  // outage could otherwise be trusted for ever: 503 until the endpoint answers.
  staleIfErrorSeconds: 43_200,
  timeoutMs: 3_000,
  // Providers' key sets are a few kB (tens with x5c certificate chains): 256 KiB leaves room.
  maxBytes: 262_144,
  maxKeys: 50,
} as const;

const SETTING_VARIABLES = [
  'JWT_JWKS_CACHE_MAX_AGE_SECONDS',
  'JWT_JWKS_REFETCH_INTERVAL_SECONDS',
  'JWT_JWKS_STALE_IF_ERROR_SECONDS',
  'JWT_JWKS_TIMEOUT_MS',
  'JWT_JWKS_MAX_BYTES',
  'JWT_JWKS_MAX_KEYS',
  'JWT_JWKS_CA_FILE',
] as const;

/** A PEM bundle read at start-up, so a wrong path stops the gateway instead of the first sign-in. */
function readCaFile(reader: EnvReader, url: string): string | undefined {
  const file = reader.optionalString('JWT_JWKS_CA_FILE');
  if (file === undefined) return undefined;
  if (!url.startsWith('https://')) reader.problem('JWT_JWKS_CA_FILE is only used with an https JWT_JWKS_URL');
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    reader.problem(`JWT_JWKS_CA_FILE: cannot read "${file}" (${(error as { code?: string }).code ?? 'error'})`);
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) reader.problem(`JWT_JWKS_CA_FILE: "${file}" holds no PEM certificate`);
  return pem;
}

/** Reads every JWKS setting (so a typo is caught either way); `url` undefined means no JWKS is used. */
export function readKeySetSettings(reader: EnvReader, url: string | undefined): KeySetSettings | undefined {
  const d = KEY_SET_DEFAULTS;
  const seconds = {
    cacheMaxAge: reader.int('JWT_JWKS_CACHE_MAX_AGE_SECONDS', d.cacheMaxAgeSeconds, { min: 10, max: 86_400 }),
    refetchInterval: reader.int('JWT_JWKS_REFETCH_INTERVAL_SECONDS', d.refetchIntervalSeconds, { min: 1, max: 3_600 }),
    staleIfError: reader.int('JWT_JWKS_STALE_IF_ERROR_SECONDS', d.staleIfErrorSeconds, { min: 0, max: 604_800 }),
  };
  const timeoutMs = reader.int('JWT_JWKS_TIMEOUT_MS', d.timeoutMs, { min: 100, max: 30_000 });
  const maxBytes = reader.int('JWT_JWKS_MAX_BYTES', d.maxBytes, { min: 1_024, max: 10_485_760 });
  const maxKeys = reader.int('JWT_JWKS_MAX_KEYS', d.maxKeys, { min: 1, max: 1_000 });
  const ca = url === undefined ? undefined : readCaFile(reader, url);
  if (url === undefined) {
    const set = SETTING_VARIABLES.filter((name) => reader.raw(name) !== undefined);
    if (set.length > 0) reader.problem(`${set.join(', ')} set without JWT_JWKS_URL`);
    return undefined;
  }
  if (seconds.refetchInterval > seconds.cacheMaxAge) reader.problem('JWT_JWKS_REFETCH_INTERVAL_SECONDS must not be longer than JWT_JWKS_CACHE_MAX_AGE_SECONDS');
  return {
    url,
    cacheMaxAgeMs: seconds.cacheMaxAge * 1_000,
    refetchIntervalMs: seconds.refetchInterval * 1_000,
    staleIfErrorMs: seconds.staleIfError * 1_000,
    timeoutMs,
    maxBytes,
    maxKeys,
    ...(ca !== undefined ? { ca } : {}),
  };
}
