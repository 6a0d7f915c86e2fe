/**
 * What every generated record needs whichever store it belongs to: an id that says nothing
 * about when or why it was made, a place among the fixed (persona) records, and a loud failure
 * when the generator's own bookkeeping is wrong.
 */
import { RESERVED_IDS } from './personas.js';
import { createPermutation, type Rng } from './random.js';

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`seed generator: missing ${what}`);
  return value;
}

/**
 * Ids from a running counter through a keyed permutation: unique, random-looking, and
 * unrelated to the counter. A counter whose id happens to equal a persona's fixed id is moved
 * to the unused upper half of the domain, which no counter reaches.
 */
export function idFactory(seed: number, stream: string, prefix: string, bits: number): (index: number) => string {
  const permute = createPermutation(seed, `${stream}/ids`, bits);
  const width = bits / 4;
  const upperHalf = 2 ** (bits - 1);
  const format = (value: number): string => prefix + value.toString(16).padStart(width, '0');
  return (index) => {
    if (index >= upperHalf) throw new RangeError(`${stream}: id counter ${index} exceeds ${upperHalf}`);
    const id = format(permute(index));
    return RESERVED_IDS.has(id) ? format(permute(index + upperHalf)) : id;
  };
}

/** Distinct random positions in [0, total) for the given special entries. */
export function placeSpecials<T>(rng: Rng, total: number, entries: readonly T[]): Map<number, T> {
  if (entries.length > total) throw new RangeError(`cannot place ${entries.length} fixed records among ${total}`);
  const placed = new Map<number, T>();
  for (const entry of entries) {
    let position = rng.int(0, total - 1);
    while (placed.has(position)) position = rng.int(0, total - 1);
    placed.set(position, entry);
  }
  return placed;
}
