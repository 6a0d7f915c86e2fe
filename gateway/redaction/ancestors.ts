/**
 * The chain of parents of every fetched object, nearest first, linked while the redaction
 * schema walks the result: a rule about an object's owner (the client a case note is about)
 * and the audit's "whose data is this" both read it. A symbol, so it is never serialised.
 */

type Row = Record<string, unknown>;

const ANCESTORS = Symbol('needtoknow.ancestors');

/** Links `ancestors` to `value`, or to each item of it if it is a list. */
export function linkAncestors(value: unknown, ancestors: readonly unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) linkAncestors(item, ancestors);
  } else if (value !== null && typeof value === 'object') {
    Object.defineProperty(value, ANCESTORS, { value: ancestors, enumerable: false, configurable: true });
  }
}

export function ancestorsOf(object: object): readonly Row[] {
  return (object as { [ANCESTORS]?: Row[] })[ANCESTORS] ?? [];
}
