import { execFile } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * A FerretDB of one's own (scripts/ferretdb/ferretdb.sh), for tests and scripts that kill the
 * database under load and bring it back on the same port and data, as a crash and a restart
 * of the real one would. Only the process it started is ever signalled, by its pid.
 */

const SCRIPT = fileURLToPath(new URL('../ferretdb/ferretdb.sh', import.meta.url));
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class FerretDbProcess {
  readonly dir: string;
  readonly port: number;
  #pid: number | undefined;
  /** Times it was killed. */
  kills = 0;

  constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  /** Starts it (builds it once if needed); resolves when it accepts connections. */
  async start(): Promise<void> {
    const { stdout } = await run('bash', [SCRIPT, 'start', this.dir, String(this.port)], { timeout: 600_000 });
    const pid = Number(stdout.trim().split('\n').pop());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`ferretdb.sh printed no pid: ${stdout}`);
    this.#pid = pid;
  }

  /** SIGKILL, no warning (a crash, not a shutdown); resolves once the port is closed. */
  async kill(): Promise<void> {
    if (this.#pid === undefined) return;
    try {
      process.kill(this.#pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.#pid = undefined;
    this.kills += 1;
    for (let i = 0; i < 100 && (await answers(this.port)); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Stops it for good (tests' cleanup). */
  async stop(): Promise<void> {
    if (this.#pid === undefined) return;
    try {
      process.kill(this.#pid, 'SIGTERM');
    } catch {
      // already gone
    }
    this.#pid = undefined;
  }
}
