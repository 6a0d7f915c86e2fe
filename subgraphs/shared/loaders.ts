import DataLoader from 'dataloader';
import type { Collection, Document, Filter, FindOptions, Sort } from 'mongodb';

/**
 * Every loader reads all its results, so a large first batch saves the getMore round trips
 * the driver's default of 101 documents would cost.
 */
export const FIRST_BATCH = 10_000;

/**
 * Request-scoped batch loaders: however many entities a query touches, each loader sends
 * one query per tick, `{ field: { $in: keys } }`.
 */

export function loaderById<T extends Document & { _id: string }>(
  collection: Collection<T>,
  options: FindOptions = {},
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const docs = (await collection.find({ _id: { $in: [...ids] } } as Filter<T>, { batchSize: FIRST_BATCH, ...options }).toArray()) as T[];
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads, for each key, the documents whose `field` equals it, in `sort` order. */
export function loaderGroupedBy<T extends Document>(
  collection: Collection<T>,
  field: keyof T & string,
  sort: Sort,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (keys) => {
    const docs = (await collection.find({ [field]: { $in: [...keys] } } as Filter<T>, { batchSize: FIRST_BATCH }).sort(sort).toArray()) as T[];
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const doc of docs) groups.get(doc[field] as string)?.push(doc);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** Loads a record another record points to, failing loudly if the reference dangles. */
export async function loadRequired<T>(loader: DataLoader<string, T | null>, id: string, what: string): Promise<T> {
  const found = await loader.load(id);
  if (found === null) throw new Error(`dangling reference to a ${what}`);
  return found;
}
