import type { Principal } from '../../shield/roles.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { AuditRecord } from './audit-entry.js';

/** The audit audience: the trail names subjects by the ids the DPO sees, never by raw ids. */
export const AUDIT_AUDIENCE = 'dpo';

/** Who acted, as the trail names them: staff by their id; a service user, who is a client, by their pseudonym. */
export function auditActor(principal: Principal, codec: IdCodec): AuditRecord['actor'] {
  return {
    role: principal.role,
    ref: principal.role === 'service_user' ? codec.encode(AUDIT_AUDIENCE, 'Client', principal.sub) : principal.sub,
    ...(principal.agency ? { agency: principal.agency } : {}),
    ...(principal.purpose ? { purpose: principal.purpose } : {}),
  };
}

export function auditRecord(
  fields: Pick<AuditRecord, 'requestId' | 'action' | 'subjects'> & {
    at: Date;
    actor: AuditRecord['actor'];
    changes?: readonly string[];
    why?: AuditRecord['why'];
  },
): AuditRecord {
  const { at, changes, why, ...rest } = fields;
  return {
    ...rest,
    at: at.toISOString(),
    ...(changes && changes.length > 0 ? { changes } : {}),
    ...(why && why.length > 0 ? { why } : {}),
  };
}
