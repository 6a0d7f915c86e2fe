import { randomUUID } from 'node:crypto';
import { OperationTypeNode, type OperationDefinitionNode } from 'graphql';
import { codedError } from '../../../platform/errors/coded-error.js';
import { ErrorCode } from '../../../platform/errors/error-codes.js';
import type { IdCodec } from '../../ids/opaque-ids.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditedSubject } from '../../audit/audit-entry.js';
import { auditActor, auditRecord } from '../../audit/audit-record.js';
import { requestedChanges, type RequestedChange } from '../../audit/change-outcome.js';
import { changeFingerprint, IdempotencyKeys, idempotencyKeyOf, InvalidIdempotencyKeyError } from '../../audit/idempotency-keys.js';
import { idempotencyRefusal, replayedResult } from '../../audit/idempotent-answer.js';
import { type RequestFacts, type StageOutcome } from './stage.js';
import { auditUnavailable } from './stage-errors.js';

/** The changes a request asks for and the gateway's own key for them. */
export interface ChangePlan {
  readonly requested: readonly RequestedChange[];
  /** `Mutation.field` of each change. */
  readonly changes: readonly string[];
  /**
   * The gateway's key for this request's changes: on their trail entries, and stamped by the
   * subgraphs on the records they create (they see it as the request id), so the reconciliation
   * can ask the store whether a change without an outcome was made. Never the client's.
   */
  readonly requestKey: string | undefined;
  /** The claimed Idempotency-Key, settled with the answer (answer.ts). */
  readonly idempotency: { readonly id: string } | undefined;
}

/** Which changes an operation asks for, and a fresh key if it asks for any. Pure but for the key. */
function planChanges(operation: OperationDefinitionNode): Omit<ChangePlan, 'idempotency'> {
  const requested = operation.operation === OperationTypeNode.MUTATION ? requestedChanges(operation.selectionSet) : [];
  const changes = requested.map((change) => change.coordinate);
  return { requested, changes, requestKey: changes.length > 0 ? randomUUID() : undefined };
}

/**
 * Stage 4, record intent: a change is on the record before it is made (`change-requested`; if
 * the trail cannot be written, nothing changes), after its Idempotency-Key is claimed — a
 * retry with the same key gets the first outcome instead (gateway/audit/idempotency-keys.ts).
 */
export async function recordIntent(
  services: { audit: AuditLog; codec: IdCodec; keys: IdempotencyKeys | undefined },
  request: RequestFacts,
  client: { readonly idempotencyHeader: string | null | undefined; readonly source: string },
  operation: OperationDefinitionNode,
): Promise<StageOutcome<ChangePlan>> {
  const plan = planChanges(operation);
  const { requestKey, changes } = plan;
  if (!requestKey) return { next: { ...plan, idempotency: undefined } };
  let idempotency: { id: string } | undefined;
  if (services.keys) {
    let key: string | undefined;
    try {
      key = idempotencyKeyOf(client.idempotencyHeader);
    } catch (error) {
      if (error instanceof InvalidIdempotencyKeyError) return { answer: { errors: [codedError(ErrorCode.BAD_USER_INPUT, error.message)] } };
      throw error;
    }
    if (key !== undefined) {
      const id = IdempotencyKeys.idOf(request.principal, key);
      let claim;
      try {
        claim = await services.keys.claim(id, changeFingerprint(client.source, request.operationName, { ...request.clientVariables }), requestKey, request.now);
      } catch {
        return { answer: { errors: [auditUnavailable()] } };
      }
      if (claim.kind === 'replay') {
        // The first answer again: personal data leaving, so a read on the trail first.
        try {
          const subjects = JSON.parse(claim.subjects) as AuditedSubject[];
          await services.audit.append(
            auditRecord({ at: request.now, requestId: request.requestId, actor: auditActor(request.principal, services.codec), action: 'read', subjects }),
          );
        } catch {
          return { answer: { errors: [auditUnavailable()] } };
        }
        return { answer: replayedResult(claim.response) };
      }
      if (claim.kind !== 'claimed') return { answer: { errors: [idempotencyRefusal(claim.kind)] } };
      idempotency = { id };
    }
  }
  try {
    await services.audit.append({
      ...auditRecord({
        at: request.now,
        requestId: request.requestId,
        actor: auditActor(request.principal, services.codec),
        action: 'change-requested',
        changes,
        subjects: [],
      }),
      requestKey,
    });
  } catch {
    if (idempotency) await services.keys?.release(idempotency.id, requestKey).catch(() => undefined);
    return { answer: { errors: [auditUnavailable()] } };
  }
  return { next: { ...plan, idempotency } };
}
