import { Kind, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { IdCodec } from '../../ids/opaque-ids.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { rewriteOperation, RewriteError, type FieldPolicy, type RewrittenOperation } from '../rewrite-operation.js';
import { recordRefusal } from './record-refusal.js';
import { answerWith, type RequestFacts, type StageOutcome } from './stage.js';
import { auditUnavailable } from './stage-errors.js';
import { codedError } from '../../../platform/errors/coded-error.js';
import type { ErrorCode } from '../../../platform/errors/error-codes.js';

/**
 * Stage 1, rewrite for role: fields the role may never see removed, ids decoded, the facts the
 * rules need added (rewrite-operation.ts). An operation refused here (an invalid id, a reserved
 * alias) is on the trail all the same, before the caller is told.
 */
export async function rewriteForRole(
  services: { schema: GraphQLSchema; policy: FieldPolicy; codec: IdCodec; audit: AuditLog },
  request: RequestFacts,
  document: DocumentNode,
  selected: OperationDefinitionNode | undefined,
): Promise<StageOutcome<RewrittenOperation>> {
  try {
    return {
      next: rewriteOperation({
        schema: services.schema,
        document,
        operationName: request.operationName,
        variables: request.clientVariables,
        role: request.principal.role,
        policy: services.policy,
        decodeId: (typeName, token) => services.codec.decode(request.audience, typeName, token),
      }),
    };
  } catch (error) {
    if (!(error instanceof RewriteError)) throw error;
    const root = selected?.operation === OperationTypeNode.MUTATION ? 'Mutation' : 'Query';
    const asked = selected ? rootFieldNames(selected.selectionSet).map((name) => ({ coordinate: `${root}.${name}` })) : [];
    if (!(await recordRefusal(services, request, error.code, asked))) return answerWith(auditUnavailable());
    // RewriteError's code is typed as one of the enum's values (rewrite-error.ts).
    return answerWith(codedError(error.code as ErrorCode, error.message));
  }
}

/** The root fields an operation asks for, through inline fragments (spreads are not followed: this names what was refused, best effort). */
function rootFieldNames(selectionSet: SelectionSetNode): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet);
    return [];
  });
}
