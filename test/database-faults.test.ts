import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDatabaseFaults, type DatabaseFaultsResult } from '../scripts/load/db-faults-run.js';
import { emptyTally } from '../scripts/load/write-load.js';

/**
 * The database killed (SIGKILL) and restarted on the same port and data during a write load
 * through the gateway (issue 11): every write the API acknowledged — case notes, consents,
 * withdrawals, and the audit entry of every read it answered — is in the store afterwards,
 * the audit trail is still one chain, and the stack answers again by itself (nothing
 * restarted but the database). A FerretDB of this test's own, never the shared one.
 * The longer version: `npm run load:db-faults` (10 kills).
 */

const KILLS = 2;
let result: DatabaseFaultsResult;

beforeAll(async () => {
  result = await runDatabaseFaults({ kills: KILLS, ratePerSecond: 12, downMs: 1_000, answersBetweenKills: 8 });
}, 600_000);

afterAll(async () => {
  await result?.close();
});

describe('FerretDB killed and restarted under a write load', () => {
  it('keeps every acknowledged write, keeps the audit trail one chain, and recovers by itself', async () => {
    const { tally, stored } = result;
    console.info(
      `db faults: sent ${tally.sent}, answered ${tally.answered}, failures ${JSON.stringify(tally.failures)}, kills ${result.kills}, acknowledged ${stored.acknowledged}, found ${stored.found}`,
    );
    expect(result.kills).toBe(KILLS);
    // The faults were felt (requests refused while the database was away) ...
    expect(Object.values(tally.failures).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // ... only as refusals with a code (503 AUDIT_UNAVAILABLE / DEADLINE_EXCEEDED, DOWNSTREAM_SERVICE_ERROR), never data that was not stored.
    for (const kind of Object.keys(tally.failures)) expect(kind).toMatch(/^(503|500|200):[A-Z_]+$|^network$/);
    expect(stored.missing).toEqual({});
    expect(stored.found).toBe(stored.acknowledged);
    expect(tally.acknowledged.caseNotes.length).toBeGreaterThan(0);
    expect(tally.acknowledged.consents.length).toBeGreaterThan(0);
    expect(tally.acknowledged.withdrawals.length).toBeGreaterThan(0);
    expect(tally.acknowledged.reads.length).toBeGreaterThan(0);
    // Recovered by itself: answers again after the last restart.
    expect(result.recoveredAnswers).toBeGreaterThanOrEqual(8);
    expect(result.chain.ok).toBe(true);
  });

  it('control: the check finds an acknowledged write that is not in the store', async () => {
    const made = emptyTally();
    made.acknowledged.caseNotes.push(`note_never_written_${randomBytes(4).toString('hex')}`);
    made.acknowledged.reads.push('load-never-sent');
    const stored = await result.check(made);
    expect(Object.keys(stored.missing).sort()).toEqual(['caseNotes', 'reads']);
  });
});
