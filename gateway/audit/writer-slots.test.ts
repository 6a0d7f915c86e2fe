import { describe, expect, it } from 'vitest';
import { entryId, EPOCH_MS, firstIdAt, SLOTS, ticksAt } from './writer-slots.js';

describe('entry ids from writer slots', () => {
  it('never collide between slots, and follow the clock', () => {
    const k = ticksAt(Date.UTC(2026, 11, 2));
    expect(new Set(Array.from({ length: SLOTS }, (_, slot) => entryId(k, slot))).size).toBe(SLOTS);
    expect(entryId(k, SLOTS - 1)).toBeLessThan(entryId(k + 1, 0));
    expect(firstIdAt(Date.UTC(2026, 11, 2))).toBe(entryId(k, 0));
    expect(ticksAt(EPOCH_MS - 1_000)).toBe(0);
  });

  it('stay exact (below 2^53) for decades', () => {
    expect(Number.isSafeInteger(entryId(ticksAt(Date.UTC(2055, 0, 1)), SLOTS - 1))).toBe(true);
  });
});
