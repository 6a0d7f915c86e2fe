import DataLoader from 'dataloader';
import type { Collection, Document, Filter, FindOptions, Sort } from 'mongodb';
import type { LookupShape } from './config.js';

/**
 * Every loader reads all its results, so a large first batch saves the getMore round trips
 * the driver's default of 101 documents would cost.
 */
export const FIRST_BATCH = 10_000;

/**
 * Request-scoped batch loaders: however many entities a query touches, each loader sends its
 * queries together, once per tick, in one of two shapes (config.ts, `STORE_LOOKUPS`):
 *
 * - `in`: one `{ field: { $in: keys } }`, one round trip. MongoDB answers it from an index;
 *   FerretDB 1.x hands no `$in` to its backend, so it reads and decodes the whole collection.
 * - `per-key`: one `{ field: key }` per key, all at once. A top-level scalar equality is what
 *   FerretDB on PostgreSQL turns into SQL (`_jsonb->'field' @> '"key"'`), which the GIN indexes
 *   of ferretdb-postgres-indexes.ts answer: the rows read follow the keys, not the collection.
 *   (On FerretDB's SQLite backend it is worse than `in`: a whole scan per key.)
 *
 * Either way each key's documents come back in the same order, so the answers are identical.
 */
export function manyByKey<K extends string, T>(
  keys: readonly K[],
  shape: LookupShape,
  batch: (keys: K[]) => Promise<T[]>,
  one: (key: K) => Promise<T[]>,
  keyOf: (doc: T) => unknown,
): Promise<T[][]> {
  if (shape === 'per-key') return Promise.all(keys.map(one));
  return batch([...keys]).then((docs) => {
    const groups = new Map<unknown, T[]>(keys.map((key) => [key, []]));
    for (const doc of docs) groups.get(keyOf(doc))?.push(doc);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

export function loaderById<T extends Document & { _id: string }>(
  collection: Collection<T>,
  shape: LookupShape,
  options: FindOptions = {},
): DataLoader<string, T | null> {
  return loaderUniqueBy(collection, '_id', shape, options);
}

/** Loads, for each key, the one document whose `field` (unique) equals it. */
export function loaderUniqueBy<T extends Document, R = T>(
  collection: Collection<T>,
  field: keyof T & string,
  shape: LookupShape,
  options: FindOptions = {},
): DataLoader<string, R | null> {
  const find = (filter: Filter<T>) => collection.find(filter, { batchSize: FIRST_BATCH, ...options }).toArray() as Promise<R[]>;
  return new DataLoader<string, R | null>(async (keys) => {
    const found = await manyByKey(
      keys,
      shape,
      (batch) => find({ [field]: { $in: batch } } as Filter<T>),
      (key) => find({ [field]: key } as Filter<T>),
      (doc) => (doc as Document)[field],
    );
    return found.map((docs) => docs[0] ?? null);
  });
}

/** Loads, for each key, the documents whose `field` equals it, in `sort` order. */
export function loaderGroupedBy<T extends Document>(
  collection: Collection<T>,
  field: keyof T & string,
  sort: Sort,
  shape: LookupShape,
): DataLoader<string, T[]> {
  const find = (filter: Filter<T>) => collection.find(filter, { batchSize: FIRST_BATCH }).sort(sort).toArray() as Promise<T[]>;
  return new DataLoader<string, T[]>((keys) =>
    manyByKey(
      keys,
      shape,
      (batch) => find({ [field]: { $in: batch } } as Filter<T>),
      (key) => find({ [field]: key } as Filter<T>),
      (doc) => doc[field],
    ),
  );
}

/** Loads a record another record points to, failing loudly if the reference dangles. */
export async function loadRequired<T>(loader: DataLoader<string, T | null>, id: string, what: string): Promise<T> {
  const found = await loader.load(id);
  if (found === null) throw new Error(`dangling reference to a ${what}`);
  return found;
}
