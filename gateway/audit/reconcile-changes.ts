import type { Collection, Db } from 'mongodb';
import type { AuditEntry, AuditRecord, AuditedSubject } from './audit-entry.js';
import { auditCollection, type AuditLog } from './audit-log.js';
import type { IdempotencyKeys } from './idempotency-keys.js';
import { UNCERTAIN_CODES } from './change-outcome.js';
import { firstIdAt } from './writer-slots.js';

/**
 * Finds changes whose outcome never reached the trail (the gateway died after forwarding, or
 * the trail failed after the store committed and the gateway died before paying what it owed)
 * and writes it, so the DPO sees every change that happened. Run at start-up and on a schedule
 * by every replica (two replicas reconciling the same change each claim it first: a unique
 * `_id` insert, so one outcome is written).
 *
 * A `change-requested` entry carries the gateway's `requestKey`; the subgraph stamps it on the
 * records its change creates. So the store can say whether the change was made: a record with
 * that stamp exists (`change`, its subject named), or none (`change-failed`, `NOT_MADE`). A
 * change that creates no record (ending a visit, withdrawing a consent: a stamp on an existing
 * record) cannot be checked this way: `change-unknown`, so the DPO knows to look.
 *
 * Only requests older than the grace period are looked at: a younger one may still be in
 * flight, and its gateway still owes the outcome.
 *
 * The watermark (everything at or below it is settled) never passes the lowest `_id` an
 * entry sealed within the grace period can have (writer-slots.ts: `_id`s follow each
 * writer's clock). Replicas write their own segments, so a slower writer's entry can land
 * with an `_id` a little below entries already on the trail; it was sealed less than a
 * request deadline before it landed, and the grace period is longer than that, so no entry
 * appears below the watermark after a pass has moved it.
 */

const RECONCILIATION_COLLECTION = 'reconciliation';
const WATERMARK_ID = 'watermark';
const SCAN = 2_000;

/** Where a change leaves its stamped record, and whose record it is. */
export interface ChangeStore {
  /** Database suffix (`<prefix><database>`). */
  readonly database: 'clients' | 'consent';
  readonly collection: string;
  /** The field naming the client the record is about. */
  readonly subjectField: string;
}

const CHANGE_STORES: Readonly<Record<string, ChangeStore>> = {
  'Mutation.recordCaseNote': { database: 'clients', collection: 'caseNotes', subjectField: 'clientId' },
  'Mutation.startHomeVisit': { database: 'clients', collection: 'homeVisits', subjectField: 'clientId' },
  'Mutation.recordConsent': { database: 'consent', collection: 'consents', subjectField: 'subjectClientId' },
};

/** Whether the change stamped `requestKey` on a record: its client's raw id, false when not, undefined when it cannot tell. */
export type StoreProbe = (change: string, requestKey: string) => Promise<{ made: true; subject: string | undefined } | { made: false } | undefined>;

export function storeProbe(databaseOf: (name: ChangeStore['database']) => Db): StoreProbe {
  return async (change, requestKey) => {
    const store = CHANGE_STORES[change];
    if (!store) return undefined;
    const found = await databaseOf(store.database)
      .collection<Record<string, unknown>>(store.collection)
      .findOne({ requestKey }, { projection: { [store.subjectField]: 1 } });
    if (!found) return { made: false };
    const subject = found[store.subjectField];
    return { made: true, subject: typeof subject === 'string' ? subject : undefined };
  };
}

interface Marker {
  _id: string;
  seq?: number;
}

export interface ReconcileReport {
  readonly examined: number;
  readonly made: number;
  readonly notMade: number;
  readonly unknown: number;
  readonly keysSettled: number;
}

export class ChangeReconciler {
  readonly #entries: Collection<AuditEntry>;
  readonly #markers: Collection<Marker>;
  readonly #audit: AuditLog;
  readonly #probe: StoreProbe;
  readonly #keys: IdempotencyKeys | undefined;
  readonly #graceMs: number;
  readonly #subjectRef: (rawClientId: string) => string;
  #running = false;

  constructor(options: {
    auditDb: Db;
    audit: AuditLog;
    probe: StoreProbe;
    keys?: IdempotencyKeys;
    graceMs: number;
    subjectRef: (rawClientId: string) => string;
  }) {
    this.#entries = auditCollection(options.auditDb);
    this.#markers = options.auditDb.collection<Marker>(RECONCILIATION_COLLECTION);
    this.#audit = options.audit;
    this.#probe = options.probe;
    this.#keys = options.keys;
    this.#graceMs = options.graceMs;
    this.#subjectRef = options.subjectRef;
  }

  /** One pass; undefined if a pass is already running in this process. */
  async run(now = new Date()): Promise<ReconcileReport | undefined> {
    if (this.#running) return undefined;
    this.#running = true;
    try {
      return await this.#pass(now);
    } finally {
      this.#running = false;
    }
  }

  async #pass(now: Date): Promise<ReconcileReport> {
    const cutoff = new Date(now.getTime() - this.#graceMs).toISOString();
    const watermark = (await this.#markers.findOne({ _id: WATERMARK_ID }))?.seq ?? 0;
    const scanned = await this.#entries
      .find(
        { _id: { $gt: watermark } },
        { sort: { _id: 1 }, limit: SCAN, projection: { _id: 1, action: 1, requestKey: 1, requestId: 1, at: 1, actor: 1, changes: 1, failures: 1, source: 1 } },
      )
      .toArray();
    const outcomes = new Set(scanned.filter((entry) => entry.requestKey && entry.action !== 'change-requested').map((entry) => entry.requestKey));
    // A failure the gateway could not be sure of (a subgraph timeout: it may have committed).
    const uncertain = scanned.filter(
      (entry) =>
        entry.action === 'change-failed' &&
        entry.requestKey &&
        entry.source === undefined &&
        (entry.failures ?? []).some((failure) => UNCERTAIN_CODES.has(failure.code)),
    );
    let made = 0;
    let notMade = 0;
    let unknown = 0;
    let examined = 0;
    // Everything below the first request still in its grace period is settled once this pass is done.
    let settledUpTo = Math.min(scanned.at(-1)?._id ?? watermark, firstIdAt(now.getTime() - this.#graceMs) - 1);
    for (const entry of scanned) {
      if (entry.action !== 'change-requested' || !entry.requestKey || outcomes.has(entry.requestKey)) continue;
      if (entry.at > cutoff) {
        settledUpTo = Math.min(settledUpTo, entry._id - 1);
        continue;
      }
      // Older than the window: an outcome written later than the scan went is looked up directly.
      if (await this.#entries.findOne({ requestKey: entry.requestKey, action: { $ne: 'change-requested' } }, { projection: { _id: 1 } })) continue;
      if (!(await this.#claim(entry.requestKey))) {
        // Another replica is writing it (or failed to): the watermark stays before it until its outcome is on the trail.
        settledUpTo = Math.min(settledUpTo, entry._id - 1);
        continue;
      }
      examined += 1;
      const records = await this.#outcomes(entry, entry.requestKey);
      for (const record of records) {
        if (record.action === 'change') made += 1;
        else if (record.action === 'change-failed') notMade += 1;
        else unknown += 1;
      }
      await this.#appendClaimed(`outcome:${entry.requestKey}`, records);
    }
    for (const entry of uncertain) {
      // A subgraph that timed out may still commit: only once the grace period is over.
      if (entry.at > cutoff) {
        settledUpTo = Math.min(settledUpTo, entry._id - 1);
        continue;
      }
      if (!entry.requestKey || !(await this.#claim(`confirm:${entry.requestKey}`))) continue;
      const changes = (entry.failures ?? []).filter((failure) => UNCERTAIN_CODES.has(failure.code)).map((failure) => failure.change);
      const records = (await this.#outcomes({ ...entry, changes }, entry.requestKey)).filter((record) => record.action === 'change');
      made += records.length;
      await this.#appendClaimed(`confirm:${entry.requestKey}`, records);
    }
    if (settledUpTo > watermark) await this.#markers.updateOne({ _id: WATERMARK_ID }, { $set: { seq: settledUpTo } }, { upsert: true });
    const keysSettled = await this.#settleKeys(new Date(now.getTime() - this.#graceMs));
    return { examined, made, notMade, unknown, keysSettled };
  }

  /** Writes a claimed outcome; if the trail cannot take it, the claim is given up (and the pass ends) so a later pass writes it. */
  async #appendClaimed(marker: string, records: readonly AuditRecord[]): Promise<void> {
    try {
      await Promise.all(records.map((record) => this.#audit.append(record)));
    } catch (error) {
      await this.#markers.deleteOne({ _id: marker }).catch(() => undefined);
      throw error;
    }
  }

  /** One replica writes a reconciled outcome: the claim is a unique `_id`. */
  async #claim(marker: string): Promise<boolean> {
    try {
      await this.#markers.insertOne({ _id: marker.includes(':') ? marker : `outcome:${marker}` });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return false;
      throw error;
    }
  }

  async #outcomes(requested: AuditEntry, requestKey: string): Promise<AuditRecord[]> {
    const base = { at: new Date().toISOString(), requestId: requested.requestId, actor: requested.actor, requestKey, source: 'reconciled' as const };
    const made: string[] = [];
    const subjects: AuditedSubject[] = [];
    const failed: { change: string; code: string }[] = [];
    const unknown: string[] = [];
    for (const change of requested.changes ?? []) {
      const found = await this.#probe(change, requestKey);
      if (found === undefined) unknown.push(change);
      else if (!found.made) failed.push({ change, code: 'NOT_MADE' });
      else {
        made.push(change);
        if (found.subject) subjects.push({ type: 'Client', ref: this.#subjectRef(found.subject), returned: [], denied: [] });
      }
    }
    const records: AuditRecord[] = [];
    if (made.length > 0) records.push({ ...base, action: 'change', changes: made, subjects });
    if (failed.length > 0) records.push({ ...base, action: 'change-failed', changes: failed.map((each) => each.change), failures: failed, subjects: [] });
    if (unknown.length > 0) records.push({ ...base, action: 'change-unknown', changes: unknown, subjects: [] });
    return records;
  }

  /**
   * Pending idempotency keys past the grace period (the gateway died, the trail failed, or the
   * answer was a temporary failure): the store decides where it can. Made: a retry is told so.
   * Certainly not made, or nothing was forwarded: released, the retry goes ahead. A change the
   * store cannot be asked about is a stamp on an existing record, which repeating changes
   * nothing: the trail's outcome decides.
   */
  async #settleKeys(before: Date): Promise<number> {
    if (!this.#keys) return 0;
    let settled = 0;
    for (const key of await this.#keys.pendingBefore(before)) {
      const entries = await this.#entries.find({ requestKey: key.requestKey }, { projection: { action: 1, changes: 1 } }).toArray();
      const requested = entries.find((entry) => entry.action === 'change-requested');
      const actions = new Set(entries.map((entry) => entry.action));
      const found = requested ? await Promise.all((requested.changes ?? []).map((change) => this.#probe(change, key.requestKey))) : [];
      if (!requested || (found.length > 0 && found.every((each) => each?.made === false))) await this.#keys.releaseByRequestKey(key.requestKey);
      else if (found.some((each) => each?.made === true) || actions.has('change') || actions.has('change-unknown')) await this.#keys.markMade(key.requestKey);
      else if (actions.has('change-failed')) await this.#keys.releaseByRequestKey(key.requestKey);
      else continue; // requested, outcome not yet known: the next pass
      settled += 1;
    }
    return settled;
  }
}
