import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { IdCodec } from '../../ids/opaque-ids.js';
import { AccessRecorder } from '../../audit/access-recorder.js';
import { ancestorsOf } from '../ancestors.js';
import { readFacts } from '../fact-selections.js';
import type { RedactionContext } from '../redaction-schema.js';
import type { CheckedOperation } from './check-subjects.js';
import type { FetchedResult } from './fetch-rewritten.js';
import type { RequestFacts } from './stage.js';

export interface Redacted {
  readonly result: ExecutionResult;
  /** What the redaction returned and denied, about whom: what the trail records (record-access.ts). */
  readonly recorder: AccessRecorder;
}

/**
 * Stage 6, redact: the operation as the client wrote it, executed over what was fetched on the
 * schema guarded by graphql-shield (redaction-schema.ts). Nothing fetched reaches the client
 * except through a field the client asked for and the shield allowed.
 */
export async function redactResult(
  services: { schema: GraphQLSchema; codec: IdCodec },
  request: RequestFacts,
  document: DocumentNode,
  checked: CheckedOperation,
  fetched: FetchedResult,
): Promise<Redacted> {
  const recorder = new AccessRecorder();
  const context: RedactionContext = {
    principal: request.principal,
    now: request.now,
    refused: new Set(checked.refused.keys()),
    factsAbout: (object) => readFacts(object, ancestorsOf(object)),
    encodeId: (typeName, rawId) => services.codec.encode(request.audience, typeName, rawId),
    recorder,
  };
  const result = await execute({
    schema: services.schema,
    document,
    rootValue: fetched.data ?? {},
    contextValue: context,
    variableValues: request.clientVariables,
    operationName: request.operationName,
  });
  return { result, recorder };
}
