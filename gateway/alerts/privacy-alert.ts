import type { Collection, Db } from 'mongodb';
import type { AuditedType, AuditRecord } from '../audit/audit-entry.js';

/**
 * A privacy alert: something lawful that can also be misuse (docs/INVARIANTS.md#12), raised for
 * the data protection officer — and for the team manager of the person it concerns — and closed
 * by the DPO with an outcome. Alerts are general: each has a kind, and what a kind carries
 * besides the common fields is declared once in `AlertDetails`. Kept in the audit database
 * (collection `alerts`); raising and closing are also on the hash-chained trail.
 */

/** Who asked for an emergency lookup, as the duty officer entered it. */
export interface EmergencyCaller {
  readonly organisation: string;
  readonly name: string;
  readonly reason: string;
}

/**
 * The record an exceptional disclosure or a trustee grant alert is about, by the id the DPO sees
 * (so the DPO can look it up), and when it ends: `expiresAt` is fixed when it is raised;
 * `endedAt` is set when it is closed or revoked early (the alert shows it, open or not).
 */
export interface AlertedRecord {
  readonly record: string;
  /** ISO 8601. */
  readonly expiresAt: string | null;
  /** ISO 8601, when closed or revoked before expiry. */
  readonly endedAt?: string;
  /** Who closed or revoked it, as the audit trail names them. */
  readonly endedBy?: AuditRecord['actor'];
}

/** What each kind of alert carries. A new kind is one more entry. */
interface AlertDetails {
  /** A duty officer's emergency lookup matched a restricted client record. */
  readonly EMERGENCY_LOOKUP_RESTRICTED: { readonly caller: EmergencyCaller };
  /** A safeguarding officer broke glass: an exceptional disclosure was opened (the reason is the opener's). */
  readonly EXCEPTIONAL_DISCLOSURE_OPENED: AlertedRecord & { readonly recipientOrganisation: string; readonly legalBasis: string; readonly reason: string };
  /** The DPO granted a trustee access to a client's record for a complaint. */
  readonly TRUSTEE_ACCESS_GRANTED: AlertedRecord & { readonly trusteeId: string; readonly complaintReference: string };
  /** A subject access export was produced: by the person themself, or by the DPO for a logged request. */
  readonly SUBJECT_ACCESS_EXPORTED: { readonly by: 'SUBJECT' | 'DPO'; readonly request: string | null };
}

export type AlertKind = keyof AlertDetails;
export const ALERT_KINDS: readonly AlertKind[] = [
  'EMERGENCY_LOOKUP_RESTRICTED',
  'EXCEPTIONAL_DISCLOSURE_OPENED',
  'TRUSTEE_ACCESS_GRANTED',
  'SUBJECT_ACCESS_EXPORTED',
];

export const ALERT_STATUSES = ['OPEN', 'CLOSED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** How the DPO judged what raised the alert. */
export const ALERT_OUTCOMES = ['JUSTIFIED', 'NOT_JUSTIFIED', 'REFERRED'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** The longest closing note, in characters: enough to record a judgement, not a case file. */
export const MAX_ALERT_NOTE_LENGTH = 2_000;

type Actor = AuditRecord['actor'];

interface AlertClosure {
  readonly outcome: AlertOutcome;
  readonly note: string;
  readonly closedBy: Actor;
  /** ISO 8601. */
  readonly closedAt: string;
}

export interface PrivacyAlert<K extends AlertKind = AlertKind> {
  readonly _id: string;
  readonly kind: K;
  /** ISO 8601. */
  readonly raisedAt: string;
  /** The request that raised it (also on the audit trail's entries for that request). */
  readonly requestId: string;
  /** Who did what raised it, as the audit trail names them. */
  readonly actor: Actor;
  readonly details: AlertDetails[K];
  /** Whom it concerns, by the id the DPO sees (never a raw id). */
  readonly subject: { readonly type: AuditedType; readonly ref: string };
  /** The raw id of the subject's team, so its team manager is told; null when the record has none. */
  readonly team: string | null;
  readonly status: AlertStatus;
  readonly closure?: AlertClosure;
}

/** An alert about to be raised: everything but what raising it fixes. */
export type NewAlert<K extends AlertKind = AlertKind> = Pick<PrivacyAlert<K>, 'kind' | 'details' | 'subject' | 'team'>;

const ALERT_COLLECTION = 'alerts';

export function alertCollection(db: Db): Collection<PrivacyAlert> {
  return db.collection<PrivacyAlert>(ALERT_COLLECTION);
}

export async function ensureAlertIndexes(db: Db): Promise<void> {
  const alerts = alertCollection(db);
  await alerts.createIndex({ status: 1, raisedAt: -1 }, { name: 'by_status' });
  await alerts.createIndex({ team: 1, status: 1, raisedAt: -1 }, { name: 'by_team' });
  await alerts.createIndex({ 'details.record': 1 }, { name: 'by_record' });
}
