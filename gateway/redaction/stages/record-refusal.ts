import type { IdCodec } from '../../ids/opaque-ids.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditedSubject } from '../../audit/audit-entry.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../../audit/audit-record.js';
import type { RefusedRootField } from '../root-field-checks.js';
import type { RequestFacts } from './stage.js';

/** The subjects of a refusal as the DPO sees them: each client once, with what was asked about them. */
function refusedSubjects(refused: readonly RefusedRootField[], encodeForAudit: (rawId: string) => string): AuditedSubject[] {
  const rawIds = [...new Set(refused.flatMap((each) => (each.subject ? [each.subject] : [])))];
  return rawIds.map((rawId) => ({
    type: 'Client' as const,
    ref: encodeForAudit(rawId),
    returned: [],
    denied: refused
      .filter((each) => each.subject === rawId)
      .map((each) => each.coordinate)
      .sort(),
  }));
}

/** Puts a refusal on the trail: who tried what, about whom where known. False if the trail is down. */
export async function recordRefusal(
  services: { audit: AuditLog; codec: IdCodec },
  request: RequestFacts,
  code: string,
  refused: readonly RefusedRootField[],
): Promise<boolean> {
  const subjects = refusedSubjects(refused, (rawId) => services.codec.encode(AUDIT_AUDIENCE, 'Client', rawId));
  try {
    await services.audit.append({
      ...auditRecord({ at: request.now, requestId: request.requestId, actor: auditActor(request.principal, services.codec), action: 'refused', subjects }),
      refusal: code,
      asked: refused.map((each) => each.coordinate),
    });
    return true;
  } catch {
    return false;
  }
}
