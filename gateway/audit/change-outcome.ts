import { Kind, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import type { AuditedSubject, AuditRecord } from './audit-entry.js';

/**
 * What a mutation's outcome puts on the trail, root field by root field: `change` for the
 * changes that were made (with the subjects they touched), `change-failed` with the error code
 * for those that were not. A field counts as made when the subgraph returned its record; a
 * failed change with `subjects: []` under `change` would look to the DPO like a change made.
 */

/** `change-failed` codes after which the change may have been made all the same (a subgraph timed out after committing): the reconciliation asks the store. */
export const UNCERTAIN_CODES: ReadonlySet<string> = new Set(['DOWNSTREAM_SERVICE_ERROR', 'INTERNAL_SERVER_ERROR', 'DEADLINE_EXCEEDED']);

export interface RequestedChange {
  /** The response key the client will see (the alias, or the field name). */
  readonly key: string;
  /** `Mutation.field`. */
  readonly coordinate: string;
}

export interface ChangeOutcomes {
  readonly made: readonly string[];
  readonly failed: readonly { readonly change: string; readonly code: string }[];
}

/** Reads each requested change's outcome from what the subgraphs answered. */
export function changeOutcomes(
  requested: readonly RequestedChange[],
  fetched: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] },
): ChangeOutcomes {
  const made: string[] = [];
  const failed: { change: string; code: string }[] = [];
  for (const { key, coordinate } of requested) {
    const value = fetched.data?.[key];
    const error = fetched.errors?.find((each) => each.path?.[0] === key) ?? (fetched.data == null ? fetched.errors?.[0] : undefined);
    if (value !== undefined && value !== null && !error) made.push(coordinate);
    else failed.push({ change: coordinate, code: typeof error?.extensions?.code === 'string' ? error.extensions.code : 'NOT_MADE' });
  }
  return { made, failed };
}

/** The outcome entries, from the `change` record the gateway would write for a read-and-change. */
export function outcomeRecords(
  base: Omit<AuditRecord, 'action' | 'changes' | 'subjects'>,
  outcomes: ChangeOutcomes,
  subjects: readonly AuditedSubject[],
): AuditRecord[] {
  const records: AuditRecord[] = [];
  if (outcomes.made.length > 0) records.push({ ...base, action: 'change', changes: outcomes.made, subjects });
  if (outcomes.failed.length > 0) {
    records.push({
      ...base,
      action: 'change-failed',
      changes: outcomes.failed.map((each) => each.change),
      failures: outcomes.failed,
      subjects: outcomes.made.length > 0 ? [] : subjects,
    });
  }
  return records;
}

/** The changes a mutation's (fragment-inlined) selection asks for, by response key. */
export function requestedChanges(selectionSet: SelectionSetNode): RequestedChange[] {
  return selectionSet.selections.flatMap((selection): RequestedChange[] => {
    if (selection.kind === Kind.FIELD)
      return selection.name.value.startsWith('__')
        ? []
        : [{ key: selection.alias?.value ?? selection.name.value, coordinate: `Mutation.${selection.name.value}` }];
    if (selection.kind === Kind.INLINE_FRAGMENT) return requestedChanges(selection.selectionSet);
    return [];
  });
}
