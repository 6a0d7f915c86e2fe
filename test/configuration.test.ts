import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../gateway/config.js';
import { ConfigError } from '../platform/env.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET, DEV_SUBGRAPH_SIGNING_SECRET } from '../platform/secrets.js';
import { readSubgraphConfig } from '../subgraphs/shared/config.js';

/** Configuration comes from the environment, is validated at start-up, and is safe by default in production. */

const secret = (c: string) => c.repeat(40);
const production = {
  NODE_ENV: 'production',
  JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  JWT_ISSUER: 'https://idp.example/',
  SUBGRAPH_SIGNING_SECRET: secret('s'),
  ID_TOKEN_SECRET: secret('i'),
};

function problemsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('gateway configuration', () => {
  it('works from nothing in development, with introspection on', () => {
    const { config } = readGatewayConfig({});
    expect(config.nodeEnv).toBe('development');
    expect(config.introspection).toBe(true);
    expect(config.port).toBe(4000);
    expect(config.tokenKeys).toEqual({ kind: 'secret', secret: DEV_JWT_SECRET });
  });

  it('is safe by default in production: introspection off', () => {
    const { config } = readGatewayConfig(production);
    expect(config.introspection).toBe(false);
    expect(config.tokenKeys).toEqual({
      kind: 'jwks',
      url: production.JWT_JWKS_URL,
      cacheMaxAgeMs: 300_000,
      refetchIntervalMs: 30_000,
      staleIfErrorMs: 43_200_000,
      timeoutMs: 3_000,
      maxBytes: 262_144,
      maxKeys: 50,
    });
  });

  it('refuses to start in production without real secrets, listing every problem at once', () => {
    const problems = problemsOf(() => readGatewayConfig({ NODE_ENV: 'production' }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/JWT_JWKS_URL .*or JWT_SECRET/),
        expect.stringMatching(/SUBGRAPH_SIGNING_SECRET is required in production/),
        expect.stringMatching(/JWT_ISSUER must be set in production/),
        expect.stringMatching(/ID_TOKEN_SECRET is required in production/),
      ]),
    );
  });

  it('refuses the public development secrets in production', () => {
    const problems = problemsOf(() =>
      readGatewayConfig({
        ...production,
        JWT_JWKS_URL: undefined,
        JWT_SECRET: DEV_JWT_SECRET,
        SUBGRAPH_SIGNING_SECRET: DEV_SUBGRAPH_SIGNING_SECRET,
        ID_TOKEN_SECRET: DEV_ID_TOKEN_SECRET,
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/JWT_SECRET is the public development default/),
      expect.stringMatching(/SUBGRAPH_SIGNING_SECRET is the public development default/),
      expect.stringMatching(/ID_TOKEN_SECRET is the public development default/),
    ]);
  });

  it('refuses short secrets, a plain-http JWKS in production, both key sources at once, and bad numbers', () => {
    expect(problemsOf(() => readGatewayConfig({ JWT_SECRET: 'short' }))).toEqual([expect.stringMatching(/JWT_SECRET must be at least 32/)]);
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_URL: 'http://idp.example/jwks' }))).toEqual([
      expect.stringMatching(/https in production/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_SECRET: secret('j') }))).toEqual([
      expect.stringMatching(/not both/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ GATEWAY_PORT: 'eighty' }))).toEqual([expect.stringMatching(/GATEWAY_PORT must be a whole number/)]);
    expect(problemsOf(() => readGatewayConfig({ CLIENTS_SUBGRAPH_URL: 'not a url' }))).toEqual([expect.stringMatching(/CLIENTS_SUBGRAPH_URL must be a URL/)]);
    expect(problemsOf(() => readGatewayConfig({ NODE_ENV: 'staging' }))).toEqual([expect.stringMatching(/NODE_ENV must be one of/)]);
  });

  it('caps access-token lifetimes at 12 h unless told otherwise, between a minute and a day', () => {
    expect(readGatewayConfig({}).config.tokenMaxLifetimeSeconds).toBe(43_200);
    expect(readGatewayConfig({ JWT_MAX_LIFETIME_SECONDS: '3600' }).config.tokenMaxLifetimeSeconds).toBe(3_600);
    expect(problemsOf(() => readGatewayConfig({ JWT_MAX_LIFETIME_SECONDS: '100y' }))).toEqual([
      expect.stringMatching(/JWT_MAX_LIFETIME_SECONDS must be a whole number/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ JWT_MAX_LIFETIME_SECONDS: '86401' }))).toEqual([
      expect.stringMatching(/JWT_MAX_LIFETIME_SECONDS must be between 60 and 86400/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ JWT_MAX_LIFETIME_SECONDS: '59' }))).toEqual([
      expect.stringMatching(/JWT_MAX_LIFETIME_SECONDS must be between 60 and 86400/),
    ]);
  });

  it('reads the key set settings, and a private CA file for the key set fetch only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ntk-config-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    try {
      const { config } = readGatewayConfig({
        ...production,
        JWT_JWKS_CACHE_MAX_AGE_SECONDS: '60',
        JWT_JWKS_REFETCH_INTERVAL_SECONDS: '5',
        JWT_JWKS_STALE_IF_ERROR_SECONDS: '0',
        JWT_JWKS_TIMEOUT_MS: '500',
        JWT_JWKS_MAX_BYTES: '4096',
        JWT_JWKS_MAX_KEYS: '3',
        JWT_JWKS_CA_FILE: caFile,
      });
      expect(config.tokenKeys).toMatchObject({
        cacheMaxAgeMs: 60_000,
        refetchIntervalMs: 5_000,
        staleIfErrorMs: 0,
        timeoutMs: 500,
        maxBytes: 4_096,
        maxKeys: 3,
        ca: expect.stringContaining('BEGIN CERTIFICATE'),
      });
      expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_CA_FILE: join(dir, 'missing.pem') }))).toEqual([
        expect.stringMatching(/JWT_JWKS_CA_FILE: cannot read .*ENOENT/),
      ]);
      writeFileSync(join(dir, 'empty.pem'), 'not a certificate');
      expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_CA_FILE: join(dir, 'empty.pem') }))).toEqual([
        expect.stringMatching(/holds no PEM certificate/),
      ]);
      expect(problemsOf(() => readGatewayConfig({ JWT_JWKS_URL: 'http://127.0.0.1:9/jwks', JWT_JWKS_CA_FILE: caFile }))).toEqual([
        expect.stringMatching(/only used with an https JWT_JWKS_URL/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses key set settings out of range, longer refetch than cache age, or without JWT_JWKS_URL', () => {
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_CACHE_MAX_AGE_SECONDS: '5' }))).toEqual([
      expect.stringMatching(/JWT_JWKS_CACHE_MAX_AGE_SECONDS must be between 10 and 86400/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_MAX_BYTES: '100' }))).toEqual([
      expect.stringMatching(/JWT_JWKS_MAX_BYTES must be between/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_MAX_KEYS: '0' }))).toEqual([
      expect.stringMatching(/JWT_JWKS_MAX_KEYS must be between/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_TIMEOUT_MS: 'soon' }))).toEqual([
      expect.stringMatching(/JWT_JWKS_TIMEOUT_MS must be a whole number/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ ...production, JWT_JWKS_CACHE_MAX_AGE_SECONDS: '20', JWT_JWKS_REFETCH_INTERVAL_SECONDS: '60' }))).toEqual([
      expect.stringMatching(/must not be longer than JWT_JWKS_CACHE_MAX_AGE_SECONDS/),
    ]);
    expect(problemsOf(() => readGatewayConfig({ JWT_JWKS_STALE_IF_ERROR_SECONDS: '60' }))).toEqual([
      expect.stringMatching(/JWT_JWKS_STALE_IF_ERROR_SECONDS set without JWT_JWKS_URL/),
    ]);
  });

  it('lets production turn introspection on explicitly', () => {
    expect(readGatewayConfig({ ...production, INTROSPECTION: 'true' }).config.introspection).toBe(true);
  });
});

describe('subgraph configuration', () => {
  it('has distinct default ports and needs the signing secret in production', () => {
    expect(readSubgraphConfig('clients', {}).config.port).toBe(4001);
    expect(readSubgraphConfig('hr', {}).config.port).toBe(4002);
    expect(readSubgraphConfig('consent', {}).config.port).toBe(4003);
    expect(problemsOf(() => readSubgraphConfig('hr', { NODE_ENV: 'production' }))).toEqual([expect.stringMatching(/SUBGRAPH_SIGNING_SECRET is required/)]);
    expect(problemsOf(() => readSubgraphConfig('hr', { NODE_ENV: 'production', SUBGRAPH_SIGNING_SECRET: secret('s') }))).toEqual([]);
  });

  it('refuses a database prefix that is not a plain name', () => {
    expect(problemsOf(() => readSubgraphConfig('clients', { MONGODB_DB_PREFIX: 'a/b' }))).toEqual([expect.stringMatching(/MONGODB_DB_PREFIX/)]);
  });

  it('rounds reports to 5 and suppresses below 5 unless told otherwise, never below a threshold of 3', () => {
    expect(readSubgraphConfig('clients', {}).config.reports).toEqual({ threshold: 5, roundingBase: 5 });
    expect(readSubgraphConfig('clients', { REPORT_ROUNDING_BASE: 'none', REPORT_THRESHOLD: '10' }).config.reports).toEqual({
      threshold: 10,
      roundingBase: null,
    });
    expect(problemsOf(() => readSubgraphConfig('clients', { REPORT_ROUNDING_BASE: 'off' }))).toEqual([
      expect.stringMatching(/REPORT_ROUNDING_BASE must be a whole number from 2 to 100, or none/),
    ]);
    expect(problemsOf(() => readSubgraphConfig('clients', { REPORT_ROUNDING_BASE: '1' }))).toEqual([expect.stringMatching(/REPORT_ROUNDING_BASE/)]);
    expect(problemsOf(() => readSubgraphConfig('clients', { REPORT_THRESHOLD: '2' }))).toEqual([expect.stringMatching(/REPORT_THRESHOLD/)]);
  });
});
