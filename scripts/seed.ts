/**
 * npm run seed -- --size demo|bench [--seed N]
 *
 * Replaces the seeded collections in `<prefix>clients`, `<prefix>hr` and `<prefix>consent`
 * with a freshly generated synthetic dataset (no real people).
 */
import { MongoClient } from 'mongodb';
import { DEFAULT_SEED, SEED_SIZE_NAMES, SEED_SIZES, type SeedSize } from '../seed/generate.js';
import { seedDatabases } from '../seed/write.js';
import { perSubgraph } from '../subgraphs/registry.js';

const USAGE = `usage: npm run seed -- --size demo|bench [--seed N]

  --size   demo  (${describe('demo')})
           bench (${describe('bench')})
  --seed   non-negative integer below 2^32 (default ${DEFAULT_SEED}); the same size and seed
           give the same records, with dates relative to the time of the run

environment:
  MONGODB_URI         required, e.g. mongodb://127.0.0.1:27017/ (MongoDB or FerretDB)
  MONGODB_DB_PREFIX   database name prefix (default needtoknow_)`;

function describe(size: SeedSize): string {
  const c = SEED_SIZES[size];
  return `${c.clients.toLocaleString('en-GB')} clients, ${c.caseNotes.toLocaleString('en-GB')} case notes, ${c.employees.toLocaleString('en-GB')} employees`;
}

interface CliArgs {
  size: SeedSize;
  seed: number;
}

type Parsed = { ok: true; args: CliArgs } | { ok: false; help: boolean; error?: string };

function parseArgs(argv: readonly string[]): Parsed {
  let size: SeedSize | undefined;
  let seed = DEFAULT_SEED;
  // Accept both "--size demo" and "--size=demo".
  const tokens = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a]));
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i];
    if (flag === '--help' || flag === '-h') return { ok: false, help: true };
    if (flag !== '--size' && flag !== '--seed') return { ok: false, help: false, error: `unknown argument "${flag}"` };
    const value = tokens[++i];
    if (value === undefined) return { ok: false, help: false, error: `${flag} needs a value` };
    if (flag === '--size') {
      if (!(SEED_SIZE_NAMES as readonly string[]).includes(value)) {
        return { ok: false, help: false, error: `--size must be one of ${SEED_SIZE_NAMES.join(', ')}, got "${value}"` };
      }
      size = value as SeedSize;
    } else {
      if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
        return { ok: false, help: false, error: `--seed must be an integer from 0 to 4294967295, got "${value}"` };
      }
      seed = Number(value);
    }
  }
  if (size === undefined) return { ok: false, help: false, error: '--size is required' };
  return { ok: true, args: { size, seed } };
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    console.error(`seed: ${parsed.error ?? 'bad arguments'}\n\n${USAGE}`);
    return 2;
  }
  const uri = process.env.MONGODB_URI?.trim();
  if (!uri) {
    console.error(
      'seed: MONGODB_URI is not set. Point it at a running MongoDB or FerretDB server, e.g.\n' +
        '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm run seed -- --size demo',
    );
    return 2;
  }
  const prefix = process.env.MONGODB_DB_PREFIX?.trim() || 'needtoknow_';
  const { size, seed } = parsed.args;
  const started = Date.now();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const counts = await seedDatabases(
      perSubgraph((name) => client.db(`${prefix}${name}`)),
      { size, seed, now: new Date() },
      (msg) => console.log(`seed: ${msg}`),
    );
    for (const [db, collections] of Object.entries(counts) as [string, Readonly<Record<string, number>>][]) {
      for (const [collection, count] of Object.entries(collections)) {
        console.log(`  ${`${prefix}${db}.${collection}`.padEnd(40)} ${String(count).padStart(10)}`);
      }
    }
    console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(`seed: failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client.close();
  }
}

process.exitCode = await main();
