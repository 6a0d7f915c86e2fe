/**
 * `npm run load:db-faults`: the longer version of test/database-faults.test.ts. Starts a
 * FerretDB of its own (scripts/ferretdb/ferretdb.sh; needs Go the first time), the stack over
 * it, and kills and restarts the database DB_FAULTS_KILLS times (default 10) during a write
 * load of DB_FAULTS_RATE requests a second (default 12). Exit 1 if an acknowledged write is
 * missing, the audit trail is broken, or the stack does not answer again after the last restart.
 */
import { runDatabaseFaults } from './load/db-faults-run.js';

const kills = Number(process.env.DB_FAULTS_KILLS ?? 10);
const rate = Number(process.env.DB_FAULTS_RATE ?? 12);
if (!(Number.isInteger(kills) && kills >= 1 && kills <= 100 && rate > 0 && rate <= 200)) {
  console.error('db-faults: DB_FAULTS_KILLS must be 1 to 100, DB_FAULTS_RATE 1 to 200');
  process.exit(2);
}
console.log(`db-faults: ${kills} kills during a load of ${rate} requests/s…`);
const result = await runDatabaseFaults({ kills, ratePerSecond: rate, downMs: 1_000, answersBetweenKills: 10 });
try {
  console.log(
    JSON.stringify(
      {
        sent: result.tally.sent,
        answered: result.tally.answered,
        failures: result.tally.failures,
        kills: result.kills,
        acknowledged: result.stored.acknowledged,
        found: result.stored.found,
        missing: result.stored.missing,
        recoveredAnswers: result.recoveredAnswers,
        chain: result.chain,
      },
      null,
      2,
    ),
  );
} finally {
  await result.close();
}
const ok = result.stored.found === result.stored.acknowledged && result.chain.ok && result.recoveredAnswers > 0;
console.log(ok ? 'db-faults: ok' : 'db-faults: FAILED');
process.exit(ok ? 0 : 1);
