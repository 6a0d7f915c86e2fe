/**
 * Rows PostgreSQL reads per request under FerretDB, from PostgreSQL's own counters: the figure
 * issue 14 asks to stay the same whatever the size of the data.
 *
 *   MONGODB_URI=mongodb://127.0.0.1:27113/ FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:5432/db \
 *     npx tsx scripts/ferretdb/rows-read.ts --prefix rr_ --size demo [--seed] [--lookups in|per-key] [--indexes]
 *
 * Starts the whole stack in this process over `<prefix>*` (seeding it first with --seed; with
 * --indexes creating the GIN indexes of subgraphs/shared/ferretdb-postgres-indexes.ts), then for
 * bench scenarios a (myCaseload), b (teamCaseload) and d (client(id)): one request to warm up,
 * then one measured request, reading `pg_stat_user_tables` before and after it. PostgreSQL
 * publishes a backend's counters only once it has been idle a while (at most 10 s in 15), so
 * each reading waits for that. Prints rows read (seq_tup_read + idx_tup_fetch) per collection,
 * the scans behind them and the finds the subgraphs sent, as a table and as JSON.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { CommandStartedEvent } from 'mongodb';
import { SCENARIOS } from '../../bench/scenarios.js';
import { mintDevToken } from '../../gateway/auth/mint-dev-token.js';
import { connectMongo, databaseName } from '../../platform/mongo.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../../platform/secrets.js';
import { seedDatabases } from '../../seed/write.js';
import type { SeedSize } from '../../seed/generate.js';
import { audienceOf } from '../../shield/audience.js';
import { createIdCodec } from '../../gateway/ids/opaque-ids.js';
import { startStack } from '../../stack/start-stack.js';
import { ensurePostgresIndexes } from '../../subgraphs/shared/ferretdb-postgres-indexes.js';
import { perSubgraph } from '../../subgraphs/registry.js';

const run = promisify(execFile);
/** PGSTAT_IDLE_INTERVAL (10 s) and a margin. */
const STATS_SETTLE_MS = 11_500;

interface TableCounters {
  seqScan: number;
  seqRows: number;
  idxScan: number;
  idxRows: number;
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** `schema.collection` → counters, for FerretDB's tables in schemas starting with `prefix`. */
async function counters(url: string, prefix: string): Promise<Map<string, TableCounters>> {
  const sql = `
    SELECT schemaname, relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0)
    FROM pg_stat_user_tables
    WHERE schemaname LIKE '${prefix.replace(/'/g, "''")}%' AND relname <> '_ferretdb_database_metadata'`;
  const { stdout } = await run('psql', [url, '-X', '-qtA', '-F', '\t', '-c', sql]);
  const names = await tableNames(url, prefix);
  const result = new Map<string, TableCounters>();
  for (const line of stdout.trim().split('\n').filter(Boolean)) {
    const [schema = '', table = '', seqScan, seqRows, idxScan, idxRows] = line.split('\t');
    const collection = names.get(`${schema}.${table}`) ?? table;
    result.set(`${schema.slice(prefix.length)}.${collection}`, {
      seqScan: Number(seqScan),
      seqRows: Number(seqRows),
      idxScan: Number(idxScan),
      idxRows: Number(idxRows),
    });
  }
  return result;
}

/** FerretDB's table names back to collection names (`_ferretdb_database_metadata`). */
async function tableNames(url: string, prefix: string): Promise<Map<string, string>> {
  const { stdout: schemas } = await run('psql', [
    url,
    '-X',
    '-qtA',
    '-c',
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE '${prefix.replace(/'/g, "''")}%'`,
  ]);
  const names = new Map<string, string>();
  for (const schema of schemas.trim().split('\n').filter(Boolean)) {
    const { stdout } = await run('psql', [
      url,
      '-X',
      '-qtA',
      '-F',
      '\t',
      '-c',
      `SELECT _jsonb->>'table', _jsonb->>'_id' FROM "${schema}"._ferretdb_database_metadata`,
    ]);
    for (const line of stdout.trim().split('\n').filter(Boolean)) {
      const [table = '', collection = ''] = line.split('\t');
      names.set(`${schema}.${table}`, collection);
    }
  }
  return names;
}

async function main(): Promise<void> {
  const mongoUri = process.env.MONGODB_URI;
  const pgUrl = process.env.FERRETDB_POSTGRESQL_URL;
  const prefix = flag('--prefix');
  const size = (flag('--size') ?? 'demo') as SeedSize;
  const lookups = flag('--lookups') ?? 'in';
  if (!mongoUri || !pgUrl || !prefix) throw new Error('set MONGODB_URI and FERRETDB_POSTGRESQL_URL, and give --prefix');
  const mongo = await connectMongo(mongoUri, 'rows-read', { monitorCommands: true });
  const db = (name: string) => mongo.db(databaseName(prefix, name));
  if (process.argv.includes('--seed')) {
    const started = Date.now();
    await seedDatabases(perSubgraph(db), { size, now: new Date() }, (line) => console.error(line));
    console.error(`seeded ${size} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (process.argv.includes('--indexes')) await ensurePostgresIndexes(pgUrl, prefix);
  const stack = await startStack({
    mongo,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGODB_DB_PREFIX: prefix,
      STORE_LOOKUPS: lookups,
      REQUEST_DEADLINE_MS: '600000',
      SUBGRAPH_TIMEOUT_MS: '600000',
      AUDIT_RECONCILE_GRACE_MS: '600001',
    },
    ephemeralPorts: true,
  });
  const commands: CommandStartedEvent[] = [];
  mongo.on('commandStarted', (event) => {
    if (event.databaseName.startsWith(prefix)) commands.push(event);
  });
  const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
  const results: Record<string, unknown> = {};
  try {
    for (const key of ['a', 'b', 'd']) {
      const scenario = SCENARIOS.find((s) => s.key === key);
      if (!scenario) throw new Error(`no scenario ${key}`);
      const token = await mintDevToken({ principal: scenario.principal, secret: DEV_JWT_SECRET, issuer: 'needtoknow-dev', audience: 'needtoknow' });
      const variables = scenario.variables('on', (_stack, principal, typeName, rawId) => codec.encode(audienceOf(principal), typeName, rawId));
      const ask = async () => {
        const started = Date.now();
        const response = await fetch(stack.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: scenario.query, variables }),
        });
        const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (response.status !== 200 || body.errors) throw new Error(`scenario ${key}: ${response.status} ${JSON.stringify(body.errors)}`);
        return { summary: scenario.summarise(body.data ?? {}), ms: Date.now() - started };
      };
      await ask();
      await sleep(STATS_SETTLE_MS);
      const before = await counters(pgUrl, prefix);
      commands.length = 0;
      const { summary, ms } = await ask();
      const finds: Record<string, number> = {};
      for (const event of commands) {
        if (event.commandName !== 'find' && event.commandName !== 'aggregate') continue;
        const name = `${event.databaseName.slice(prefix.length)}.${String(event.command[event.commandName])}`;
        finds[name] = (finds[name] ?? 0) + 1;
      }
      await sleep(STATS_SETTLE_MS);
      const after = await counters(pgUrl, prefix);
      const rows: Record<string, { rows: number; seqScans: number; idxScans: number }> = {};
      for (const [name, now] of after) {
        const was = before.get(name) ?? { seqScan: 0, seqRows: 0, idxScan: 0, idxRows: 0 };
        const read = now.seqRows - was.seqRows + now.idxRows - was.idxRows;
        const seqScans = now.seqScan - was.seqScan;
        const idxScans = now.idxScan - was.idxScan;
        if (read || seqScans || idxScans) rows[name] = { rows: read, seqScans, idxScans };
      }
      const total = Object.values(rows).reduce((sum, r) => sum + r.rows, 0);
      results[key] = { title: scenario.title, summary, ms, totalRows: total, rows, finds };
      console.log(`\n${key} ${scenario.title}: ${summary}; ${total} rows read; ${Object.values(finds).reduce((s, n) => s + n, 0)} finds`);
      for (const [name, r] of Object.entries(rows).sort())
        console.log(`  ${name.padEnd(34)} rows ${String(r.rows).padStart(8)}  seq scans ${r.seqScans}  index scans ${r.idxScans}  finds ${finds[name] ?? 0}`);
    }
    console.log(JSON.stringify({ size, lookups, indexes: process.argv.includes('--indexes'), results }));
  } finally {
    await stack.close();
    await mongo.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
