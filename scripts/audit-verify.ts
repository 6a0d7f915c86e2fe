import { readGatewayConfig } from '../gateway/config.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { checkTrailAgainstCheckpoints, readCheckpoints } from '../gateway/audit/head-checkpoints.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';

// `npm run audit:verify`: walks the audit trail's hash chain, then checks it still reaches the
// newest signed head checkpoint (AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_SECRET) with the same
// hash there, so entries cut off the end are found too. Exit 0 if intact, 1 where it breaks.

const { config } = readGatewayConfig(process.env);
if (config.auditMongodbUri === undefined) {
  console.error('set MONGODB_URI (or AUDIT_MONGODB_URI) to the server holding the audit trail');
  process.exit(2);
}
const checkpointing = config.audit.checkpoint;
const { checkpoints, malformed } = checkpointing ? await readCheckpoints(checkpointing.file) : { checkpoints: [], malformed: [] };
const wanted = new Set(checkpoints.map((checkpoint) => checkpoint.seq));
const hashes = new Map<number, string>();
async function* tapped(entries: AsyncIterable<AuditEntry>): AsyncIterable<AuditEntry> {
  for await (const entry of entries) {
    if (wanted.has(entry._id)) hashes.set(entry._id, entry.hash);
    yield entry;
  }
}
const mongo = await connectMongo(config.auditMongodbUri, 'needtoknow-audit-verify');
try {
  const name = databaseName(config.databasePrefix, 'audit');
  const report = await verifyChain(tapped(auditCollection(mongo.db(name)).find({}, { sort: { _id: 1 } })));
  if (!report.ok) {
    console.error(`audit trail BROKEN at entry ${report.at}: ${report.problem}`);
    process.exitCode = 1;
  } else if (!checkpointing) {
    console.log(`audit trail intact: ${report.entries} entries in ${name} on ${redactMongoUri(config.auditMongodbUri)}; head ${report.head}`);
    console.log('no signed checkpoints configured (AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_SECRET): entries cut off the end cannot be detected');
  } else if (malformed.length > 0) {
    console.error(`audit checkpoints DAMAGED: line(s) ${malformed.join(', ')} of ${checkpointing.file} are not checkpoints`);
    process.exitCode = 1;
  } else {
    const anchored = checkTrailAgainstCheckpoints(checkpointing.secret, checkpoints, report.entries, (seq) => hashes.get(seq));
    if (anchored.ok) {
      const last = anchored.checkpoint ? `; reaches the last checkpoint (entry ${anchored.checkpoint.seq}, ${anchored.checkpoint.at})` : '; no checkpoint written yet';
      console.log(`audit trail intact: ${report.entries} entries in ${name} on ${redactMongoUri(config.auditMongodbUri)}; head ${report.head}${last}`);
    } else {
      console.error(`audit trail BROKEN: ${anchored.problem}`);
      process.exitCode = 1;
    }
  }
} finally {
  await mongo.close();
}
