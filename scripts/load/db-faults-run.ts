import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mintDevToken } from '../../gateway/auth/mint-dev-token.js';
import { auditCollection } from '../../gateway/audit/audit-log.js';
import { verifyChain } from '../../gateway/audit/verify-chain.js';
import { connectMongo, databaseName } from '../../platform/mongo.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../../platform/secrets.js';
import { PERSONAS } from '../../seed/personas.js';
import { seedDatabases } from '../../seed/write.js';
import { audienceOf } from '../../shield/audience.js';
import { createIdCodec } from '../../gateway/ids/opaque-ids.js';
import type { Principal } from '../../shield/roles.js';
import { startStack } from '../../stack/start-stack.js';
import { FerretDbProcess, freePort } from './ferretdb-process.js';
import { checkAcknowledgedStored, emptyTally, runWriteLoad, type LoadTally, type StoredCheck } from './write-load.js';
import { perSubgraph } from '../../subgraphs/registry.js';

/**
 * A FerretDB of its own (never the shared one), the stack over it, a fixed-rate write load
 * through the gateway, and the database killed (SIGKILL) and restarted on the same port and
 * data `kills` times while it runs; then every acknowledged write is looked up in the store.
 * The test (test/database-faults.test.ts) and `npm run load:db-faults` share it.
 */

export interface DatabaseFaultsResult {
  readonly tally: LoadTally;
  readonly stored: StoredCheck;
  readonly kills: number;
  /** Requests answered after the last restart, before the load stopped. */
  readonly recoveredAnswers: number;
  readonly chain: { ok: boolean; entries: number };
  /** Looks up another tally's writes in the same stores (the control, with made-up ids). */
  check(extra: LoadTally): Promise<StoredCheck>;
  close(): Promise<void>;
}

const keyworker: Principal = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDatabaseFaults(options: {
  kills: number;
  ratePerSecond: number;
  downMs: number;
  answersBetweenKills: number;
}): Promise<DatabaseFaultsResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ntk-ferret-'));
  const ferret = new FerretDbProcess(dir, await freePort());
  await ferret.start();
  const prefix = `f${randomBytes(4).toString('hex')}_`;
  // Short server selection: during an outage a request fails within seconds, not the default 30.
  const mongo = await connectMongo(ferret.uri, 'needtoknow-db-faults', { serverSelectionTimeoutMS: 1_500 });
  const db = (name: string) => mongo.db(databaseName(prefix, name));
  const dbs = { clients: db('clients'), consent: db('consent'), audit: db('audit') };
  await seedDatabases(perSubgraph(db), { size: 'demo', now: new Date() });
  const stack = await startStack({
    mongo,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_DB_PREFIX: prefix, REQUEST_DEADLINE_MS: '3000' },
    ephemeralPorts: true,
  });
  const close = async () => {
    await stack.close().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await ferret.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
    const audience = audienceOf(keyworker);
    const tally = emptyTally();
    let done = false;
    const load = runWriteLoad(
      {
        urls: [stack.gateway.url],
        token: await mintDevToken({ principal: keyworker, secret: DEV_JWT_SECRET, issuer: 'needtoknow-dev', audience: 'needtoknow' }),
        clientId: PERSONAS.sam.clientId,
        idFor: (type, raw) => codec.encode(audience, type, raw),
        rawIdOf: (type, id) => codec.decode(audience, type, id),
      },
      { ratePerSecond: options.ratePerSecond, durationMs: 24 * 3_600_000, tally, stop: () => done },
    );
    // Bounded waits on progress, never on the clock: each kill cuts into a load that is answering.
    const answered = async (more: number) => {
      const from = tally.answered;
      for (let i = 0; i < 600 && tally.answered < from + more; i += 1) await sleep(100);
      return tally.answered - from;
    };
    for (let kill = 0; kill < options.kills; kill += 1) {
      await answered(options.answersBetweenKills);
      await ferret.kill();
      await sleep(options.downMs);
      await ferret.start();
    }
    const recoveredAnswers = await answered(options.answersBetweenKills);
    done = true;
    await load;
    const stored = await checkAcknowledgedStored(dbs, tally);
    const report = await verifyChain(auditCollection(dbs.audit).find({}, { sort: { _id: 1 } }));
    return {
      tally,
      stored,
      kills: ferret.kills,
      recoveredAnswers,
      chain: { ok: report.ok, entries: report.entries },
      check: (extra) => checkAcknowledgedStored(dbs, extra),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
