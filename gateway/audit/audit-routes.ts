import type { Filter } from 'mongodb';
import { forbiddenError } from '../../platform/errors/coded-error.js';
import { errorAnswer, refusal } from '../../platform/errors/error-answer.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import type { JsonRoute } from '../../platform/graphql-http-server.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { GatewayContext } from '../context.js';
import type { AuditEntry, AuditRecord } from './audit-entry.js';
import { auditCollection, type AuditLog } from './audit-log.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from './audit-record.js';
import { accessHistoryOf } from './access-history.js';
import type { Db } from 'mongodb';

/**
 * Reading the audit trail, over plain JSON beside the GraphQL API:
 * - `GET /audit/entries` for the DPO: filter by subject (the id the DPO sees for a client or
 *   employee), actor (`sub`), time range and action; newest first, a page at a time: `first`
 *   (or `limit`, at most 500) and `after` (the `pageInfo.endCursor` of the page before: the
 *   last entry's `_id`, its place in the merged trail, which the DPO already sees).
 * - `GET /audit/my-record` for a service user: when their record was accessed, by which role
 *   and organisation — never which member of staff.
 * Reading the trail is itself put on the trail.
 */

export const AUDIT_ENTRIES_PATH = '/audit/entries';
export const MY_RECORD_ACCESS_PATH = '/audit/my-record';

const ACTIONS: readonly AuditRecord['action'][] = [
  'read',
  'change-requested',
  'change',
  'change-failed',
  'change-unknown',
  'refused',
  'alert-raised',
  'alert-closed',
];
const MAX_LIMIT = 500;
const FILTERS = ['subject', 'actor', 'from', 'to', 'action', 'limit', 'first', 'after'] as const;

const auditUnavailable = () => refusal(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable, so nothing was read. Try again shortly.');

function instant(value: string | null): Date | undefined | null {
  if (value === null) return undefined;
  const parsed = new Date(value);
  return /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(parsed.getTime()) ? parsed : null;
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  const entries = auditCollection(db);
  await entries.createIndex({ 'subjects.ref': 1, at: -1 }, { name: 'by_subject' });
  await entries.createIndex({ 'actor.ref': 1, at: -1 }, { name: 'by_actor' });
  await entries.createIndex({ at: -1 }, { name: 'by_time' });
  // The reconciliation finds a change's entries by its key (gateway/audit/reconcile-changes.ts).
  await entries.createIndex({ requestKey: 1 }, { name: 'by_request_key', sparse: true });
}

export function auditRoutes(db: Db, audit: AuditLog, codec: IdCodec): Record<string, JsonRoute<GatewayContext>> {
  const entries = auditCollection(db);
  const onTheTrail = (context: GatewayContext, route: string, filters: Record<string, string>) =>
    audit.append(
      auditRecord({
        at: new Date(),
        requestId: context.requestId,
        actor: auditActor(context.principal, codec),
        action: 'read',
        why: [{ field: route, argument: 'query', value: filters }],
        subjects: [],
      }),
    );

  return {
    [AUDIT_ENTRIES_PATH]: async (context, query) => {
      if (context.principal.role !== 'data_protection_officer') return errorAnswer(forbiddenError());
      const from = instant(query.get('from'));
      const to = instant(query.get('to'));
      const action = query.get('action');
      const limit = Number(query.get('first') ?? query.get('limit') ?? 100);
      const afterText = query.get('after');
      // The cursor is an entry's `_id` (its place in the merged trail); anything else is refused rather than read as "from the start".
      const after = afterText === null ? undefined : /^\d{1,16}$/.test(afterText) && Number.isSafeInteger(Number(afterText)) ? Number(afterText) : null;
      if (from === null || to === null) return refusal(ErrorCode.BAD_USER_INPUT, 'from and to must be ISO 8601 dates');
      if (action !== null && !(ACTIONS as readonly string[]).includes(action))
        return refusal(ErrorCode.BAD_USER_INPUT, `action must be one of ${ACTIONS.join(', ')}`);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return refusal(ErrorCode.BAD_USER_INPUT, `first (or limit) must be 1–${MAX_LIMIT}`);
      if (after === null) return refusal(ErrorCode.BAD_USER_INPUT, 'after must be the endCursor of the page before');
      const subject = query.get('subject');
      const actor = query.get('actor');
      const filter: Record<string, unknown> = {};
      if (subject) filter['subjects.ref'] = subject;
      if (actor) filter['actor.ref'] = actor;
      if (action) filter.action = action;
      if (after !== undefined) filter._id = { $lt: after };
      if (from || to) filter.at = { ...(from ? { $gte: from.toISOString() } : {}), ...(to ? { $lt: to.toISOString() } : {}) };
      // Only the known filters are recorded: a query string is the caller's, its keys too.
      const filters = Object.fromEntries(FILTERS.flatMap((name) => (query.has(name) ? [[name, String(query.get(name))]] : [])));
      // The trail down, for the write or the read: the answer every door gives (platform/errors).
      let page: AuditEntry[];
      try {
        await onTheTrail(context, AUDIT_ENTRIES_PATH, filters);
        // One more than asked says whether another page follows, without counting the whole trail.
        page = await entries.find(filter as Filter<AuditEntry>, { sort: { _id: -1 }, limit: limit + 1 }).toArray();
      } catch {
        return auditUnavailable();
      }
      const found = page.slice(0, limit);
      return { status: 200, body: { entries: found, pageInfo: { hasNextPage: page.length > limit, endCursor: found.at(-1)?._id ?? null } } };
    },
    [MY_RECORD_ACCESS_PATH]: async (context) => {
      if (context.principal.role !== 'service_user') return errorAnswer(forbiddenError());
      const me = codec.encode(AUDIT_AUDIENCE, 'Client', context.principal.sub);
      try {
        await onTheTrail(context, MY_RECORD_ACCESS_PATH, {});
        return { status: 200, body: { accesses: await accessHistoryOf(db, me, MAX_LIMIT) } };
      } catch {
        return auditUnavailable();
      }
    },
  };
}
