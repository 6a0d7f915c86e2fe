/**
 * npm run bench [-- --size demo|bench] [--duration S] [--warmup S] [--connections N]
 *                  [--scenarios a,b,...] [--reuse-prefix P] [--keep] [--db-pids P,...]
 *                  [--results-dir DIR]
 *
 * What redaction costs, and what a peer gateway costs: the same operations, under load, against
 * needtoknow with redaction on, the same gateway with it off, and GraphQL Hive Gateway over the
 * same supergraph and the same subgraph processes (its in-flight deduplication off, and its
 * defaults), over the same databases, in one run. Prints requests/s, latency percentiles, the
 * stack's and the database's CPU per request for each, and their ratios; writes them to
 * bench/results/ (bench/results-files.ts).
 *
 * A benchmark, not a test: it asserts no time. It fails (exit 1) only when an answer is wrong:
 * any response that is not 200, carries `errors`, times out, or differs between the stacks.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { MongoClient } from 'mongodb';
import { mintDevToken } from '../gateway/auth/mint-dev-token.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../platform/secrets.js';
import { SEED_SIZE_NAMES, SEED_SIZES, type SeedSize } from '../seed/generate.js';
import { seedDatabases } from '../seed/write.js';
import { audienceOf } from '../shield/audience.js';
import { createIdCodec } from '../gateway/ids/opaque-ids.js';
import type { Principal } from '../shield/roles.js';
import { CLIENT_COLLECTIONS } from '../subgraphs/clients/documents.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import type { ChildMessage, ChildRequest } from './child-protocol.js';
import { databaseCpuMsBetween, findDatabaseProcesses, parsePidList, sampleDatabaseCpu, type DatabaseProcesses } from './db-cpu.js';
import { ratio, STACK_KEYS, STACK_LABELS, writeResults, type Measured, type RunRecord, type ScenarioRecord, type StackKey } from './results-files.js';
import { SCENARIOS, type IdFor, type Scenario, type StackKind } from './scenarios.js';
import { perSubgraph, STACK_DATABASES, SUBGRAPH_NAMES } from '../subgraphs/registry.js';

// The gateway's development token settings (gateway/config.ts defaults), which the stacks use.
const TOKEN_ISSUER = 'needtoknow-dev';
const TOKEN_AUDIENCE = 'needtoknow';
const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const STACK_START_TIMEOUT_MS = 10 * 60_000;
const IDLE_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_S = 30;
const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const USAGE = `usage: npm run bench [-- options]

Measures what the gateway's redaction costs, and how it compares with a peer gateway: the same
operations against needtoknow with redaction on, with it off, and GraphQL Hive Gateway over the
same supergraph and subgraphs (in-flight deduplication off, and its defaults), over the same
databases, in one run. Writes the figures to bench/results/.

options:
  --size demo|bench     data set to seed (default demo: ${describeSize('demo')};
                        bench: ${describeSize('bench')}, ~150 s to seed on FerretDB)
  --duration S          seconds of load per measured run (default 10)
  --warmup S            seconds of load per stack and scenario before measuring (default 2)
  --connections N       concurrent connections, 1-64 (default 10; 8-16 suits loopback)
  --scenarios a,b,...   only these scenarios (default all: ${SCENARIOS.map((s) => s.key).join(',')})
  --reuse-prefix P      use databases <P>clients, <P>hr, <P>consent as they are: no seeding,
                        no dropping (e.g. from an earlier --keep run, or from
                        MONGODB_DB_PREFIX=P npm run seed -- --size bench)
  --keep                do not drop the databases at the end; prints the prefix to reuse
  --db-pids P,...       the database's process ids, for its CPU per request (default: the
                        process listening on MONGODB_URI's port, when it is on this machine;
                        with FerretDB on PostgreSQL, its database's backends are added)
  --results-dir DIR     where the run's .json and .md go (default bench/results/)

environment:
  MONGODB_URI           required: a MongoDB or FerretDB server, e.g. mongodb://127.0.0.1:27017/
                        (README.md, "Running without internet")
  BENCH_DB_PIDS         as --db-pids`;

/** The commit the bench runs from, so a committed result says what it measured. */
function gitCommit(): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null
    );
  } catch {
    return null;
  }
}

function describeSize(size: SeedSize): string {
  const c = SEED_SIZES[size];
  return `${c.clients.toLocaleString('en-GB')} clients, ${c.caseNotes.toLocaleString('en-GB')} notes`;
}

interface Options {
  size: SeedSize;
  sizeGiven: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
  scenarios: readonly Scenario[];
  reusePrefix: string | undefined;
  keep: boolean;
  dbPids: readonly number[] | undefined;
  resultsDir: string;
}

type Parsed = { ok: true; options: Options } | { ok: false; help: boolean; error?: string };

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  const options: Options = {
    size: 'demo',
    sizeGiven: false,
    durationS: 10,
    warmupS: 2,
    connections: 10,
    scenarios: SCENARIOS,
    reusePrefix: undefined,
    keep: false,
    dbPids: undefined,
    resultsDir: DEFAULT_RESULTS_DIR,
  };
  const envPids = env.BENCH_DB_PIDS?.trim();
  if (envPids) {
    const pids = parsePidList(envPids);
    if (typeof pids === 'string') return { ok: false, help: false, error: `BENCH_DB_PIDS: ${pids}` };
    options.dbPids = pids;
  }
  const tokens = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a]));
  const seconds = (flag: string, value: string, min: number): number | string => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > 600) return `${flag} must be a number of seconds from ${min} to 600, got "${value}"`;
    return n;
  };
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i];
    if (flag === '--help' || flag === '-h') return { ok: false, help: true };
    if (flag === '--keep') {
      options.keep = true;
      continue;
    }
    if (!['--size', '--duration', '--warmup', '--connections', '--scenarios', '--reuse-prefix', '--db-pids', '--results-dir'].includes(flag ?? '')) {
      return { ok: false, help: false, error: `unknown argument "${flag}"` };
    }
    const value = tokens[++i];
    if (value === undefined) return { ok: false, help: false, error: `${flag} needs a value` };
    switch (flag) {
      case '--size':
        if (!(SEED_SIZE_NAMES as readonly string[]).includes(value)) {
          return { ok: false, help: false, error: `--size must be one of ${SEED_SIZE_NAMES.join(', ')}, got "${value}"` };
        }
        options.size = value as SeedSize;
        options.sizeGiven = true;
        break;
      case '--duration':
      case '--warmup': {
        const n = seconds(flag, value, flag === '--duration' ? 1 : 0);
        if (typeof n === 'string') return { ok: false, help: false, error: n };
        if (flag === '--duration') options.durationS = n;
        else options.warmupS = n;
        break;
      }
      case '--connections': {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n < 1 || n > 64)
          return { ok: false, help: false, error: `--connections must be a whole number from 1 to 64, got "${value}"` };
        options.connections = n;
        break;
      }
      case '--scenarios': {
        const keys = value
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k !== '');
        const unknown = keys.filter((k) => !SCENARIOS.some((s) => s.key === k));
        if (keys.length === 0 || unknown.length > 0) {
          return { ok: false, help: false, error: `--scenarios takes keys from ${SCENARIOS.map((s) => s.key).join(',')}, got "${value}"` };
        }
        options.scenarios = SCENARIOS.filter((s) => keys.includes(s.key));
        break;
      }
      case '--reuse-prefix':
        if (!PREFIX_PATTERN.test(value))
          return { ok: false, help: false, error: `--reuse-prefix may contain only letters, digits, _ and - (at most 40), got "${value}"` };
        options.reusePrefix = value;
        break;
      case '--db-pids': {
        const pids = parsePidList(value);
        if (typeof pids === 'string') return { ok: false, help: false, error: `--db-pids: ${pids}` };
        options.dbPids = pids;
        break;
      }
      case '--results-dir':
        options.resultsDir = value;
        break;
    }
  }
  return { ok: true, options };
}

// ---------------------------------------------------------------------------------------------
// The stacks: needtoknow's two each in a process of its own (bench/stack-process.ts), Hive's two
// each in a process of its own (bench/peer-process.ts) over the redaction-off stack's subgraphs

interface ProcessStatus {
  readonly micros: number;
  readonly at: number;
  readonly inFlight: number;
}

class ChildHandle {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (status: ProcessStatus) => void>();
  #nextId = 1;
  #exited: Promise<void>;
  url = '';
  subgraphs: Readonly<Record<SubgraphName, string>> | undefined;

  constructor(
    /** For messages: "the redaction-on stack". */
    readonly name: string,
    script: string,
    args: readonly string[],
  ) {
    // execArgv is inherited, so the child runs under tsx like this process.
    this.#child = fork(fileURLToPath(new URL(script, import.meta.url)), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.on('message', (raw: unknown) => {
      const message = raw as ChildMessage;
      if (message.type === 'status') {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      }
    });
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${this.name} did not start within ${STACK_START_TIMEOUT_MS / 1000} s`)), STACK_START_TIMEOUT_MS);
      const onMessage = (raw: unknown) => {
        const message = raw as ChildMessage;
        if (message.type === 'ready') {
          this.url = message.url;
          this.subgraphs = message.subgraphs;
          done();
          resolve();
        } else if (message.type === 'failed') {
          fail(new Error(`${this.name} failed to start: ${message.message}`));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail(new Error(`${this.name} exited while starting (${signal ?? `code ${code}`})`));
      const done = () => {
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
      };
      const fail = (error: Error) => {
        done();
        reject(error);
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
    });
  }

  /** CPU time the process has used (gateway and subgraphs), and requests in flight. */
  status(): Promise<ProcessStatus> {
    if (!this.running) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name} did not answer`));
      }, 10_000);
      this.#pending.set(id, (status) => {
        clearTimeout(timer);
        resolve(status);
      });
      this.#child.send({ type: 'status', id } satisfies ChildRequest);
    });
  }

  async close(): Promise<void> {
    if (!this.running) return;
    if (this.#child.connected) this.#child.send({ type: 'close' } satisfies ChildRequest);
    const timedOut = await Promise.race([this.#exited.then(() => false), sleep(15_000).then(() => true)]);
    if (timedOut && this.running) {
      this.#child.kill('SIGKILL');
      await this.#exited;
    }
  }
}

/** One of the four stacks under load: where to send requests, and whose CPU it costs. */
interface Stack {
  readonly key: StackKey;
  readonly url: string;
  /** Which ids the stack takes: opaque ones (redaction on) or raw ones (every other). */
  readonly ids: StackKind;
  /** The processes doing its work: for Hive, its own and the subgraphs' (the redaction-off stack's). */
  readonly processes: readonly ChildHandle[];
}

/**
 * Waits until every process has stopped working: autocannon abandons the requests in flight when
 * a run ends, and the servers finish them anyway (the database too); that work must not eat
 * into the next run. Quiet means no request in flight and under 5% CPU for 200 ms.
 */
async function waitIdle(processes: readonly ChildHandle[]): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  const busyOnes: string[] = [];
  for (const child of processes) {
    let previous = await child.status();
    let quiet = false;
    let state = '';
    while (Date.now() < deadline) {
      await sleep(200);
      const now = await child.status();
      const busy = (now.micros - previous.micros) / ((now.at - previous.at) * 1000);
      quiet = previous.inFlight === 0 && now.inFlight === 0 && busy < 0.05;
      state = `${now.inFlight} in flight, ${Math.round(busy * 100)}% CPU`;
      previous = now;
      if (quiet) break;
    }
    if (!quiet) busyOnes.push(`${child.name}: ${state || 'not sampled'}`);
  }
  if (busyOnes.length > 0) console.log(`  (still busy after ${IDLE_TIMEOUT_MS / 1000} s, measuring anyway: ${busyOnes.join('; ')})`);
}

// ---------------------------------------------------------------------------------------------
// One request, checked in full, and load, checked response by response

interface Target {
  readonly stack: Stack;
  readonly scenario: Scenario;
  readonly token: string;
  readonly body: string;
}

function headers(token: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}

/** Replaces every `id` with a placeholder: ids are opaque on one stack and raw on the other. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'id' && typeof v === 'string' ? '<id>' : withoutIds(v)]));
  }
  return value;
}

/** JSON with every object's keys sorted: two answers compare equal whatever order their fields came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

async function probe(target: Target): Promise<{ data: Record<string, unknown>; summary: string; bytes: number }> {
  const where = `scenario ${target.scenario.key} on ${STACK_LABELS[target.stack.key]}`;
  const response = await fetch(target.stack.url, { method: 'POST', headers: headers(target.token), body: target.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${where}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const parsed = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  if (parsed.errors !== undefined) throw new Error(`${where}: the answer has errors: ${JSON.stringify(parsed.errors).slice(0, 1000)}`);
  if (!parsed.data) throw new Error(`${where}: the answer has no data`);
  let summary: string;
  try {
    summary = target.scenario.summarise(parsed.data);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { data: parsed.data, summary, bytes: Buffer.byteLength(text) };
}

interface LoadOutcome {
  readonly result: autocannon.Result;
  readonly responses: number;
  readonly cpuMicros: number;
  /** undefined when the database's processes are not known. */
  readonly dbCpuMs: number | undefined;
  /** What was wrong, empty when every response was a 200 without errors. */
  readonly problems: readonly string[];
}

async function stackCpuMicros(stack: Stack): Promise<number> {
  const statuses = await Promise.all(stack.processes.map((child) => child.status()));
  return statuses.reduce((sum, status) => sum + status.micros, 0);
}

async function load(target: Target, seconds: number, connections: number, db: DatabaseProcesses | undefined): Promise<LoadOutcome> {
  let responses = 0;
  let non200 = 0;
  let withErrors = 0;
  let sample: string | undefined;
  const before = await stackCpuMicros(target.stack);
  const dbBefore = db ? sampleDatabaseCpu(db) : undefined;
  const result = await autocannon({
    url: target.stack.url,
    connections,
    duration: seconds,
    timeout: REQUEST_TIMEOUT_S,
    requests: [
      {
        method: 'POST',
        path: new URL(target.stack.url).pathname,
        headers: headers(target.token),
        body: target.body,
        onResponse: (status, body) => {
          responses += 1;
          if (status !== 200) {
            non200 += 1;
            sample ??= `HTTP ${status}: ${body.slice(0, 300)}`;
          } else if (body.includes('"errors":')) {
            // `"errors":` can only be the top-level key: inside a JSON string the quotes are escaped.
            withErrors += 1;
            sample ??= body.slice(0, 300);
          }
        },
      },
    ],
  });
  const after = await stackCpuMicros(target.stack);
  const dbCpuMs = db && dbBefore ? databaseCpuMsBetween(dbBefore, sampleDatabaseCpu(db)) : undefined;
  const problems: string[] = [];
  if (non200 > 0 || result.non2xx > 0) problems.push(`${Math.max(non200, result.non2xx)} responses not 200`);
  if (withErrors > 0) problems.push(`${withErrors} responses with errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts (${REQUEST_TIMEOUT_S} s)`);
  if (result.errors - result.timeouts > 0) problems.push(`${result.errors - result.timeouts} connection errors`);
  if (sample !== undefined) problems.push(`first bad response: ${sample}`);
  return { result, responses, cpuMicros: after - before, dbCpuMs, problems };
}

// ---------------------------------------------------------------------------------------------
// Reporting

function measured(outcome: LoadOutcome): Measured {
  const { result, responses } = outcome;
  const per = Math.max(1, responses);
  return {
    reqPerS: result.requests.mean,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    stackCpuMsPerReq: outcome.cpuMicros / 1000 / per,
    dbCpuMsPerReq: outcome.dbCpuMs === undefined ? null : outcome.dbCpuMs / per,
    bytesPerResp: result.throughput.total / per,
    requests: responses,
  };
}

function renderTable(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < leftAligned ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (n: number) => n.toFixed(1);
const SHORT_LABELS: Readonly<Record<StackKey, string>> = { on: 'on', off: 'off', 'hive-nodedup': 'Hive dedup off', hive: 'Hive defaults' };

function report(scenarios: readonly ScenarioRecord[]): string {
  const header = ['scenario', 'stack', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'CPU ms/req', 'db ms/req', 'bytes/resp', 'requests'];
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    let first = true;
    for (const key of STACK_KEYS) {
      const m = scenario.stacks[key];
      if (!m) continue;
      rows.push([
        first ? `${scenario.key} ${scenario.title}` : '',
        SHORT_LABELS[key],
        m.reqPerS.toFixed(1),
        ms(m.p50),
        ms(m.p975),
        ms(m.p99),
        m.stackCpuMsPerReq.toFixed(2),
        m.dbCpuMsPerReq === null ? 'n/a' : m.dbCpuMsPerReq.toFixed(2),
        Math.round(m.bytesPerResp).toLocaleString('en-GB'),
        m.requests.toLocaleString('en-GB'),
      ]);
      first = false;
    }
    const ratios = (label: string, a: Measured | undefined, b: Measured | undefined) => [
      '',
      label,
      ratio(a?.reqPerS, b?.reqPerS),
      ratio(a?.p50, b?.p50),
      ratio(a?.p975, b?.p975),
      ratio(a?.p99, b?.p99),
      ratio(a?.stackCpuMsPerReq, b?.stackCpuMsPerReq),
      ratio(a?.dbCpuMsPerReq, b?.dbCpuMsPerReq),
      ratio(a?.bytesPerResp, b?.bytesPerResp),
      '',
    ];
    rows.push(ratios('on/off', scenario.stacks.on, scenario.stacks.off));
    rows.push(ratios('on/Hive dedup off', scenario.stacks.on, scenario.stacks['hive-nodedup']));
  }
  return renderTable(header, rows, 2);
}

// ---------------------------------------------------------------------------------------------

let mongo: MongoClient | undefined;
let prefix: string | undefined;
let dropAtEnd = false;
const processes: ChildHandle[] = [];
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    // The peers first: they send to the redaction-off stack's subgraphs.
    for (const child of [...processes].reverse()) await child.close().catch(() => undefined);
    if (mongo && prefix && dropAtEnd) {
      // The audit trail the redacting gateway wrote goes too.
      for (const name of STACK_DATABASES) {
        await mongo
          .db(databaseName(prefix, name))
          .dropDatabase()
          .catch((error: unknown) =>
            console.error(`bench: could not drop ${databaseName(prefix ?? '', name)}: ${error instanceof Error ? error.message : String(error)}`),
          );
      }
      console.log(`bench: dropped ${STACK_DATABASES.map((name) => databaseName(prefix ?? '', name)).join(', ')}`);
    } else if (prefix) {
      console.log(`bench: kept ${SUBGRAPH_NAMES.map((name) => databaseName(prefix ?? '', name)).join(', ')} (reuse with --reuse-prefix ${prefix})`);
    }
    await mongo?.close().catch(() => undefined);
  })();
  return cleaning;
}

async function startChild(name: string, script: string, args: readonly string[]): Promise<ChildHandle> {
  console.log(`bench: starting ${name}…`);
  const child = new ChildHandle(name, script, args);
  processes.push(child);
  await child.ready();
  return child;
}

/** How a stack's answer must compare with the redaction-off stack's before it is loaded. */
const CHECKS: Readonly<Record<StackKey, string>> = {
  on: 'redaction on: the same data as redaction off, ids aside (opaque on one, raw on the other)',
  off: 'redaction off: the reference',
  'hive-nodedup': 'Hive: the same data as redaction off, ids included (both raw)',
  hive: 'Hive: the same data as redaction off, ids included (both raw)',
};

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    console.error(`bench: ${parsed.error ?? 'bad arguments'}\n\n${USAGE}`);
    return 2;
  }
  const options = parsed.options;
  const uri = process.env.MONGODB_URI?.trim();
  if (!uri) {
    console.error(
      'bench: MONGODB_URI is not set. Point it at a running MongoDB or FerretDB server; where mongod\n' +
        'cannot be downloaded, start FerretDB as README.md "Running without internet" shows, then:\n' +
        '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench',
    );
    return 2;
  }
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();

  const client = await connectMongo(uri, 'needtoknow-bench');
  mongo = client;
  const dbs = (p: string) => perSubgraph((name) => client.db(databaseName(p, name)));
  let dataDescription: string;
  let size: string = options.size;
  if (options.reusePrefix !== undefined) {
    const reused = options.reusePrefix;
    if (options.sizeGiven) console.log('bench: --size is ignored with --reuse-prefix');
    const clients = await dbs(reused).clients.collection(CLIENT_COLLECTIONS.clients).estimatedDocumentCount();
    if (clients === 0) {
      console.error(`bench: nothing is seeded under prefix "${reused}" (${reused}clients has no clients)`);
      return 2;
    }
    prefix = reused;
    size = SEED_SIZE_NAMES.find((name) => SEED_SIZES[name].clients === clients) ?? `${clients}-clients`;
    dataDescription = `reused ${prefix}* (${clients.toLocaleString('en-GB')} clients)`;
  } else {
    prefix = `bench_${randomBytes(4).toString('hex')}_`;
    dropAtEnd = !options.keep;
    const started = Date.now();
    console.log(
      `bench: seeding size=${options.size} into ${redactMongoUri(uri)} (${SUBGRAPH_NAMES.map((name) => databaseName(prefix ?? '', name)).join(', ')})…`,
    );
    await seedDatabases(dbs(prefix), { size: options.size, now: new Date() }, (msg) => console.log(`  seed: ${msg}`));
    console.log(`bench: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    dataDescription = `${options.size} (${describeSize(options.size)}) in ${prefix}*`;
  }

  const db = findDatabaseProcesses(uri, options.dbPids);
  const dbSampled = db
    ? `processes ${db.pids.join(', ')} (${db.foundBy})${db.postgresDatabase ? ` and the PostgreSQL backends of database ${db.postgresDatabase}` : ''}`
    : 'not sampled (the database is not a process on this machine this user can see; name it with --db-pids)';

  // Two at a time: the peers need the redaction-off stack's subgraphs to be listening.
  const [stackOn, stackOff] = await Promise.all([
    startChild('the redaction-on stack', './stack-process.ts', ['--redaction', 'on', '--prefix', prefix]),
    startChild('the redaction-off stack', './stack-process.ts', ['--redaction', 'off', '--prefix', prefix]),
  ]);
  if (!stackOff.subgraphs) throw new Error('the redaction-off stack did not say where its subgraphs listen');
  const subgraphsJson = JSON.stringify(stackOff.subgraphs);
  const [hiveNoDedup, hiveDefault] = await Promise.all([
    startChild('Hive Gateway (dedup off)', './peer-process.ts', ['--dedup', 'off', '--prefix', prefix, '--subgraphs', subgraphsJson]),
    startChild('Hive Gateway (defaults)', './peer-process.ts', ['--dedup', 'default', '--prefix', prefix, '--subgraphs', subgraphsJson]),
  ]);
  const stacks: Readonly<Record<StackKey, Stack>> = {
    on: { key: 'on', url: stackOn.url, ids: 'on', processes: [stackOn] },
    off: { key: 'off', url: stackOff.url, ids: 'off', processes: [stackOff] },
    'hive-nodedup': { key: 'hive-nodedup', url: hiveNoDedup.url, ids: 'off', processes: [hiveNoDedup, stackOff] },
    hive: { key: 'hive', url: hiveDefault.url, ids: 'off', processes: [hiveDefault, stackOff] },
  };

  const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
  const idFor: IdFor = (stack, principal, typeName, rawId) => (stack === 'on' ? codec.encode(audienceOf(principal), typeName, rawId) : rawId);
  const token = (principal: Principal) => mintDevToken({ principal, secret: DEV_JWT_SECRET, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: '4h' });

  const autocannonVersion = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const hiveVersion = (createRequire(import.meta.url)('@graphql-hive/gateway/package.json') as { version: string }).version;
  const cpus = os.cpus();
  const perScenarioS = STACK_KEYS.length * (options.warmupS + options.durationS);
  console.log(`
needtoknow bench: redaction on vs off, and GraphQL Hive Gateway ${hiveVersion} over the same subgraphs
  data:     ${dataDescription}, MongoDB at ${redactMongoUri(uri)}
  database: ${db?.backend ?? 'unknown'}; CPU ${dbSampled}
  load:     autocannon ${autocannonVersion}, ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s measured per stack and scenario,
            order rotating between scenarios; about ${Math.ceil((perScenarioS * options.scenarios.length) / 10) * 10} s of load in all
  stacks:   on ${stackOn.url}  off ${stackOff.url}
            Hive dedup off ${hiveNoDedup.url}  Hive defaults ${hiveDefault.url} (one process each; load from this process)
  machine:  ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average ${loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}
`);

  const scenarios: ScenarioRecord[] = [];
  const failures: string[] = [];
  for (const [index, scenario] of options.scenarios.entries()) {
    const principalToken = await token(scenario.principal);
    const target = (key: StackKey): Target => ({
      stack: stacks[key],
      scenario,
      token: principalToken,
      body: JSON.stringify({ query: scenario.query, variables: scenario.variables(stacks[key].ids, idFor) }),
    });
    const targets = Object.fromEntries(STACK_KEYS.map((key) => [key, target(key)])) as Record<StackKey, Target>;

    // One request each, checked in full: no errors, enough data, the same data on every stack.
    const probes = {} as Record<StackKey, Awaited<ReturnType<typeof probe>>>;
    for (const key of STACK_KEYS) probes[key] = await probe(targets[key]);
    const reference = probes.off.data;
    if (JSON.stringify(withoutIds(probes.on.data)) !== JSON.stringify(withoutIds(reference))) {
      throw new Error(`scenario ${scenario.key}: redaction on and off answer differently (ids aside); the comparison would not be like for like`);
    }
    for (const key of ['hive-nodedup', 'hive'] as const) {
      if (canonicalJson(probes[key].data) !== canonicalJson(reference)) {
        throw new Error(`scenario ${scenario.key}: ${STACK_LABELS[key]} answers differently from redaction off; the comparison would not be like for like`);
      }
    }
    console.log(
      `${scenario.key} ${scenario.title}: ${probes.on.summary}; ${STACK_KEYS.map((key) => `${probes[key].bytes.toLocaleString('en-GB')} bytes ${SHORT_LABELS[key]}`).join(', ')}`,
    );

    // Each stack goes first in turn, so none is always measured on a machine the last one warmed.
    const order = STACK_KEYS.map((_, i) => STACK_KEYS[(i + index) % STACK_KEYS.length] as StackKey);
    const outcomes: Partial<Record<StackKey, LoadOutcome>> = {};
    if (options.warmupS > 0) {
      for (const key of order) {
        // The requests a warm-up abandons when it ends still run to completion (waitIdle
        // before each measured run), so even a slow operation warms every connection's path.
        await waitIdle(processes);
        const warm = await load(targets[key], options.warmupS, options.connections, undefined);
        for (const problem of warm.problems) failures.push(`${scenario.key} ${SHORT_LABELS[key]} (warm-up): ${problem}`);
      }
    }
    for (const key of order) {
      await waitIdle(processes);
      const outcome = await load(targets[key], options.durationS, options.connections, db);
      outcomes[key] = outcome;
      if (outcome.responses === 0) failures.push(`${scenario.key} ${SHORT_LABELS[key]}: no response within ${options.durationS} s; raise --duration`);
      for (const problem of outcome.problems) failures.push(`${scenario.key} ${SHORT_LABELS[key]}: ${problem}`);
      const m = measured(outcome);
      console.log(
        `  ${SHORT_LABELS[key].padEnd(14)} ${m.requests.toLocaleString('en-GB').padStart(7)} requests  ${m.reqPerS.toFixed(1).padStart(7)} req/s  p50 ${ms(m.p50)} ms  p99 ${ms(m.p99)} ms${outcome.problems.length > 0 ? '  FAILED' : ''}`,
      );
    }
    scenarios.push({
      key: scenario.key,
      title: scenario.title,
      summary: probes.on.summary,
      checked: `Checked before loading: ${CHECKS.on}; ${CHECKS['hive-nodedup']}.`,
      stacks: Object.fromEntries(STACK_KEYS.flatMap((key) => (outcomes[key] ? [[key, measured(outcomes[key])]] : []))),
    });
  }

  console.log(`\n${report(scenarios)}\n`);
  console.log(
    'on = redaction (operation rewrite, graphql-shield re-execution) and the audit write it makes; off = the same gateway without either;\n' +
      "Hive = GraphQL Hive Gateway over the same supergraph and the redaction-off stack's subgraphs, claims signed as ours, no redaction.\n" +
      "CPU is the stack's processes (gateway and subgraphs; for Hive its process plus the subgraphs') per request; db the database's.\n" +
      'bytes/resp include headers (opaque ids are longer than raw ones). One run on a shared machine: compare the ratios, not the absolute numbers.',
  );

  const run: RunRecord = {
    format: 'needtoknow-bench/1',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ok: failures.length === 0,
    failures,
    commit: gitCommit(),
    size,
    data: dataDescription,
    machine: {
      cores: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg(),
    },
    database: { uri: redactMongoUri(uri), backend: db?.backend ?? null, cpuSampled: dbSampled },
    load: { tool: `autocannon ${autocannonVersion}`, connections: options.connections, warmupS: options.warmupS, durationS: options.durationS },
    stacks: {
      ...STACK_LABELS,
      'hive-nodedup': `${STACK_LABELS['hive-nodedup']} (@graphql-hive/gateway ${hiveVersion})`,
      hive: `${STACK_LABELS.hive} (@graphql-hive/gateway ${hiveVersion})`,
    },
    scenarios,
  };
  const written = writeResults(options.resultsDir, run);
  console.log(`bench: wrote ${written.json} and ${written.markdown}${written.latest ? ` (and ${written.latest})` : ''}`);

  if (failures.length > 0) {
    console.error(`\nbench: FAILED: not every response was a 200 without errors\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  console.log('bench: every response was a 200 without errors');
  return 0;
}

let exitCode = 1;
const onSignal = (signal: NodeJS.Signals) => {
  console.error(`bench: ${signal}, cleaning up…`);
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  exitCode = await main();
} catch (error) {
  console.error(`bench: failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
