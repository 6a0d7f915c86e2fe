/**
 * The settings every process of a bench run shares: our stacks start from them, and the peer
 * gateway reads the same token and signing settings from them, so one minted token and one
 * signing secret serve all four stacks.
 */
export function benchStackEnv(prefix: string): Record<string, string> {
  // Built from scratch, not from process.env: the tokens bench/run.ts mints use the
  // development secrets and issuer, so a JWT_SECRET in the shell must not change them.
  // Long deadlines: a report at the benchmark size takes FerretDB tens of seconds, and the bench measures it rather than cutting it off.
  // The database settings are the run's own (subgraphs/shared/config.ts): on FerretDB's PostgreSQL
  // backend the subgraphs create their indexes and send one equality find per key.
  const database = Object.fromEntries(['FERRETDB_POSTGRESQL_URL', 'STORE_LOOKUPS'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    MONGODB_DB_PREFIX: prefix,
    REQUEST_DEADLINE_MS: '300000',
    SUBGRAPH_TIMEOUT_MS: '300000',
    AUDIT_RECONCILE_GRACE_MS: '600000',
    ...database,
  };
}
