import { randomBytes } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { codedError } from '../../platform/errors/coded-error.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';

/**
 * What every subgraph write shares: how its input is checked, how a new record is named, and
 * how durable the write must be before the mutation answers (docs/INVARIANTS.md#9: what was
 * acknowledged is durable — a majority, journaled).
 */

export const DURABLE_WRITE = { writeConcern: { w: 'majority' as const, j: true } };

export function badInput(message: string): GraphQLError {
  return codedError(ErrorCode.BAD_USER_INPUT, message);
}

export function newRecordId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Trimmed text of a bounded length. */
export function requiredText(value: string, what: string, { min = 1, max = 200 } = {}): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw badInput(`${what} must be ${min}–${max.toLocaleString('en-GB')} characters`);
  return trimmed;
}

/** An ISO 8601 date-time. */
export function instant(value: string, what: string): Date {
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(parsed.getTime())) throw badInput(`${what} must be an ISO 8601 date-time`);
  return parsed;
}
