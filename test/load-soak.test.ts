import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { rssGrowth, runSoak } from '../scripts/load/soak-run.js';

/**
 * Load (issue 11), short versions for the suite; the long ones are `npm run soak` (5 minutes)
 * and `SOAK_REPLICAS=2 npm run soak`. Never a time assertion: what must hold is no failed
 * request, every acknowledged write stored, one audit chain, bounded memory.
 */

describe('two gateway replicas on one audit trail under load', () => {
  it('answers every request (no contention failures) and the trail stays one chain', async () => {
    // 16 requests a second over two replicas (8 each): the rate README states.
    const result = await runSoak({ mongodbUri: inject('mongodbUri'), ratePerSecond: 16, durationMs: 8_000, replicas: 2 });
    console.info(
      `replicas: sent ${result.tally.sent}, behind ${result.tally.behind}, answered ${result.tally.answered}, failures ${JSON.stringify(result.tally.failures)}, chain entries ${result.chain.entries}`,
    );
    expect(result.tally.failures).toEqual({});
    expect(result.tally.answered).toBe(result.tally.sent);
    expect(result.stored.found).toBe(result.stored.acknowledged);
    expect(result.chain).toMatchObject({ ok: true });
    expect(result.chain.entries).toBeGreaterThanOrEqual(result.tally.acknowledged.reads.length);
  }, 120_000);
});

describe('a short soak', () => {
  it('runs at a fixed rate with no failed request and bounded memory', async () => {
    const result = await runSoak({ mongodbUri: inject('mongodbUri'), ratePerSecond: 10, durationMs: 25_000, sampleAtMs: [8_000, 25_000] });
    const growth = rssGrowth(result.rss);
    console.info(
      `short soak: sent ${result.tally.sent}, behind ${result.tally.behind}, failures ${JSON.stringify(result.tally.failures)}, rss ${result.rss.map((s) => Math.round(s.bytes / 1e6)).join(' -> ')} MB`,
    );
    expect(result.tally.failures).toEqual({});
    // How many the fixed rate could not start (behind) depends on how busy the machine is: reported, not asserted.
    expect(result.stored.found).toBe(result.stored.acknowledged);
    expect(result.chain).toMatchObject({ ok: true });
    // A test worker shares its heap with vitest, so the bound is loose; `npm run soak` holds 10%.
    expect(growth).toBeLessThan(0.5);
  }, 120_000);
});
