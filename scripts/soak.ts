/**
 * `npm run soak`: the whole stack under a fixed-rate write load for about 5 minutes on
 * loopback, then it stops by itself (issue 11). Exit 1 if any request failed (nothing is
 * injected here, so any failure is a fault), an acknowledged write is missing from its store,
 * the audit trail is not one chain, or RSS at the end is more than 10% above RSS at 1 minute.
 * Environment: MONGODB_URI (required), SOAK_SECONDS (default 300), SOAK_RATE requests a
 * second (default 10), SOAK_REPLICAS gateways sharing the load and the audit trail (default 1).
 */
import { rssGrowth, runSoak } from './load/soak-run.js';

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.error('soak: set MONGODB_URI (e.g. mongodb://127.0.0.1:27017/)');
  process.exit(2);
}
const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const rate = Number(process.env.SOAK_RATE ?? 10);
const replicas = Number(process.env.SOAK_REPLICAS ?? 1);
if (!(seconds >= 60 && rate > 0 && rate <= 500 && Number.isInteger(replicas) && replicas >= 1 && replicas <= 4)) {
  console.error('soak: SOAK_SECONDS must be at least 60, SOAK_RATE between 1 and 500, SOAK_REPLICAS 1 to 4');
  process.exit(2);
}
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
console.log(`soak: ${rate} requests/s for ${seconds} s over ${replicas} gateway(s)…`);
const result = await runSoak({ mongodbUri: uri, ratePerSecond: rate, durationMs: seconds * 1_000, sampleAtMs: [60_000, seconds * 1_000], replicas });
const growth = rssGrowth(result.rss);
const failures = Object.values(result.tally.failures).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify(
    {
      sent: result.tally.sent,
      answered: result.tally.answered,
      failures: result.tally.failures,
      behind: result.tally.behind,
      acknowledged: result.stored.acknowledged,
      found: result.stored.found,
      chain: result.chain,
      rssMb: result.rss.map((sample) => ({ atSeconds: sample.atMs / 1_000, mb: mb(sample.bytes) })),
      rssGrowthPercent: Math.round(growth * 1_000) / 10,
    },
    null,
    2,
  ),
);
const problems = [
  ...(failures > 0 ? [`${failures} requests failed`] : []),
  ...(result.stored.found !== result.stored.acknowledged ? [`${result.stored.acknowledged - result.stored.found} acknowledged writes missing`] : []),
  ...(!result.chain.ok ? [`audit chain broken: ${result.chain.problem}`] : []),
  ...(growth > 0.1 ? [`RSS grew ${Math.round(growth * 100)}% from 1 minute to the end (limit 10%)`] : []),
];
// Not a failure: a machine busy with other work slows the stack; the rate actually achieved is reported.
if (result.tally.behind > 0)
  console.warn(`soak: ${result.tally.behind} requests could not start at the fixed rate (16 already in flight): the machine was too busy for ${rate}/s`);
for (const problem of problems) console.error(`soak: ${problem}`);
console.log(problems.length === 0 ? 'soak: ok' : 'soak: FAILED');
process.exit(problems.length === 0 ? 0 : 1);
