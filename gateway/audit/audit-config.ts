import type { EnvReader } from '../../platform/env.js';

/** The audit trail's own settings (README, configuration): idempotency keys, reconciliation, checkpoints. */
export interface AuditSettings {
  /** How long an Idempotency-Key is remembered (its answer replayed). */
  readonly idempotencyKeyTtlHours: number;
  /** How often changes without outcome are looked for (also once at start-up). */
  readonly reconcileIntervalMs: number;
  /** How old a `change-requested` must be before the reconciliation decides it (younger ones may be in flight). */
  readonly reconcileGraceMs: number;
  /** Where the reconciliation asks whether a change was made: the subgraphs' server (MONGODB_URI). */
  readonly storesMongodbUri: string | undefined;
  /** Signed head checkpoints: both, or neither (then none are written). */
  readonly checkpoint: { readonly secret: string; readonly file: string; readonly intervalMs: number } | undefined;
}

/** AUDIT_RECONCILE_GRACE_MS must exceed REQUEST_DEADLINE_MS: gateway/config.ts checks it, holding both. */
export function readAuditSettings(reader: EnvReader): AuditSettings {
  // 24 h: a client retrying after an outage retries within minutes; a day covers a device
  // that was offline overnight, and the kept answers (the caller's own view) go within a day.
  const idempotencyKeyTtlHours = reader.int('IDEMPOTENCY_KEY_TTL_HOURS', 24, { min: 1, max: 168 });
  const reconcileIntervalMs = reader.int('AUDIT_RECONCILE_INTERVAL_MS', 60_000, { min: 1_000, max: 3_600_000 });
  // A change may still be in flight until its request's deadline and the subgraph's own timeout.
  const reconcileGraceMs = reader.int('AUDIT_RECONCILE_GRACE_MS', 60_000, { min: 1_000, max: 86_400_000 });
  const secret = reader.optionalString('AUDIT_CHECKPOINT_SECRET');
  const file = reader.optionalString('AUDIT_CHECKPOINT_FILE');
  const intervalMs = reader.int('AUDIT_CHECKPOINT_INTERVAL_MS', 60_000, { min: 1_000, max: 3_600_000 });
  if ((secret === undefined) !== (file === undefined))
    reader.problem('set AUDIT_CHECKPOINT_SECRET and AUDIT_CHECKPOINT_FILE together (signed head checkpoints), or neither');
  if (secret !== undefined && secret.length < 32) reader.problem('AUDIT_CHECKPOINT_SECRET must be at least 32 characters');
  return {
    idempotencyKeyTtlHours,
    reconcileIntervalMs,
    reconcileGraceMs,
    storesMongodbUri: reader.url('MONGODB_URI', undefined),
    checkpoint: secret !== undefined && file !== undefined ? { secret, file, intervalMs } : undefined,
  };
}
