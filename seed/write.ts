/**
 * Writes a generated dataset into the three databases. Works on MongoDB and on FerretDB 1.x:
 * plain drops and unordered insertMany only (no transactions, no aggregation). Indexes are
 * left to the subgraphs, which create their own at start-up.
 */
import type { Db, Document } from 'mongodb';
import { CLIENT_COLLECTIONS } from '../subgraphs/clients/documents.js';
import { HR_COLLECTIONS } from '../subgraphs/hr/documents.js';
import { CONSENT_COLLECTIONS } from '../subgraphs/consent/documents.js';
import type { SubgraphName } from '../subgraphs/registry.js';
import { PUBLISHED_REPORTS } from '../subgraphs/shared/published-reports.js';
import { DEFAULT_BATCH_SIZE, generateDataset, type BatchSource, type GenerateOptions } from './generate.js';

/** One database per registered subgraph (`perSubgraph`); a subgraph with no seed data is left as it is. */
export type SeedDatabases = Readonly<Record<SubgraphName, Db>>;

export interface SeedCountsWritten {
  clients: Record<keyof typeof CLIENT_COLLECTIONS, number>;
  hr: Record<keyof typeof HR_COLLECTIONS, number>;
  consent: Record<keyof typeof CONSENT_COLLECTIONS, number>;
}

/** Inserts in flight per collection: enough to overlap generation with the server's work. */
const IN_FLIGHT = 3;

export interface SeedOptions extends GenerateOptions {
  /**
   * Collections to leave unwritten (and uncounted), e.g. case notes for a test of reports that
   * never reads them. The others are exactly what the full data set would hold.
   */
  readonly skip?: readonly string[];
}

export async function seedDatabases(dbs: SeedDatabases, options: SeedOptions, log: (msg: string) => void = () => {}): Promise<SeedCountsWritten> {
  const dataset = generateDataset(options);
  const skip = new Set(options.skip ?? []);
  log(`seeding size=${dataset.size} seed=${dataset.seed} now=${dataset.now.toISOString()}`);

  const write = <K extends string>(
    db: Db,
    names: Readonly<Record<K, string>>,
    sources: Readonly<Record<K, BatchSource<Document>>>,
  ): Promise<Record<K, number>> => writeDatabase(db, names, sources, skip, log);

  // Figures published from the old data describe data that is gone: a reseeded database
  // publishes its closed periods afresh (subgraphs/shared/published-reports.ts).
  await Promise.all(Object.values(dbs).map((db) => dropIfPresent(db, PUBLISHED_REPORTS)));
  // The three databases are independent, so they are written side by side.
  const [clients, hr, consent] = await Promise.all([
    write(dbs.clients, CLIENT_COLLECTIONS, dataset.clients),
    write(dbs.hr, HR_COLLECTIONS, dataset.hr),
    write(dbs.consent, CONSENT_COLLECTIONS, dataset.consent),
  ]);
  return { clients, hr, consent };
}

async function writeDatabase<K extends string>(
  db: Db,
  names: Readonly<Record<K, string>>,
  sources: Readonly<Record<K, BatchSource<Document>>>,
  skip: ReadonlySet<string>,
  log: (msg: string) => void,
): Promise<Record<K, number>> {
  const counts = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    const name = names[key];
    if (skip.has(name)) {
      counts[key] = 0;
      continue;
    }
    const started = Date.now();
    counts[key] = await writeCollection(db, name, sources[key]);
    log(`${db.databaseName}.${name}: ${counts[key]} documents in ${Date.now() - started} ms`);
  }
  return counts;
}

async function writeCollection(db: Db, name: string, source: BatchSource<Document>): Promise<number> {
  await dropIfPresent(db, name);
  const collection = db.collection(name);
  const pending = new Set<Promise<void>>();
  let inserted = 0;
  let failure: unknown;

  for (const batch of source(DEFAULT_BATCH_SIZE)) {
    if (failure !== undefined) break;
    const insert = collection
      .insertMany(batch, { ordered: false })
      .then((result) => {
        inserted += result.insertedCount;
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        pending.delete(insert);
      });
    pending.add(insert);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
  }
  await Promise.all(pending);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the driver's own error, rethrown as it was
  if (failure !== undefined) throw failure;
  return inserted;
}

/** Listing first avoids depending on how each server reports dropping a missing collection. */
async function dropIfPresent(db: Db, name: string): Promise<void> {
  const existing = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (existing.length > 0) await db.dropCollection(name);
}
