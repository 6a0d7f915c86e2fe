import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LEGACY_SEGMENT } from './audit-entry.js';
import { checkpointIsGenuine, checkTrailAgainstCheckpoints, signCheckpoint, type Checkpoint, type TrailSeen } from './head-checkpoints.js';

const SECRET = 'a-checkpoint-secret-of-at-least-32-chars';
const hash = (segment: string, seq: number) => `${segment}-${seq}`.padEnd(64, '0');

/** A trail whose segments end at the given seqs, every entry's hash derived from its place. */
function seen(ends: Record<string, number>, rewritten?: { segment: string; seq: number }): TrailSeen {
  return {
    lastSeq: (segment) => ends[segment],
    hashAt: (segment, seq) =>
      seq <= (ends[segment] ?? 0) ? (rewritten?.segment === segment && rewritten.seq === seq ? 'f'.repeat(64) : hash(segment, seq)) : undefined,
  };
}

const checkpoint = (heads: Record<string, number>, minute: number): Checkpoint =>
  signCheckpoint(
    SECRET,
    Object.entries(heads).map(([segment, seq]) => ({ segment, seq, hash: hash(segment, seq) })),
    new Date(Date.UTC(2026, 11, 1, 12, minute)),
  );

describe('signed checkpoints of segment heads', () => {
  const file = [checkpoint({ a: 3, b: 1 }, 0), checkpoint({ a: 9, b: 4 }, 1), checkpoint({ b: 6, c: 2 }, 2)];

  it('passes a trail that reaches every checkpoint, naming the last', () => {
    expect(checkTrailAgainstCheckpoints(SECRET, file, seen({ a: 10, b: 6, c: 2 }))).toEqual({ ok: true, checkpoint: file[2] });
    expect(checkTrailAgainstCheckpoints(SECRET, [], seen({}))).toEqual({ ok: true, checkpoint: undefined });
  });

  it("fails when a segment's newest entries were cut off, naming the last checkpoint of it", () => {
    expect(checkTrailAgainstCheckpoints(SECRET, file, seen({ a: 7, b: 6, c: 2 }))).toEqual({
      ok: false,
      problem: 'entries cut off the end of segment a: the last checkpoint of it (2026-12-01T12:01:00.000Z) has it at entry 9, the trail ends at entry 7',
    });
  });

  it('fails when a checkpointed segment is gone, or rewritten at a checkpointed entry', () => {
    expect(checkTrailAgainstCheckpoints(SECRET, file, seen({ a: 10, b: 6 }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^segment c is gone: the last checkpoint of it \(2026-12-01T12:02/),
    });
    expect(checkTrailAgainstCheckpoints(SECRET, file, seen({ a: 10, b: 6, c: 2 }, { segment: 'a', seq: 3 }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^entry 3 of segment a does not match the checkpoint of 2026-12-01T12:00/),
    });
  });

  it('refuses a forged or altered checkpoint', () => {
    const altered = { ...file[1], heads: [{ segment: 'a', seq: 5, hash: hash('a', 5) }] } as Checkpoint;
    expect(checkpointIsGenuine(SECRET, altered)).toBe(false);
    expect(checkTrailAgainstCheckpoints(SECRET, [altered], seen({ a: 10 }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/do not carry a valid signature/),
    });
    expect(checkTrailAgainstCheckpoints('another-secret-of-at-least-32-characters', file, seen({ a: 10, b: 6, c: 2 }))).toMatchObject({ ok: false });
  });

  it('still accepts a line of the one-chain format, as a checkpoint of the entries before segments', () => {
    const at = '2026-11-30T12:00:00.000Z';
    const mac = createHmac('sha256', SECRET)
      .update(`needtoknow-audit-checkpoint\n5\n${hash(LEGACY_SEGMENT, 5)}\n${at}`)
      .digest('hex');
    const legacy: Checkpoint = { at, heads: [{ segment: LEGACY_SEGMENT, seq: 5, hash: hash(LEGACY_SEGMENT, 5) }], mac, legacy: true };
    expect(checkTrailAgainstCheckpoints(SECRET, [legacy], seen({ [LEGACY_SEGMENT]: 8 }))).toEqual({ ok: true, checkpoint: legacy });
    expect(checkTrailAgainstCheckpoints(SECRET, [legacy], seen({ [LEGACY_SEGMENT]: 4 }))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^entries cut off the end of segment before-segments/),
    });
  });
});
