import type { IdCodec } from '../../ids/opaque-ids.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditedSubject } from '../../audit/audit-entry.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../../audit/audit-record.js';
import { changeOutcomes, outcomeRecords } from '../../audit/change-outcome.js';
import type { ChangeOversight } from '../../alerts/change-oversight.js';
import type { AdmittedLookups } from '../../alerts/emergency-lookup-oversight.js';
import type { CheckedOperation } from './check-subjects.js';
import type { FetchedResult } from './fetch-rewritten.js';
import type { ChangePlan } from './record-intent.js';
import type { Redacted } from './redact-result.js';
import type { RequestFacts } from './stage.js';

/** The subjects of a redaction as the DPO sees them. */
export function auditedSubjects(redacted: Redacted, codec: IdCodec): AuditedSubject[] {
  return redacted.recorder.subjects((type, rawId) => codec.encode(AUDIT_AUDIENCE, type, rawId));
}

/**
 * Stage 7, record access: before the response leaves, the read (or each change's outcome:
 * `change` for what was made, `change-failed` with its code for what was not) is on the trail,
 * with the alerts it raises alongside, not after. Fails closed: false if the trail could not
 * take it, and then the data does not leave (docs/INVARIANTS.md#7).
 */
export async function recordAccess(
  services: { audit: AuditLog; codec: IdCodec; changes: ChangeOversight | undefined },
  request: RequestFacts,
  checked: CheckedOperation,
  plan: ChangePlan,
  lookups: AdmittedLookups,
  fetched: FetchedResult,
  redacted: Redacted,
): Promise<boolean> {
  const { changes, requestKey } = plan;
  if (changes.length === 0 && redacted.recorder.isEmpty) return true;
  const subjects = auditedSubjects(redacted, services.codec);
  try {
    const entry = {
      ...auditRecord({
        at: request.now,
        requestId: request.requestId,
        actor: auditActor(request.principal, services.codec),
        action: 'read',
        subjects,
        why: redacted.recorder.why,
      }),
      ...(requestKey ? { requestKey } : {}),
    };
    const written =
      changes.length > 0
        ? services.audit.appendOutcome(outcomeRecords(entry, changeOutcomes(plan.requested, fetched), subjects))
        : services.audit.append(entry);
    // A lookup that matched a restricted record raises its alert with this entry; so do a
    // break-glass or a trustee grant that succeeded (gateway/alerts/change-oversight.ts).
    const changeAlerts =
      changes.length > 0 && services.changes
        ? services.changes.afterChanges({
            principal: request.principal,
            operation: checked.operation,
            variables: checked.variables,
            fetched,
            requestId: request.requestId,
            now: request.now,
          })
        : Promise.resolve();
    await Promise.all([lookups.raiseAlerts(fetched), changeAlerts, written]);
    return true;
  } catch {
    // An idempotency key stays pending: the reconciliation settles it from the trail and the store.
    return false;
  }
}
