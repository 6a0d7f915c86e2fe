/**
 * npm run bench [-- --size demo|bench] [--duration S] [--warmup S] [--connections N]
 *                  [--scenarios a,b,...] [--reuse-prefix P] [--keep]
 *
 * What redaction costs: the same operations, under load, against the gateway with redaction
 * on and against the same gateway with it off, over the same databases, in one run. Prints
 * requests/s, latency percentiles and CPU per request for both, and their ratio.
 *
 * A benchmark, not a test: it asserts no time. It fails (exit 1) only when an answer is wrong:
 * any response that is not 200, carries `errors`, times out, or differs between the stacks.
 */
import { fork, type ChildProcess } from 'node:child_process';
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
import { createIdCodec } from '../shield/opaque-ids.js';
import type { Principal } from '../shield/roles.js';
import { CLIENT_COLLECTIONS } from '../subgraphs/clients/documents.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { SCENARIOS, type IdFor, type Scenario, type StackKind } from './scenarios.js';
import type { ChildMessage, ChildRequest } from './stack-process.js';

// The gateway's development token settings (gateway/config.ts defaults), which the stacks use.
const TOKEN_ISSUER = 'needtoknow-dev';
const TOKEN_AUDIENCE = 'needtoknow';
const SUBGRAPH_NAMES: readonly SubgraphName[] = ['clients', 'hr', 'consent'];
const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const STACK_START_TIMEOUT_MS = 10 * 60_000;
const IDLE_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_S = 30;

const USAGE = `usage: npm run bench [-- options]

Measures what the gateway's redaction costs: the same operations against a stack with
redaction on and one with it off, over the same databases, in one run.

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

environment:
  MONGODB_URI           required: a MongoDB or FerretDB server, e.g. mongodb://127.0.0.1:27017/
                        (README.md, "Running without internet")`;

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
}

type Parsed = { ok: true; options: Options } | { ok: false; help: boolean; error?: string };

function parseArgs(argv: readonly string[]): Parsed {
  const options: Options = {
    size: 'demo',
    sizeGiven: false,
    durationS: 10,
    warmupS: 2,
    connections: 10,
    scenarios: SCENARIOS,
    reusePrefix: undefined,
    keep: false,
  };
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
    if (!['--size', '--duration', '--warmup', '--connections', '--scenarios', '--reuse-prefix'].includes(flag ?? '')) {
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
        if (!/^\d+$/.test(value) || n < 1 || n > 64) return { ok: false, help: false, error: `--connections must be a whole number from 1 to 64, got "${value}"` };
        options.connections = n;
        break;
      }
      case '--scenarios': {
        const keys = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
        const unknown = keys.filter((k) => !SCENARIOS.some((s) => s.key === k));
        if (keys.length === 0 || unknown.length > 0) {
          return { ok: false, help: false, error: `--scenarios takes keys from ${SCENARIOS.map((s) => s.key).join(',')}, got "${value}"` };
        }
        options.scenarios = SCENARIOS.filter((s) => keys.includes(s.key));
        break;
      }
      case '--reuse-prefix':
        if (!PREFIX_PATTERN.test(value)) return { ok: false, help: false, error: `--reuse-prefix may contain only letters, digits, _ and - (at most 40), got "${value}"` };
        options.reusePrefix = value;
        break;
    }
  }
  return { ok: true, options };
}

// ---------------------------------------------------------------------------------------------
// The two stacks, each in a process of its own (bench/stack-process.ts)

interface StackStatus {
  readonly micros: number;
  readonly at: number;
  readonly inFlight: number;
}

class StackProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (status: StackStatus) => void>();
  #nextId = 1;
  #exited: Promise<void>;
  url = '';

  constructor(
    readonly kind: StackKind,
    prefix: string,
  ) {
    const script = fileURLToPath(new URL('./stack-process.ts', import.meta.url));
    // execArgv is inherited, so the child runs under tsx like this process.
    this.#child = fork(script, ['--redaction', kind, '--prefix', prefix], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
      const timer = setTimeout(() => fail(new Error(`the redaction-${this.kind} stack did not start within ${STACK_START_TIMEOUT_MS / 1000} s`)), STACK_START_TIMEOUT_MS);
      const onMessage = (raw: unknown) => {
        const message = raw as ChildMessage;
        if (message.type === 'ready') {
          this.url = message.url;
          done();
          resolve();
        } else if (message.type === 'failed') {
          fail(new Error(`the redaction-${this.kind} stack failed to start: ${message.message}`));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail(new Error(`the redaction-${this.kind} stack exited while starting (${signal ?? `code ${code}`})`));
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

  /** CPU time the stack's process has used (gateway and subgraphs), and requests in flight. */
  status(): Promise<StackStatus> {
    if (!this.running) return Promise.reject(new Error(`the redaction-${this.kind} stack has exited`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`the redaction-${this.kind} stack did not answer`));
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

/**
 * Waits until every stack has stopped working: autocannon abandons the requests in flight when
 * a run ends, and the servers finish them anyway (the database too); that work must not eat
 * into the next run. Quiet means no request in flight and under 5% CPU for 200 ms.
 */
async function waitIdle(stacks: readonly StackProcess[]): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  for (const stack of stacks) {
    let previous = await stack.status();
    while (Date.now() < deadline) {
      await sleep(200);
      const now = await stack.status();
      const busy = (now.micros - previous.micros) / ((now.at - previous.at) * 1000);
      const quiet = previous.inFlight === 0 && now.inFlight === 0 && busy < 0.05;
      previous = now;
      if (quiet) break;
    }
  }
  if (Date.now() >= deadline) console.log(`  (the stacks were still busy after ${IDLE_TIMEOUT_MS / 1000} s; measuring anyway)`);
}

// ---------------------------------------------------------------------------------------------
// One request, checked in full, and load, checked response by response

interface Target {
  readonly stack: StackProcess;
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

async function probe(target: Target): Promise<{ data: Record<string, unknown>; summary: string; bytes: number }> {
  const where = `scenario ${target.scenario.key} on the redaction-${target.stack.kind} stack`;
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
  /** What was wrong, empty when every response was a 200 without errors. */
  readonly problems: readonly string[];
}

async function load(target: Target, seconds: number, connections: number): Promise<LoadOutcome> {
  let responses = 0;
  let non200 = 0;
  let withErrors = 0;
  let sample: string | undefined;
  const before = await target.stack.status();
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
  const after = await target.stack.status();
  const problems: string[] = [];
  if (non200 > 0 || result.non2xx > 0) problems.push(`${Math.max(non200, result.non2xx)} responses not 200`);
  if (withErrors > 0) problems.push(`${withErrors} responses with errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts (${REQUEST_TIMEOUT_S} s)`);
  if (result.errors - result.timeouts > 0) problems.push(`${result.errors - result.timeouts} connection errors`);
  if (sample !== undefined) problems.push(`first bad response: ${sample}`);
  return { result, responses, cpuMicros: after.micros - before.micros, problems };
}

// ---------------------------------------------------------------------------------------------
// Reporting

interface Measured {
  readonly reqPerS: number;
  readonly p50: number;
  readonly p975: number;
  readonly p99: number;
  readonly cpuMsPerReq: number;
  readonly bytesPerResp: number;
  readonly requests: number;
}

function measured(outcome: LoadOutcome): Measured {
  const { result, responses } = outcome;
  return {
    reqPerS: result.requests.mean,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    cpuMsPerReq: outcome.cpuMicros / 1000 / Math.max(1, responses),
    bytesPerResp: result.throughput.total / Math.max(1, responses),
    requests: responses,
  };
}

function renderTable(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i < leftAligned ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (n: number) => n.toFixed(1);
const ratio = (on: number, off: number) => (off > 0 ? `${(on / off).toFixed(2)}x` : 'n/a');

function report(results: readonly { scenario: Scenario; on: Measured; off: Measured; summary: string }[]): string {
  const header = ['scenario', 'stack', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'CPU ms/req', 'bytes/resp', 'requests'];
  const rows: string[][] = [];
  for (const { scenario, on, off } of results) {
    const row = (label: string, kind: string, m: Measured) => [
      label,
      kind,
      m.reqPerS.toFixed(1),
      ms(m.p50),
      ms(m.p975),
      ms(m.p99),
      m.cpuMsPerReq.toFixed(2),
      Math.round(m.bytesPerResp).toLocaleString('en-GB'),
      m.requests.toLocaleString('en-GB'),
    ];
    rows.push(row(`${scenario.key} ${scenario.title}`, 'on', on));
    rows.push(row('', 'off', off));
    rows.push([
      '',
      'on/off',
      ratio(on.reqPerS, off.reqPerS),
      ratio(on.p50, off.p50),
      ratio(on.p975, off.p975),
      ratio(on.p99, off.p99),
      ratio(on.cpuMsPerReq, off.cpuMsPerReq),
      ratio(on.bytesPerResp, off.bytesPerResp),
      '',
    ]);
  }
  return renderTable(header, rows, 2);
}

// ---------------------------------------------------------------------------------------------

let mongo: MongoClient | undefined;
let prefix: string | undefined;
let dropAtEnd = false;
const stacks: StackProcess[] = [];
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const stack of stacks) await stack.close().catch(() => undefined);
    if (mongo && prefix && dropAtEnd) {
      // The audit trail the redacting gateway wrote goes too.
      for (const name of [...SUBGRAPH_NAMES, 'audit']) {
        await mongo
          .db(databaseName(prefix, name))
          .dropDatabase()
          .catch((error: unknown) => console.error(`bench: could not drop ${databaseName(prefix ?? '', name)}: ${error instanceof Error ? error.message : String(error)}`));
      }
      console.log(`bench: dropped ${prefix}clients, ${prefix}hr, ${prefix}consent, ${prefix}audit`);
    } else if (prefix) {
      console.log(`bench: kept ${prefix}clients, ${prefix}hr, ${prefix}consent (reuse with --reuse-prefix ${prefix})`);
    }
    await mongo?.close().catch(() => undefined);
  })();
  return cleaning;
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
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

  const client = await connectMongo(uri, 'needtoknow-bench');
  mongo = client;
  const dbs = (p: string) => ({
    clients: client.db(databaseName(p, 'clients')),
    hr: client.db(databaseName(p, 'hr')),
    consent: client.db(databaseName(p, 'consent')),
  });
  let dataDescription: string;
  if (options.reusePrefix !== undefined) {
    const reused = options.reusePrefix;
    if (options.sizeGiven) console.log('bench: --size is ignored with --reuse-prefix');
    const clients = await dbs(reused).clients.collection(CLIENT_COLLECTIONS.clients).estimatedDocumentCount();
    if (clients === 0) {
      console.error(`bench: nothing is seeded under prefix "${reused}" (${reused}clients has no clients)`);
      return 2;
    }
    prefix = reused;
    dataDescription = `reused ${prefix}* (${clients.toLocaleString('en-GB')} clients)`;
  } else {
    prefix = `bench_${randomBytes(4).toString('hex')}_`;
    dropAtEnd = !options.keep;
    const started = Date.now();
    console.log(`bench: seeding size=${options.size} into ${redactMongoUri(uri)} (${prefix}clients, ${prefix}hr, ${prefix}consent)…`);
    await seedDatabases(dbs(prefix), { size: options.size, now: new Date() }, (msg) => console.log(`  seed: ${msg}`));
    console.log(`bench: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    dataDescription = `${options.size} (${describeSize(options.size)}) in ${prefix}*`;
  }

  for (const kind of ['on', 'off'] as const) {
    console.log(`bench: starting the stack with redaction ${kind}…`);
    const stack = new StackProcess(kind, prefix);
    stacks.push(stack);
    await stack.ready();
  }
  const [stackOn, stackOff] = stacks as [StackProcess, StackProcess];
  const byKind: Record<StackKind, StackProcess> = { on: stackOn, off: stackOff };

  const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
  const idFor: IdFor = (stack, principal, typeName, rawId) => (stack === 'on' ? codec.encode(audienceOf(principal), typeName, rawId) : rawId);
  const token = (principal: Principal) =>
    mintDevToken({ principal, secret: DEV_JWT_SECRET, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: '4h' });

  const autocannonVersion = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const cpus = os.cpus();
  const perScenarioS = 2 * (options.warmupS + options.durationS);
  console.log(`
needtoknow bench: gateway redaction on vs off
  data:     ${dataDescription}, MongoDB at ${redactMongoUri(uri)}
  load:     autocannon ${autocannonVersion}, ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s measured per stack and scenario,
            order alternating between scenarios; about ${Math.ceil((perScenarioS * options.scenarios.length) / 10) * 10} s of load in all
  stacks:   on ${stackOn.url}  off ${stackOff.url} (one process each; load from this process)
  machine:  ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}
`);

  const results: { scenario: Scenario; on: Measured; off: Measured; summary: string }[] = [];
  const failures: string[] = [];
  for (const [index, scenario] of options.scenarios.entries()) {
    const principalToken = await token(scenario.principal);
    const target = (kind: StackKind): Target => ({
      stack: byKind[kind],
      scenario,
      token: principalToken,
      body: JSON.stringify({ query: scenario.query, variables: scenario.variables(kind, idFor) }),
    });
    const targets = { on: target('on'), off: target('off') };

    // One request each, checked in full: no errors, enough data, the same data on both stacks.
    const [probeOn, probeOff] = [await probe(targets.on), await probe(targets.off)];
    if (JSON.stringify(withoutIds(probeOn.data)) !== JSON.stringify(withoutIds(probeOff.data))) {
      throw new Error(`scenario ${scenario.key}: the two stacks answer differently (ids aside); the comparison would not be like for like`);
    }
    console.log(`${scenario.key} ${scenario.title}: ${probeOn.summary}; ${probeOn.bytes.toLocaleString('en-GB')} bytes on, ${probeOff.bytes.toLocaleString('en-GB')} off`);

    const order: readonly StackKind[] = index % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    const outcomes: Partial<Record<StackKind, LoadOutcome>> = {};
    if (options.warmupS > 0) {
      for (const kind of order) {
        // The requests a warm-up abandons when it ends still run to completion (waitIdle
        // before each measured run), so even a slow operation warms every connection's path.
        await waitIdle(stacks);
        const warm = await load(targets[kind], options.warmupS, options.connections);
        for (const problem of warm.problems) failures.push(`${scenario.key} ${kind} (warm-up): ${problem}`);
      }
    }
    for (const kind of order) {
      await waitIdle(stacks);
      const outcome = await load(targets[kind], options.durationS, options.connections);
      outcomes[kind] = outcome;
      if (outcome.responses === 0) failures.push(`${scenario.key} ${kind}: no response within ${options.durationS} s; raise --duration`);
      for (const problem of outcome.problems) failures.push(`${scenario.key} ${kind}: ${problem}`);
      const m = measured(outcome);
      console.log(
        `  redaction ${kind.padEnd(3)} ${m.requests.toLocaleString('en-GB').padStart(7)} requests  ${m.reqPerS.toFixed(1).padStart(7)} req/s  p50 ${ms(m.p50)} ms  p99 ${ms(m.p99)} ms${outcome.problems.length > 0 ? '  FAILED' : ''}`,
      );
    }
    results.push({ scenario, on: measured(outcomes.on!), off: measured(outcomes.off!), summary: probeOn.summary });
  }

  console.log(`\n${report(results)}\n`);
  console.log(
    'on = redaction (operation rewrite, graphql-shield re-execution) and the audit write it makes; off = the same gateway without either.\n' +
      'on/off: req/s below 1x and latency or CPU above 1x is what redaction costs. CPU is the stack process\n' +
      '(gateway and subgraphs) per request; bytes/resp include headers (opaque ids are longer than raw ones).\n' +
      'One run on a shared machine: compare the ratios, not the absolute numbers.',
  );
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
