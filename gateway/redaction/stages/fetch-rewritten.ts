import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { print } from 'graphql';
import type { GatewayContext } from '../../context.js';
import { asksForAnything } from '../root-field-checks.js';
import type { CheckedOperation } from './check-subjects.js';

export type FetchedResult = Awaited<ReturnType<GatewayExecutor>>;

/**
 * The request the real gateway plans and fetches: the operation rewritten for the role, never
 * the client's. Its plan-cache key is the rewritten text's hash, so one role's plan never
 * serves another's; a change runs under the gateway's request key (record-intent.ts).
 */
function rewrittenRequest(
  original: GatewayGraphQLRequestContext<GatewayContext>,
  checked: CheckedOperation,
  requestKey: string | undefined,
): GatewayGraphQLRequestContext {
  const source = print(checked.document);
  return {
    ...original,
    document: checked.document,
    operation: checked.operation,
    source,
    queryHash: createHash('sha256').update(source).digest('hex'),
    request: { ...original.request, query: source, variables: checked.variables },
    ...(requestKey ? { context: { ...original.context, requestId: requestKey } } : {}),
  } as GatewayGraphQLRequestContext;
}

/** Stage 5, fetch: what is left after the checks, if anything (a request whose every field was refused fetches nothing). */
export async function fetchRewritten(
  fetch: GatewayExecutor,
  original: GatewayGraphQLRequestContext<GatewayContext>,
  checked: CheckedOperation,
  requestKey: string | undefined,
): Promise<FetchedResult> {
  if (!asksForAnything(checked.operation)) return { data: {} };
  return fetch(rewrittenRequest(original, checked, requestKey));
}
