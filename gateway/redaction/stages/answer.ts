import type { GraphQLError } from 'graphql';
import type { IdCodec } from '../../ids/opaque-ids.js';
import { changeOutcomes, UNCERTAIN_CODES } from '../../audit/change-outcome.js';
import type { IdempotencyKeys } from '../../audit/idempotency-keys.js';
import { isTemporaryFailure } from '../../audit/request-deadline.js';
import { mergeErrors } from '../merge-errors.js';
import type { FetchedResult } from './fetch-rewritten.js';
import { auditedSubjects } from './record-access.js';
import type { ChangePlan } from './record-intent.js';
import type { Redacted } from './redact-result.js';

export interface Answer {
  readonly data?: Record<string, unknown> | null;
  readonly errors: GraphQLError[] | undefined;
}

/** The response: the redacted data, with the redaction's errors and the subgraphs' (masked, merge-errors.ts). Pure. */
function composeAnswer(redacted: Redacted, fetched: FetchedResult): Answer {
  return {
    ...(redacted.result.data !== undefined ? { data: redacted.result.data } : {}),
    errors: mergeErrors(redacted.result.errors ?? [], fetched.errors ?? []),
  };
}

/**
 * Stage 8, answer: the response, kept for replays of its Idempotency-Key. A temporary failure,
 * or a change that may have been made after all (a subgraph timeout), is not kept: the
 * reconciliation asks the store and releases the key (a retry goes ahead) or marks it made;
 * replaying a 503 for a day would help nobody. If keeping fails, the key stays pending and the
 * reconciliation marks it made.
 */
export async function answer(
  services: { keys: IdempotencyKeys | undefined; codec: IdCodec },
  plan: ChangePlan,
  fetched: FetchedResult,
  redacted: Redacted,
): Promise<Answer> {
  const result = composeAnswer(redacted, fetched);
  const { idempotency, requestKey } = plan;
  if (
    idempotency &&
    requestKey &&
    !isTemporaryFailure(result) &&
    !changeOutcomes(plan.requested, fetched).failed.some((each) => UNCERTAIN_CODES.has(each.code))
  ) {
    await services.keys?.settle(idempotency.id, requestKey, result, auditedSubjects(redacted, services.codec)).catch(() => undefined);
  }
  return result;
}
