import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './context.js';

/**
 * Runs a fixed GraphQL operation for a route beside the API (CSV reports, subject access
 * exports) with the caller's own context, so the same rules, redaction and audit apply as on
 * /graphql. Undefined if the server answered with something other than a single result.
 */
export async function runOperation(
  apollo: ApolloServer<GatewayContext>,
  context: GatewayContext,
  query: string,
  variables?: Record<string, unknown>,
): Promise<FormattedExecutionResult | undefined> {
  const response = await apollo.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: context });
  return response.body.kind === 'single' ? response.body.singleResult : undefined;
}
