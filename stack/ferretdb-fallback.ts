import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` on a machine that cannot download `mongod`: build (once, cached) and start
 * FerretDB 1.x with its SQLite backend, exactly as CI does (scripts/ferretdb/ferretdb.sh). Its
 * data lives in the cache folder, so the demo data survives a restart.
 */

const SCRIPT = fileURLToPath(new URL('../scripts/ferretdb/ferretdb.sh', import.meta.url));

export interface LocalFerretDb {
  readonly uri: string;
  stop(): Promise<void>;
}

export function ferretDbDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.NEEDTOKNOW_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'needtoknow');
  return join(cache, 'ferretdb-data');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts FerretDB, building it first if needed (Go required then); rejects with the script's own words. */
export async function startLocalFerretDb(): Promise<LocalFerretDb> {
  const port = await freePort();
  const dir = ferretDbDataDir();
  const pid = await new Promise<number>((resolve, reject) => {
    // Building takes a few minutes the first time: its progress goes to the terminal.
    const child = execFile('bash', [SCRIPT, 'start', dir, String(port)], { timeout: 15 * 60_000 }, (error, stdout, stderr) => {
      const value = Number(stdout.trim().split('\n').at(-1));
      if (error || !Number.isInteger(value) || value <= 0)
        reject(new Error((stderr.trim() || error?.message || 'ferretdb.sh start failed').split('\n').slice(-5).join('\n')));
      else resolve(value);
    });
    child.stderr?.pipe(process.stderr);
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}
