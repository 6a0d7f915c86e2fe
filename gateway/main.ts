import { createLogger } from '../platform/logger.js';
import { onShutdown } from '../stack/shutdown.js';
import { readGatewayConfig } from './config.js';
import { startGateway } from './start-gateway.js';

// The gateway as its own process (docker-compose, production).
try {
  const { config } = readGatewayConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const running = await startGateway({ config, logger });
  onShutdown(logger, () => running.close());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
