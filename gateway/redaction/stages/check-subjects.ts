import { Kind, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { IdCodec } from '../../ids/opaque-ids.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { inlineFragments } from '../inline-fragments.js';
import type { RewrittenOperation } from '../rewrite-operation.js';
import { checkRootFields, withoutRefused, type RefusedRootField } from '../root-field-checks.js';
import { FactsUnavailableError, type SubjectFactsSource } from '../subject-facts.js';
import { recordRefusal } from './record-refusal.js';
import { answerWith, type RequestFacts, type StageOutcome } from './stage.js';
import { auditUnavailable, factsUnavailable } from './stage-errors.js';

export interface CheckedOperation {
  /** The rewritten operation without the refused root fields: what may be forwarded. */
  readonly operation: OperationDefinitionNode;
  readonly document: DocumentNode;
  /** Raw ids decoded from the client's values, by variable name (rewrite-operation.ts). */
  readonly variables: Record<string, unknown>;
  /** Refused root fields by response key: answered FORBIDDEN by the redaction. */
  readonly refused: ReadonlyMap<string, RefusedRootField>;
}

/**
 * Stage 2, check subjects: each root field's grant is checked on the subject its arguments name
 * before anything is forwarded (root-field-checks.ts; writes obey the same circles as reads,
 * docs/INVARIANTS.md#10). Refused fields are removed and put on the trail; the rest go on.
 */
export async function checkSubjects(
  services: { schema: GraphQLSchema; facts: SubjectFactsSource; codec: IdCodec; audit: AuditLog },
  request: RequestFacts,
  document: DocumentNode,
  selected: OperationDefinitionNode | undefined,
  rewritten: RewrittenOperation,
): Promise<StageOutcome<CheckedOperation>> {
  const kind = rewritten.operation.operation;
  const rootType =
    kind === OperationTypeNode.MUTATION ? services.schema.getMutationType() : kind === OperationTypeNode.QUERY ? services.schema.getQueryType() : undefined;
  let refused: ReadonlyMap<string, RefusedRootField> = new Map();
  if (rootType && selected) {
    try {
      ({ refused } = await checkRootFields({
        kind: kind === OperationTypeNode.MUTATION ? 'Mutation' : 'Query',
        rootType,
        original: inlineFragments(document, selected),
        originalVariables: request.clientVariables,
        rewritten: rewritten.operation,
        variables: rewritten.variables,
        principal: request.principal,
        requestId: request.requestId,
        now: request.now,
        facts: services.facts,
        decodeClientId: (token) => services.codec.decode(request.audience, 'Client', token),
      }));
    } catch (error) {
      if (error instanceof FactsUnavailableError) return answerWith(factsUnavailable());
      throw error;
    }
  }
  if (refused.size > 0 && !(await recordRefusal(services, request, 'FORBIDDEN', [...refused.values()]))) return answerWith(auditUnavailable());
  const operation = withoutRefused(rewritten.operation, refused);
  return { next: { operation, document: { kind: Kind.DOCUMENT, definitions: [operation] }, variables: rewritten.variables, refused } };
}
