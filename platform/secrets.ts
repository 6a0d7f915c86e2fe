import type { EnvReader, NodeEnv } from './env.js';

/**
 * Development-only defaults for the shared secrets, so `npm start` works from a fresh clone.
 * They are public (they are in this file), so production refuses to start with them.
 */
export const DEV_JWT_SECRET = 'needtoknow-development-only-jwt-secret-do-not-deploy';
export const DEV_SUBGRAPH_SIGNING_SECRET = 'needtoknow-development-only-subgraph-secret-do-not-deploy';
export const DEV_ID_TOKEN_SECRET = 'needtoknow-development-only-id-token-secret-do-not-deploy';
const MIN_SECRET_LENGTH = 32;

export function readSecret(reader: EnvReader, name: string, devDefault: string, nodeEnv: NodeEnv): string {
  const value = reader.optionalString(name);
  if (value === undefined) {
    if (nodeEnv === 'production') reader.problem(`${name} is required in production (at least ${MIN_SECRET_LENGTH} characters)`);
    return devDefault;
  }
  if (value.length < MIN_SECRET_LENGTH) reader.problem(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
  if (nodeEnv === 'production' && value === devDefault) reader.problem(`${name} is the public development default; set a real secret`);
  return value;
}
