import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import { DURABLE_WRITE } from './write-input.js';

/**
 * Sets a timestamp field (withdrawn, closed, revoked, ended) once and never again: records
 * are never deleted or rewritten, an end is a stamp. Stamping twice changes nothing. The
 * write is acknowledged by a majority and journaled before it returns.
 */
export async function stampOnce<T extends Document & { _id: string }>(collection: Collection<T>, record: T, field: keyof T & string, now: Date): Promise<T> {
  if (record[field] != null) return record;
  await collection.updateOne({ _id: record._id, [field]: null } as Filter<T>, { $set: { [field]: now } } as UpdateFilter<T>, DURABLE_WRITE);
  return ((await collection.findOne({ _id: record._id } as Filter<T>)) as T | null) ?? record;
}
