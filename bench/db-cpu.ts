/**
 * The database's CPU time, read from /proc (Linux), so the bench can say what each stack's
 * load cost the database per request, not only the stack itself.
 *
 * Which processes: those named by `--db-pids` / BENCH_DB_PIDS, else the process listening on
 * MONGODB_URI's port when that is on this machine (FerretDB or mongod). When that is FerretDB
 * on its PostgreSQL backend (`--handler=postgresql`), the PostgreSQL backends serving its
 * database are added: their process titles name the database, so other databases on the same
 * server (other users of the machine) are not counted.
 *
 * Each process counts its own time and that of its children it has reaped (utime + stime +
 * cutime + cstime). A PostgreSQL backend that exits between two samples takes its time with it;
 * FerretDB keeps a pool of connections, so under load its backends live throughout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface DatabaseProcesses {
  /** The processes sampled every time (FerretDB, mongod, or as given). */
  readonly pids: readonly number[];
  /** What they are, as far as can be told: `ferretdb (sqlite)`, `ferretdb (postgresql)`, `mongod`, … */
  readonly backend: string;
  /** With FerretDB on PostgreSQL: the database whose backends are added at each sample. */
  readonly postgresDatabase?: string;
  /** How they were found, for the results. */
  readonly foundBy: string;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime + cutime + cstime of one process, in clock ticks; 0 when it is gone. */
function processTicks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of the whole line (utime, stime, cutime, cstime) are 11-14 after the name.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** PostgreSQL backends serving `database` (their titles read `postgres: [cluster: ]user database host(port) state`). */
function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const pid of allPids()) {
    const title = readText(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ').trim();
    if (!title?.startsWith('postgres: ')) continue;
    const match = /^postgres: (?:[^:]+: )?(\S+) (\S+) /.exec(title);
    if (match?.[2] === database) pids.push(pid);
  }
  return pids;
}

/** The pid listening on 127.0.0.1/::1/0.0.0.0 `port`, if it is a process this user can see. */
function listenerOf(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readText(table) ?? '').split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      // State 0A is LISTEN; the port is the hex after the colon.
      if (!local || columns[3] !== '0A' || Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      if (columns[9]) inodes.add(columns[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // The descriptor closed while being read.
      }
    }
  }
  return undefined;
}

function describe(pid: number): { backend: string; postgresDatabase?: string } {
  const args = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter((a) => a !== '');
  const program = args[0]?.split('/').pop() ?? readText(`/proc/${pid}/comm`)?.trim() ?? 'unknown';
  if (/ferretdb/i.test(program)) {
    const handler = args.find((a) => a.startsWith('--handler='))?.slice('--handler='.length) ?? 'unknown handler';
    const url = args.find((a) => a.startsWith('--postgresql-url='))?.slice('--postgresql-url='.length);
    const postgresDatabase = handler === 'postgresql' && url ? decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) : undefined;
    return { backend: `ferretdb (${handler})`, ...(postgresDatabase ? { postgresDatabase } : {}) };
  }
  return { backend: program };
}

export function parsePidList(value: string): number[] | string {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0 || items.some((s) => !/^\d{1,9}$/.test(s))) return `expected process ids separated by commas, got "${value}"`;
  return items.map(Number);
}

/**
 * The database processes to sample, or undefined when none can be found (not Linux, a remote
 * server, or another user's process): the bench then reports no database CPU.
 */
export function findDatabaseProcesses(uri: string, given: readonly number[] | undefined): DatabaseProcesses | undefined {
  if (process.platform !== 'linux') return undefined;
  if (given && given.length > 0) {
    const described = given.map(describe);
    const ferret = described.find((d) => d.backend.startsWith('ferretdb'));
    return {
      pids: given,
      backend: [...new Set(described.map((d) => d.backend))].join(', '),
      ...(ferret?.postgresDatabase ? { postgresDatabase: ferret.postgresDatabase } : {}),
      foundBy: 'given (--db-pids or BENCH_DB_PIDS)',
    };
  }
  let host: string;
  let port: number;
  try {
    const parsed = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
    host = parsed.hostname;
    port = Number(parsed.port || 27017);
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) return undefined;
  const pid = listenerOf(port);
  if (pid === undefined) return undefined;
  return { pids: [pid], ...describe(pid), foundBy: `the process listening on port ${port}` };
}

/** The database processes' CPU time so far, in clock ticks, per process. */
export type DatabaseCpuSample = ReadonlyMap<number, number>;

export function sampleDatabaseCpu(db: DatabaseProcesses): DatabaseCpuSample {
  const pids = new Set(db.pids);
  if (db.postgresDatabase) for (const pid of postgresBackends(db.postgresDatabase)) pids.add(pid);
  return new Map([...pids].map((pid) => [pid, processTicks(pid)]));
}

/**
 * CPU ms the database used between two samples: each process alive at the end, less what it
 * had used at the start (nothing, if it started since). A process gone by the end took its
 * time with it; it is left out rather than counted negative.
 */
export function databaseCpuMsBetween(before: DatabaseCpuSample, after: DatabaseCpuSample): number {
  let ticks = 0;
  for (const [pid, now] of after) {
    if (now === 0) continue;
    ticks += Math.max(0, now - (before.get(pid) ?? 0));
  }
  return (ticks * 1000) / clockTicks();
}
