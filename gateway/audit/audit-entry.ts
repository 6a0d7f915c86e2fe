import { createHash } from 'node:crypto';
import type { Role } from '../../shield/roles.js';

/**
 * One entry of the audit trail, and how entries are chained. Each entry's hash covers its
 * content and the previous entry's hash, so an edited, removed or reordered entry breaks the
 * chain from that point on (`npm run audit:verify`).
 */

export type AuditedType = 'Client' | 'Employee' | 'StaffMember';

export interface AuditedSubject {
  readonly type: AuditedType;
  /** The subject's id as the DPO sees it (the `dpo` audience's opaque id), never the raw id. */
  readonly ref: string;
  /** `Type.field` coordinates returned about this subject. */
  readonly returned: readonly string[];
  /** `Type.field` coordinates asked for and denied. */
  readonly denied: readonly string[];
}

export interface AuditRecord {
  /** ISO 8601. */
  readonly at: string;
  readonly requestId: string;
  readonly actor: { readonly role: Role; readonly ref: string; readonly agency?: string; readonly purpose?: string };
  /**
   * `read`: personal data returned or denied. `change-requested`: written before a mutation is
   * forwarded (no entry, no change). `change`: the changes that were made, with their subjects;
   * `change-failed`: those that were not, with the reason code (gateway/audit/change-outcome.ts). `refused`: the request
   * was refused before anything was fetched or changed (an invalid id, a field or write the
   * role may not ask for); who tried, what, and about whom where that is known.
   * `alert-raised`: a privacy alert was raised for the DPO by what the actor did (written with
   * the read that raised it, before the response leaves). `alert-closed`: the DPO closed one
   * with an outcome (written before the alert is marked closed).
   */
  readonly action: 'read' | 'change-requested' | 'change' | 'change-failed' | 'refused' | 'alert-raised' | 'alert-closed';
  /** For `change-failed`: each change not made, with the error code its caller was given (or the reconciliation found). */
  readonly failures?: readonly { readonly change: string; readonly code: string }[];
  /** For `refused`: the error code the caller was given. */
  readonly refusal?: string;
  /** For `alert-raised` and `alert-closed`: which alert, and the DPO's outcome and note on closing. */
  readonly alert?: { readonly id: string; readonly kind: string; readonly outcome?: string; readonly note?: string };
  /** For `refused`: the queries or changes refused, as `Query.field` / `Mutation.field`. */
  readonly asked?: readonly string[];
  /** For changes: the mutations asked for, as `Mutation.field`. */
  readonly changes?: readonly string[];
  /** Why, where the request says it: e.g. an emergency caller's organisation, name and reason. */
  readonly why?: readonly { readonly field: string; readonly argument: string; readonly value: unknown }[];
  readonly subjects: readonly AuditedSubject[];
}

export interface AuditEntry extends AuditRecord {
  /** Position in the chain, from 1; also the document's `_id`. */
  readonly _id: number;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys in a fixed order at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...content } = entry;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

export function sealEntry(record: AuditRecord, seq: number, prevHash: string): AuditEntry {
  const unsealed = { ...record, _id: seq, prevHash };
  return { ...unsealed, hash: entryHash(unsealed) };
}
