import { ConfigError } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { readConsoleConfig } from './console/console-config.js';
import { startConsoleServer } from './console-server.js';

/**
 * `npm run start:console`: the console server on its own, in front of a gateway running
 * elsewhere (CONSOLE_GATEWAY_URL). Build the console first (`npm run build:web`). In production
 * it offers no demo sign-in: people paste a token from the identity provider.
 */
try {
  const config = readConsoleConfig(process.env);
  const logger = createLogger('console', process.env.LOG_LEVEL ?? 'info');
  const running = await startConsoleServer(config, logger);
  console.log(`needtoknow console: ${running.url} (API passed to ${config.gatewayOrigin}${config.devSignIn ? '; demo sign-in on' : ''})`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
