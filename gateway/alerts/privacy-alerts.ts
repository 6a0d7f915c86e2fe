import { randomUUID } from 'node:crypto';
import type { Db, Filter } from 'mongodb';
import type { AuditRecord } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import { auditRecord } from '../audit/audit-record.js';
import { alertCollection, type AlertKind, type AlertOutcome, type AlertStatus, type NewAlert, type PrivacyAlert } from './privacy-alert.js';

/**
 * Raising, closing and listing privacy alerts. Each raise and each close is also an entry on
 * the hash-chained audit trail, so an alert removed from or edited in the `alerts` collection
 * still shows on the trail as it was raised and as it was closed.
 */

type Actor = AuditRecord['actor'];
type Why = NonNullable<AuditRecord['why']>;

export type CloseResult = { readonly closed: PrivacyAlert } | { readonly problem: 'NOT_FOUND' | 'ALREADY_CLOSED' };

export class PrivacyAlerts {
  readonly #alerts;
  readonly #audit: AuditLog;

  constructor(db: Db, audit: AuditLog) {
    this.#alerts = alertCollection(db);
    this.#audit = audit;
  }

  /**
   * Raises alerts for what `actor` just did. The trail entries are queued before the first
   * await, so they go in ahead of (and, with the audit log's batching, in the same write as) a
   * read entry appended in the same tick; the alert documents are written at the same time.
   * Resolves once both are acknowledged; rejects if either cannot be written, and the caller
   * must then not answer (fail closed, like the audit trail itself).
   */
  raise(fields: { actor: Actor; requestId: string; at: Date; alerts: readonly { alert: NewAlert; why?: Why }[] }): Promise<void> {
    const { actor, requestId, at, alerts } = fields;
    if (alerts.length === 0) return Promise.resolve();
    const raisedAt = at.toISOString();
    const raised = alerts.map(({ alert, why }) => ({
      why,
      document: { _id: `alert_${randomUUID()}`, raisedAt, requestId, actor, status: 'OPEN', ...alert } satisfies PrivacyAlert,
    }));
    const onTheTrail = raised.map(({ document, why }) =>
      this.#audit.append({
        ...auditRecord({ at, requestId, actor, action: 'alert-raised', subjects: [{ ...document.subject, returned: [], denied: [] }], why }),
        alert: { id: document._id, kind: document.kind },
      }),
    );
    const documents: PrivacyAlert[] = raised.map(({ document }) => document);
    const stored = this.#alerts.insertMany(documents, { ordered: true, writeConcern: { w: 'majority', j: true } });
    return Promise.allSettled([Promise.all(onTheTrail), stored]).then(async ([trail, store]) => {
      if (trail.status === 'fulfilled' && store.status === 'fulfilled') return;
      // The answer is withheld when either write fails; an alert the trail does not hold would
      // contradict the trail (and a retried request would raise it twice): take it back.
      if (store.status === 'fulfilled') await this.#alerts.deleteMany({ _id: { $in: documents.map((document) => document._id) } }).catch(() => undefined);
      throw trail.status === 'rejected' ? trail.reason : (store as PromiseRejectedResult).reason;
    });
  }

  async find(id: string): Promise<PrivacyAlert | null> {
    return this.#alerts.findOne({ _id: id });
  }

  /**
   * The DPO closes an alert. The closing goes on the trail first (no entry, no closing), then
   * the alert is closed if it is still open; a close that finds it closed meanwhile is told so,
   * and its entry stays on the trail as an attempt. (FerretDB 1.x does not isolate updates, so
   * two closings in the same instant could both land there: both are on the trail, the alert
   * keeps the later. Nothing is lost either way.)
   */
  async close(fields: { id: string; outcome: AlertOutcome; note: string; by: Actor; requestId: string; at: Date }): Promise<CloseResult> {
    const { id, outcome, note, by, requestId, at } = fields;
    const alert = await this.find(id);
    if (!alert) return { problem: 'NOT_FOUND' };
    if (alert.status !== 'OPEN') return { problem: 'ALREADY_CLOSED' };
    await this.#audit.append({
      ...auditRecord({ at, requestId, actor: by, action: 'alert-closed', subjects: [{ ...alert.subject, returned: [], denied: [] }] }),
      alert: { id, kind: alert.kind, outcome, note },
    });
    const closed = await this.#alerts.findOneAndUpdate(
      { _id: id, status: 'OPEN' },
      { $set: { status: 'CLOSED', closure: { outcome, note, closedBy: by, closedAt: at.toISOString() } } },
      { returnDocument: 'after', writeConcern: { w: 'majority', j: true } },
    );
    return closed ? { closed } : { problem: 'ALREADY_CLOSED' };
  }

  /**
   * Newest first. `team` limits the list to alerts about that team's clients. `after` is the
   * last alert of the previous page: the page goes on after its (raisedAt, _id), so alerts
   * raised meanwhile never shift a page.
   */
  async list(filter: { status?: AlertStatus; team?: string; kind?: AlertKind; limit: number; after?: PrivacyAlert }): Promise<PrivacyAlert[]> {
    const { after } = filter;
    const query: Filter<PrivacyAlert> = {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.team !== undefined ? { team: filter.team } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(after ? { $or: [{ raisedAt: { $lt: after.raisedAt } }, { raisedAt: after.raisedAt, _id: { $lt: after._id } }] } : {}),
    };
    return this.#alerts.find(query, { sort: { raisedAt: -1, _id: -1 }, limit: filter.limit }).toArray();
  }

  /**
   * A break-glass closed or a trustee grant revoked before expiry: its alert shows when and by
   * whom (open or closed alike). Resolves once written; the caller fails closed on a rejection.
   */
  async recordEnded(record: string, endedAt: Date, endedBy: Actor): Promise<void> {
    await this.#alerts.updateMany(
      { 'details.record': record, 'details.endedAt': { $exists: false } },
      { $set: { 'details.endedAt': endedAt.toISOString(), 'details.endedBy': endedBy } },
      { writeConcern: { w: 'majority', j: true } },
    );
  }
}
