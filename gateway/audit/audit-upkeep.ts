import type { Db, MongoClient } from 'mongodb';
import type { Logger } from '../../platform/logger.js';
import { connectMongo, databaseName } from '../../platform/mongo.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { AuditSettings } from './audit-config.js';
import type { AuditLog } from './audit-log.js';
import { AUDIT_AUDIENCE } from './audit-record.js';
import { appendCheckpoint, signCheckpoint } from './head-checkpoints.js';
import type { IdempotencyKeys } from './idempotency-keys.js';
import { ChangeReconciler, storeProbe, type StoreProbe } from './reconcile-changes.js';
import { SegmentHeads } from './segment-heads.js';

/**
 * A checkpoint after the first signs the heads of segments that moved within this window (a
 * process's first signs every segment): a segment that stopped is covered by the checkpoints
 * written while it moved, and a line does not grow with every gateway start there ever was.
 */
const CHECKPOINT_WINDOW_MIN_MS = 15 * 60_000;

/**
 * The trail's upkeep in each gateway replica, on timers that never hold the process open:
 * the reconciliation (at start-up and every AUDIT_RECONCILE_INTERVAL_MS), pruning expired
 * idempotency keys (FerretDB 1.x has no TTL monitor), and signed head checkpoints (every
 * AUDIT_CHECKPOINT_INTERVAL_MS, to the file and the log). A failed round is logged (no
 * personal data: counts and positions) and tried again at the next.
 */

export interface AuditUpkeep {
  readonly reconciler: ChangeReconciler;
  /** Writes one checkpoint now (tests; also what the timer does). */
  checkpoint(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAuditUpkeep(options: {
  settings: AuditSettings;
  databasePrefix: string;
  auditDb: Db;
  audit: AuditLog;
  keys: IdempotencyKeys;
  codec: IdCodec;
  logger: Logger;
  /** The subgraphs' databases, if the caller has them; else from MONGODB_URI; else changes are reconciled as `change-unknown`. */
  storeDb?: (name: 'clients' | 'consent') => Db;
}): Promise<AuditUpkeep> {
  const { settings, logger } = options;
  let storeClient: MongoClient | undefined;
  let databaseOf = options.storeDb;
  if (!databaseOf && settings.storesMongodbUri) {
    storeClient = await connectMongo(settings.storesMongodbUri, 'needtoknow-gateway-reconcile');
    const client = storeClient;
    databaseOf = (name) => client.db(databaseName(options.databasePrefix, name));
  }
  const unknown: StoreProbe = () => Promise.resolve(undefined);
  const reconciler = new ChangeReconciler({
    auditDb: options.auditDb,
    audit: options.audit,
    probe: databaseOf ? storeProbe(databaseOf) : unknown,
    keys: options.keys,
    graceMs: settings.reconcileGraceMs,
    subjectRef: (rawId) => options.codec.encode(AUDIT_AUDIENCE, 'Client', rawId),
  });
  const reconcile = async () => {
    try {
      const report = await reconciler.run();
      const pruned = await options.keys.prune(new Date());
      if (report && (report.examined > 0 || report.keysSettled > 0 || pruned > 0)) logger.info({ ...report, keysPruned: pruned }, 'audit reconciliation');
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'audit reconciliation failed; next round later');
    }
  };
  let signedOnce = false;
  const checkpoint = async () => {
    if (!settings.checkpoint) return;
    const now = new Date();
    const since = signedOnce ? new Date(now.getTime() - Math.max(CHECKPOINT_WINDOW_MIN_MS, 3 * settings.checkpoint.intervalMs)) : undefined;
    const heads = await SegmentHeads.read(options.auditDb, since);
    if (heads.length === 0) return;
    const signed = signCheckpoint(settings.checkpoint.secret, heads, now);
    await appendCheckpoint(settings.checkpoint.file, signed);
    // In the log too: logs leave the machine, so a rewritten trail cannot take its checkpoints with it.
    logger.info({ checkpoint: signed }, 'audit head checkpoint');
    signedOnce = true;
  };
  void reconcile();
  const timers = [setInterval(() => void reconcile(), settings.reconcileIntervalMs).unref()];
  if (settings.checkpoint) {
    timers.push(
      setInterval(() => {
        checkpoint().catch((error: unknown) =>
          logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'audit head checkpoint failed; next round later'),
        );
      }, settings.checkpoint.intervalMs).unref(),
    );
  }
  return {
    reconciler,
    checkpoint,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      // The writer's last head reaches `segments` first, so the closing checkpoint covers it; its slot is given back.
      await options.audit.close().catch(() => undefined);
      await checkpoint().catch(() => undefined);
      await storeClient?.close();
    },
  };
}
