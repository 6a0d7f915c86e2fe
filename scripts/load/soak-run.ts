import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { mintDevToken } from '../../gateway/auth/mint-dev-token.js';
import { connectMongo, databaseName } from '../../platform/mongo.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../../platform/secrets.js';
import { PERSONAS } from '../../seed/personas.js';
import { seedDatabases } from '../../seed/write.js';
import { audienceOf } from '../../shield/audience.js';
import { createIdCodec } from '../../gateway/ids/opaque-ids.js';
import type { Principal } from '../../shield/roles.js';
import { startStack, type RunningStack } from '../../stack/start-stack.js';
import { checkAcknowledgedStored, emptyTally, runWriteLoad, type LoadTally, type StoredCheck } from './write-load.js';
import { perSubgraph, STACK_DATABASES } from '../../subgraphs/registry.js';

/**
 * A stack (three subgraphs and `replicas` gateways) in this process over its own databases,
 * and a fixed-rate write load through it for a fixed time: what `npm run soak`, the soak test
 * and the replica test share. RSS is this whole process (stack and load generator; the load
 * keeps only ids, a few kB a minute).
 */

export interface SoakOptions {
  readonly mongodbUri: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Moments (ms from the start of the load) to sample RSS at. */
  readonly sampleAtMs?: readonly number[];
  /** Gateways over the same databases and audit trail (default 1). */
  readonly replicas?: number;
}

export interface SoakResult {
  readonly tally: LoadTally;
  readonly stored: StoredCheck;
  readonly rss: readonly { atMs: number; bytes: number }[];
  readonly chain: { ok: boolean; entries: number; problem?: string };
}

const keyworker: Principal = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam };

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const prefix = `s${randomBytes(4).toString('hex')}_`;
  const stacks: RunningStack[] = [];
  let mongo: MongoClient | undefined;
  try {
    mongo = await connectMongo(options.mongodbUri, 'needtoknow-soak');
    const db = (name: string) => mongo!.db(databaseName(prefix, name));
    await seedDatabases(perSubgraph(db), { size: 'demo', now: new Date() });
    for (let i = 0; i < (options.replicas ?? 1); i += 1) {
      stacks.push(
        await startStack({
          mongo,
          env: {
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            MONGODB_DB_PREFIX: prefix,
            // A loaded 2-core machine can starve a request past the 5 s deadline; that is the
            // machine, not a fault. The load counts failures, so deadlines are out of its way
            // (as in the benchmark); the deadline's own tests are test/audit-faults.test.ts.
            REQUEST_DEADLINE_MS: '30000',
            SUBGRAPH_TIMEOUT_MS: '30000',
          },
          ephemeralPorts: true,
        }),
      );
    }
    const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
    const audience = audienceOf(keyworker);
    const tally = emptyTally();
    const rss: { atMs: number; bytes: number }[] = [];
    const timers = (options.sampleAtMs ?? []).map((atMs) => setTimeout(() => rss.push({ atMs, bytes: settledRss() }), atMs));
    await runWriteLoad(
      {
        urls: stacks.map((stack) => stack.gateway.url),
        token: await mintDevToken({ principal: keyworker, secret: DEV_JWT_SECRET, issuer: 'needtoknow-dev', audience: 'needtoknow' }),
        clientId: PERSONAS.sam.clientId,
        idFor: (type, raw) => codec.encode(audience, type, raw),
        rawIdOf: (type, id) => codec.decode(audience, type, id),
      },
      { ratePerSecond: options.ratePerSecond, durationMs: options.durationMs, tally },
    );
    for (const timer of timers) clearTimeout(timer);
    // A sample due at the very end may land after the last request; take it now if so.
    for (const atMs of options.sampleAtMs ?? []) if (!rss.some((sample) => sample.atMs === atMs)) rss.push({ atMs, bytes: settledRss() });
    const stored = await checkAcknowledgedStored({ clients: db('clients'), consent: db('consent'), audit: db('audit') }, tally);
    const { verifyChain } = await import('../../gateway/audit/verify-chain.js');
    const { auditCollection } = await import('../../gateway/audit/audit-log.js');
    const report = await verifyChain(auditCollection(db('audit')).find({}, { sort: { _id: 1 } }));
    return { tally, stored, rss, chain: report.ok ? { ok: true, entries: report.entries } : { ok: false, entries: report.entries, problem: report.problem } };
  } finally {
    for (const stack of stacks.reverse()) await stack.close().catch(() => undefined);
    if (mongo) {
      for (const name of STACK_DATABASES)
        await mongo
          .db(databaseName(prefix, name))
          .dropDatabase()
          .catch(() => undefined);
      await mongo.close();
    }
  }
}

/**
 * RSS after a full collection when the process runs with --expose-gc (`npm run soak` does),
 * so a sample measures what is kept, not where the collector happened to be.
 */
function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage.rss();
}

/** RSS growth from the first sample to the last, as a fraction of the first. */
export function rssGrowth(rss: SoakResult['rss']): number {
  const sorted = [...rss].sort((a, b) => a.atMs - b.atMs);
  const first = sorted[0]?.bytes ?? 0;
  const last = sorted.at(-1)?.bytes ?? 0;
  return first === 0 ? 0 : (last - first) / first;
}
