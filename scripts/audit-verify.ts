import { readGatewayConfig } from '../gateway/config.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { LEGACY_SEGMENT, type StoredEntry } from '../gateway/audit/audit-entry.js';
import { checkTrailAgainstCheckpoints, readCheckpoints } from '../gateway/audit/head-checkpoints.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';

// `npm run audit:verify`: walks the audit trail's hash chains (one segment per gateway
// process, merged by `_id`), then checks every segment still reaches each signed head
// checkpoint of it (AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_SECRET) with the same hash there,
// so entries cut off the end, or a whole segment removed, are found too. Exit 0 if intact, 1
// where it breaks.

const { config } = readGatewayConfig(process.env);
if (config.auditMongodbUri === undefined) {
  console.error('set MONGODB_URI (or AUDIT_MONGODB_URI) to the server holding the audit trail');
  process.exit(2);
}
const checkpointing = config.audit.checkpoint;
const { checkpoints, malformed } = checkpointing ? await readCheckpoints(checkpointing.file) : { checkpoints: [], malformed: [] };
const place = (segment: string, seq: number) => `${segment}\n${seq}`;
const wanted = new Set(checkpoints.flatMap((checkpoint) => checkpoint.heads.map((head) => place(head.segment, head.seq))));
const hashes = new Map<string, string>();
async function* tapped(entries: AsyncIterable<StoredEntry>): AsyncIterable<StoredEntry> {
  for await (const entry of entries) {
    const at = place(entry.segment ?? LEGACY_SEGMENT, entry.segment === undefined ? entry._id : (entry.seq ?? 0));
    if (wanted.has(at)) hashes.set(at, entry.hash);
    yield entry;
  }
}
const mongo = await connectMongo(config.auditMongodbUri, 'needtoknow-audit-verify');
try {
  const name = databaseName(config.databasePrefix, 'audit');
  const report = await verifyChain(tapped(auditCollection(mongo.db(name)).find({}, { sort: { _id: 1 } })));
  if (!report.ok) {
    console.error(`audit trail BROKEN at _id ${report.at}: ${report.problem}`);
    process.exitCode = 1;
  } else {
    const intact = `audit trail intact: ${report.entries} entries in ${report.segments.size} segment(s) in ${name} on ${redactMongoUri(config.auditMongodbUri)}`;
    if (!checkpointing) {
      console.log(intact);
      console.log('no signed checkpoints configured (AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_SECRET): entries cut off the end cannot be detected');
    } else if (malformed.length > 0) {
      console.error(`audit checkpoints DAMAGED: line(s) ${malformed.join(', ')} of ${checkpointing.file} are not checkpoints`);
      process.exitCode = 1;
    } else {
      const segments = report.segments;
      const anchored = checkTrailAgainstCheckpoints(checkpointing.secret, checkpoints, {
        lastSeq: (segment) => segments.get(segment)?.seq,
        hashAt: (segment, seq) => hashes.get(place(segment, seq)),
      });
      if (anchored.ok) {
        const last = anchored.checkpoint
          ? `; reaches the last checkpoint (${anchored.checkpoint.heads.length} segment head(s), ${anchored.checkpoint.at}) and every one before`
          : '; no checkpoint written yet';
        console.log(`${intact}${last}`);
      } else {
        console.error(`audit trail BROKEN: ${anchored.problem}`);
        process.exitCode = 1;
      }
    }
  }
} finally {
  await mongo.close();
}
