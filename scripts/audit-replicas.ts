/**
 * `npm run audit:replicas`: how fairly 1, 2 and 4 gateway replicas share one audit trail.
 *
 * Each replica is its own process with its own MongoDB connection and its own AuditLog (the
 * gateway's writer, unchanged: its own segment of the trail), appending read entries at the
 * same bounded rate (a fixed number of requests in flight each). Per replica: appends
 * acknowledged of those sent, p50 and p99 of the append, slots lost; then every segment of
 * the trail is verified and every acknowledged entry is looked for. Options (environment):
 *   MONGODB_URI (required), AUDIT_REPLICAS_SIZES (default "1,2,4"),
 *   AUDIT_REPLICAS_APPENDS per replica (default 300), AUDIT_REPLICAS_IN_FLIGHT per replica (default 4),
 *   AUDIT_REPLICAS_PREFILL entries already on the trail before the run (default 0).
 * Exit 1 if the chain is broken or any replica acknowledged less than 99% of its appends.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectMongo } from '../platform/mongo.js';
import { AuditLog, auditCollection } from '../gateway/audit/audit-log.js';
import { GENESIS_HASH, sealEntry, type AuditRecord } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { SegmentHeads } from '../gateway/audit/segment-heads.js';
import { entryId, ticksAt } from '../gateway/audit/writer-slots.js';

export interface ReplicaResult {
  readonly replica: number;
  readonly sent: number;
  readonly acknowledged: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Times another writer had taken this one's slot (0 unless a writer stalls for SLOT_STALE_MS). */
  readonly slotsLost: number;
  /** The `_id`s of the acknowledged entries, to look each one up on the trail. */
  readonly ids: readonly number[];
}

function record(replica: number, n: number): AuditRecord {
  return {
    at: new Date().toISOString(),
    requestId: `replica${replica}-${n}`,
    actor: { role: 'support_worker', ref: `stf_r${replica}` },
    action: 'read',
    subjects: [],
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** One replica's load: `appends` appends, `inFlight` at a time. */
export async function replicaLoad(audit: AuditLog, replica: number, appends: number, inFlight: number): Promise<ReplicaResult> {
  const latencies: number[] = [];
  let next = 0;
  const ids: number[] = [];
  const worker = async () => {
    while (next < appends) {
      const n = next++;
      const started = performance.now();
      try {
        ids.push(await audit.append(record(replica, n)));
      } catch {
        // counted as not acknowledged
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10;
  return { replica, sent: appends, acknowledged: ids.length, p50Ms: ms(50), p99Ms: ms(99), slotsLost: audit.stats.slotsLost, ids };
}

async function child(): Promise<void> {
  const [uri, dbName, replica, appends, inFlight] = [
    process.env.MONGODB_URI as string,
    process.argv[3] as string,
    Number(process.argv[4]),
    Number(process.argv[5]),
    Number(process.argv[6]),
  ];
  const mongo = await connectMongo(uri, `needtoknow-audit-replica-${replica}`, { serverSelectionTimeoutMS: 5_000 });
  try {
    const audit = new AuditLog(mongo.db(dbName), { deadlineMs: 30_000 });
    await audit.open();
    // Start together: the parent says go once every replica is connected.
    process.send?.({ type: 'ready' });
    await new Promise<void>((resolve) => process.once('message', () => resolve()));
    const result = await replicaLoad(audit, replica, appends, inFlight);
    await new Promise<void>((resolve) => process.send?.({ type: 'result', result }, undefined, {}, () => resolve()));
    await audit.close();
  } finally {
    await mongo.close();
  }
}

/** A trail of `count` entries already there: one earlier writer's segment, `_id`s from a minute ago. */
async function prefill(uri: string, dbName: string, count: number): Promise<void> {
  const mongo = await connectMongo(uri, 'needtoknow-audit-replicas-prefill');
  try {
    const entries = auditCollection(mongo.db(dbName));
    const segment = 'prefill';
    const firstK = ticksAt(Date.now() - 60_000);
    let previous = GENESIS_HASH;
    let last = { seq: 0, hash: GENESIS_HASH, lastId: 0 };
    for (let start = 1; start <= count; start += 1_000) {
      const batch = [];
      for (let seq = start; seq < Math.min(start + 1_000, count + 1); seq += 1) {
        const entry = sealEntry(record(0, seq), { _id: entryId(firstK + seq, 0), segment, seq, prevHash: previous });
        previous = entry.hash;
        batch.push(entry);
        last = { seq, hash: entry.hash, lastId: entry._id };
      }
      await entries.insertMany(batch);
    }
    // As its writer leaves it: its head in `segments`.
    const heads = new SegmentHeads(mongo.db(dbName));
    heads.publish({ segment, ...last }, new Date());
    await heads.settled();
  } finally {
    await mongo.close();
  }
}

async function run(replicas: number, uri: string, appends: number, inFlight: number, prefillCount: number): Promise<boolean> {
  const dbName = `ar${randomBytes(3).toString('hex')}_audit`;
  if (prefillCount > 0) await prefill(uri, dbName, prefillCount);
  const script = fileURLToPath(import.meta.url);
  const children = Array.from({ length: replicas }, (_, replica) =>
    fork(script, ['--child', dbName, String(replica + 1), String(appends), String(inFlight)], { env: process.env, execArgv: ['--import', 'tsx'] }),
  );
  const ready = children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve())));
  const results = children.map(
    (c) =>
      new Promise<ReplicaResult>((resolve, reject) => {
        c.on('message', (message: { type: string; result?: ReplicaResult }) => {
          if (message.type === 'result' && message.result) resolve(message.result);
        });
        c.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
      }),
  );
  await Promise.all(ready);
  for (const c of children) c.send('go');
  const all = await Promise.all(results);
  const mongo = await connectMongo(uri, 'needtoknow-audit-replicas-verify');
  try {
    const trail = auditCollection(mongo.db(dbName));
    const report = await verifyChain(trail.find({}, { sort: { _id: 1 } }));
    const acknowledged = all.reduce((sum, r) => sum + r.acknowledged, 0);
    // Every acknowledged append, found exactly once by its `_id` (and no `_id` acknowledged twice).
    const acknowledgedIds = all.flatMap((r) => r.ids);
    const found = new Set((await trail.find({ requestId: { $regex: '^replica[1-9]' } }, { projection: { _id: 1 } }).toArray()).map((entry) => entry._id));
    const missing = acknowledgedIds.filter((id) => !found.has(id)).length;
    const distinct = new Set(acknowledgedIds).size === acknowledgedIds.length;
    const segments = report.ok ? report.segments.size : 0;
    console.log(
      `${replicas} replica(s), ${appends} appends each, ${inFlight} in flight each, trail of ${prefillCount} before: chain ${report.ok ? 'verified' : `BROKEN (${report.problem})`} (${report.entries} entries in ${segments} segment(s)), ${acknowledged} acknowledged, ${missing} of them missing${distinct ? '' : ', SOME ACKNOWLEDGED TWICE'}`,
    );
    for (const r of all)
      console.log(
        `  replica ${r.replica}: ${r.acknowledged}/${r.sent} acknowledged (${((100 * r.acknowledged) / r.sent).toFixed(1)}%), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, slots lost ${r.slotsLost}`,
      );
    await mongo.db(dbName).dropDatabase();
    return report.ok && report.entries === prefillCount + acknowledged && missing === 0 && distinct && all.every((r) => r.acknowledged >= 0.99 * r.sent);
  } finally {
    await mongo.close();
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && process.argv[2] === '--child') {
  await child();
} else if (isMain) {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('set MONGODB_URI to a MongoDB (or FerretDB) server');
    process.exit(2);
  }
  const sizes = (process.env.AUDIT_REPLICAS_SIZES ?? '1,2,4').split(',').map(Number);
  const appends = Number(process.env.AUDIT_REPLICAS_APPENDS ?? 300);
  const inFlight = Number(process.env.AUDIT_REPLICAS_IN_FLIGHT ?? 4);
  const prefillCount = Number(process.env.AUDIT_REPLICAS_PREFILL ?? 0);
  let ok = true;
  for (const size of sizes) ok = (await run(size, uri, appends, inFlight, prefillCount)) && ok;
  process.exitCode = ok ? 0 : 1;
}
