import type { Db } from 'mongodb';
import type { DecisionNotToShareDoc } from './documents.js';
import { consentCollections } from './store.js';
import { pageSize } from './subject-access-requests.js';

/**
 * The DPO's list of decisions not to share, newest first, a page at a time. The cursor is the
 * last decision of the previous page (its opaque id, decoded by the gateway): the page goes on
 * after its (decidedAt, _id), so a decision recorded meanwhile never shifts a page.
 */
export async function decisionsNotToSharePage(
  db: Db,
  input: { first: number; after: DecisionNotToShareDoc | null | undefined },
): Promise<{ nodes: DecisionNotToShareDoc[]; hasNextPage: boolean }> {
  const size = pageSize(input.first);
  const after = input.after;
  const filter = after ? { $or: [{ decidedAt: { $lt: after.decidedAt } }, { decidedAt: after.decidedAt, _id: { $lt: after._id } }] } : {};
  const found = await consentCollections(db)
    .decisionsNotToShare.find(filter, { limit: size + 1 })
    .sort({ decidedAt: -1, _id: -1 })
    .toArray();
  return { nodes: found.slice(0, size), hasNextPage: found.length > size };
}
