import { readGatewayConfig } from '../gateway/config.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';

// `npm run audit:verify`: walks the audit trail's hash chain; exit 0 if intact, 1 where it breaks.

const { config } = readGatewayConfig(process.env);
if (config.auditMongodbUri === undefined) {
  console.error('set MONGODB_URI (or AUDIT_MONGODB_URI) to the server holding the audit trail');
  process.exit(2);
}
const mongo = await connectMongo(config.auditMongodbUri, 'needtoknow-audit-verify');
try {
  const name = databaseName(config.databasePrefix, 'audit');
  const report = await verifyChain(auditCollection(mongo.db(name)).find({}, { sort: { _id: 1 } }));
  if (report.ok) {
    console.log(`audit trail intact: ${report.entries} entries in ${name} on ${redactMongoUri(config.auditMongodbUri)}; head ${report.head}`);
  } else {
    console.error(`audit trail BROKEN at entry ${report.at}: ${report.problem}`);
    process.exitCode = 1;
  }
} finally {
  await mongo.close();
}
