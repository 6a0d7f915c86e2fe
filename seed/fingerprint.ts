/**
 * A sha256 over everything a dataset would write, in the order it would be written: every
 * collection of every store, every document, every key in its own order. Two generators with
 * the same fingerprint write the same bytes, so a refactor of the generator can prove it moved
 * code without changing a single draw.
 *
 *   npx tsx seed/fingerprint.ts [demo|bench] [seed]
 */
import { createHash, type Hash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SEED, generateDataset, SEED_SIZE_NAMES, type BatchSource, type Dataset, type SeedSize } from './generate.js';

/** The instant the recorded fingerprints were taken at; any fixed instant would do. */
export const FINGERPRINT_NOW = new Date('2025-06-02T10:15:00.000Z');

const STORES = ['clients', 'hr', 'consent'] as const;

/**
 * Like JSON, but keeps what JSON.stringify would blur: key order, Dates as Dates, and keys
 * whose value is undefined (the driver writes those as null, JSON drops them).
 */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  throw new TypeError(`fingerprint: cannot encode a ${typeof value}`);
}

function hashSource(hash: Hash, label: string, source: BatchSource<unknown>, batchSize: number | undefined): void {
  hash.update(`${label}\n`);
  for (const batch of source(batchSize)) for (const doc of batch) hash.update(`${canonical(doc)}\n`);
}

export function datasetFingerprint(dataset: Dataset, batchSize?: number): string {
  const hash = createHash('sha256');
  hash.update(`${dataset.size} ${dataset.seed} ${dataset.now.toISOString()} ${canonical(dataset.counts)}\n`);
  for (const store of STORES) {
    for (const [name, source] of Object.entries(dataset[store]) as [string, BatchSource<unknown>][]) {
      hashSource(hash, `${store}.${name}`, source, batchSize);
    }
  }
  return hash.digest('hex');
}

export function fingerprint(size: SeedSize, seed: number = DEFAULT_SEED, batchSize?: number): string {
  return datasetFingerprint(generateDataset({ size, seed, now: FINGERPRINT_NOW }), batchSize);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const size = (process.argv[2] ?? 'demo') as SeedSize;
  if (!SEED_SIZE_NAMES.includes(size)) throw new RangeError(`size must be one of ${SEED_SIZE_NAMES.join(', ')}`);
  const seed = process.argv[3] === undefined ? DEFAULT_SEED : Number(process.argv[3]);
  console.log(`${size} seed=${seed} now=${FINGERPRINT_NOW.toISOString()} sha256=${fingerprint(size, seed)}`);
}
