import type { GraphQLError } from 'graphql';
import type { Principal } from '../../../shield/roles.js';

/**
 * What every stage of a request through the redacting gateway shares, and how a stage ends
 * the request early. The stages run in the order of their names in redacting-gateway.ts:
 * rewrite for role → check subjects → admit lookups → record intent → fetch → redact →
 * record access → answer. Each returns either what the next stage needs or the answer.
 */

/** What is known of a request before any stage runs. */
export interface RequestFacts {
  readonly principal: Principal;
  /** The audience the caller's ids are minted for. */
  readonly audience: string;
  readonly requestId: string;
  /** One instant for the whole request: every rule and every trail entry sees the same time. */
  readonly now: Date;
  readonly operationName: string | null | undefined;
  /** The variables as the client sent them (ids still opaque). */
  readonly clientVariables: Readonly<Record<string, unknown>>;
}

/** An answer that ends the request: errors only, or a replayed first answer. */
export interface EarlyAnswer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLError[];
}

export type StageOutcome<T> = { readonly next: T } | { readonly answer: EarlyAnswer };

export function ended<T>(outcome: StageOutcome<T>): outcome is { readonly answer: EarlyAnswer } {
  return 'answer' in outcome;
}

export function answerWith(...errors: GraphQLError[]): { readonly answer: EarlyAnswer } {
  return { answer: { errors } };
}
