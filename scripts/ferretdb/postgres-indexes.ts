/**
 * Creates the GIN expression indexes FerretDB on PostgreSQL needs to answer the stores' look-ups
 * from an index (subgraphs/shared/ferretdb-postgres-indexes.ts says why), e.g. after a seed:
 *
 *   FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:5432/needtoknow [MONGODB_DB_PREFIX=needtoknow_] \
 *     npx tsx scripts/ferretdb/postgres-indexes.ts
 *
 * The subgraphs do the same at start-up when FERRETDB_POSTGRESQL_URL is set.
 */
import { pathToFileURL } from 'node:url';
import { ensurePostgresIndexes } from '../../subgraphs/shared/ferretdb-postgres-indexes.js';

async function main(): Promise<number> {
  const url = process.env.FERRETDB_POSTGRESQL_URL?.trim();
  if (!url) {
    console.error(
      'postgres-indexes: set FERRETDB_POSTGRESQL_URL to the PostgreSQL database FerretDB uses, e.g.\n  postgres://postgres@127.0.0.1:5432/needtoknow',
    );
    return 2;
  }
  const prefix = process.env.MONGODB_DB_PREFIX?.trim() || 'needtoknow_';
  await ensurePostgresIndexes(url, prefix);
  console.log(`postgres-indexes: indexes in place for ${prefix}{clients,hr,consent}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
