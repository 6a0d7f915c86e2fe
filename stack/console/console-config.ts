import { fileURLToPath } from 'node:url';
import { readGatewayConfig } from '../../gateway/config.js';
import { EnvReader, readNodeEnv, type Env, type NodeEnv } from '../../platform/env.js';

/**
 * The console server's configuration. It serves the built console (web/dist) and passes the
 * public API through to the gateway, so the browser talks to one origin (no CORS, no token
 * in a cookie or in storage). Outside production it also mints demo tokens (DevSignIn).
 */

const CONSOLE_DEFAULT_PORT = 4010;
const DEFAULT_CONSOLE_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** What the development sign-in needs to mint tokens and agency references the gateway accepts. */
export interface DevSignIn {
  readonly jwtSecret: string;
  readonly issuer: string;
  readonly audience: string;
  readonly idTokenSecret: string;
}

export interface ConsoleConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  /** The gateway's origin, e.g. http://127.0.0.1:4000. */
  readonly gatewayOrigin: string;
  readonly distDir: string;
  /** null in production, or when tokens come from an identity provider (JWT_JWKS_URL). */
  readonly devSignIn: DevSignIn | null;
}

export function readConsoleConfig(env: Env, overrides: { gatewayUrl?: string; distDir?: string } = {}): ConsoleConfig {
  const reader = new EnvReader(env);
  const nodeEnv = readNodeEnv(reader);
  const gatewayUrl = overrides.gatewayUrl ?? reader.url('CONSOLE_GATEWAY_URL', `http://127.0.0.1:${reader.string('GATEWAY_PORT', '4000')}`) ?? '';
  let gatewayOrigin = '';
  try {
    gatewayOrigin = new URL(gatewayUrl).origin;
  } catch {
    // EnvReader.url has already recorded the problem.
  }
  const config: ConsoleConfig = {
    nodeEnv,
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.int('CONSOLE_PORT', CONSOLE_DEFAULT_PORT, { min: 0, max: 65535 }),
    gatewayOrigin,
    distDir: overrides.distDir ?? DEFAULT_CONSOLE_DIST,
    devSignIn: null,
  };
  reader.finish('console');
  if (nodeEnv === 'production') return config;
  // The same keys the gateway verifies with; never in production (readGatewayConfig refuses the
  // public defaults there, and this branch is not reached).
  const { config: gateway } = readGatewayConfig(env);
  if (gateway.tokenKeys.kind !== 'secret') return config;
  return {
    ...config,
    devSignIn: { jwtSecret: gateway.tokenKeys.secret, issuer: gateway.tokenIssuer, audience: gateway.tokenAudience, idTokenSecret: gateway.idTokenSecret },
  };
}
