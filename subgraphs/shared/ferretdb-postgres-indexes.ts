/**
 * GIN expression indexes for FerretDB 1.x on PostgreSQL, on the keys the stores look records up by.
 * The subgraphs create them at start-up when `FERRETDB_POSTGRESQL_URL` is set;
 * scripts/ferretdb/postgres-indexes.ts does it from the command line.
 *
 * FerretDB's PostgreSQL handler turns a top-level scalar equality `{ f: v }` into
 * `_jsonb->'f' @> '<v as JSON>'`, and nothing else (`$in`, `$or`, ranges, `null`) into SQL at all.
 * The btree indexes FerretDB makes for `createIndex` are on `((_jsonb->'f'))` and cannot answer
 * `@>`, so every query is a sequential scan; `USING gin ((_jsonb->'f') jsonb_path_ops)` answers it,
 * for an array field too (`["a","b"] @> '"a"'`). Idempotent: it runs at every start-up; a
 * collection created later (a first write) gets its indexes at the next start-up or CLI run.
 *
 * FerretDB queries with the key as a bind parameter (`_jsonb->$1 @> $2`) in named prepared
 * statements, and a generic plan can never match an expression index, so the database is also
 * set to plan every execution for its values (`plan_cache_mode = force_custom_plan`), which
 * applies to connections opened after it; `ferretdb.sh start-postgresql` asks for it per
 * connection as well.
 *
 * There is no PostgreSQL driver among the dependencies; the SQL goes through `psql`.
 */
import { execFile } from 'node:child_process';
import type { SubgraphName } from '../registry.js';

/**
 * Per subgraph database (without the prefix), per collection: the keys the stores' reads
 * filter on by equality. test/store-query-shapes.test.ts holds every per-request read to
 * one of these. Keyed by every registered subgraph, so a new one cannot be forgotten here
 * (an empty `{}` for a subgraph whose store looks nothing up by key).
 */
export const INDEXED_KEYS: Readonly<Record<SubgraphName, Readonly<Record<string, readonly string[]>>>> = {
  clients: {
    clients: ['_id', 'keyworkerStaffIds', 'teamId', 'dateOfBirth'],
    caseNotes: ['_id', 'clientId'],
    homeVisits: ['_id', 'clientId'],
    personNames: ['_id'],
    teams: ['_id'],
  },
  hr: {
    employees: ['_id', 'staffId'],
    teams: ['_id'],
    posts: ['_id'],
  },
  consent: {
    consents: ['_id', 'subjectClientId'],
    disclosures: ['_id', 'subjectClientId'],
    exceptionalDisclosures: ['_id', 'subjectClientId'],
    trusteeGrants: ['_id', 'subjectClientId', 'trusteeId'],
    subjectAccessRequests: ['_id'],
    decisionsNotToShare: ['_id', 'subjectClientId'],
  },
};

/** A SQL string literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * One `DO` block: for the FerretDB schemas (MongoDB databases) `<prefix><subgraph>`, every
 * collection above that exists there, an index per key. Index names are FerretDB's table name
 * plus a hash of the key, so they stay within PostgreSQL's 63 characters and never collide.
 * Each subgraph indexes only its own schema, so subgraphs starting together never race.
 */
function indexSql(prefix: string, subgraphs: readonly SubgraphName[] = Object.keys(INDEXED_KEYS) as SubgraphName[]): string {
  const rows = subgraphs.flatMap((subgraph) =>
    Object.entries(INDEXED_KEYS[subgraph]).flatMap(([collection, keys]) =>
      keys.map((key) => `(${literal(prefix + subgraph)}, ${literal(collection)}, ${literal(key)})`),
    ),
  );
  if (rows.length === 0) throw new Error(`postgres-indexes: no indexed keys for ${subgraphs.join(', ')}`);
  return `
SET client_min_messages = warning;
DO $$
DECLARE
  wanted record;
  tbl text;
BEGIN
  IF current_setting('plan_cache_mode') <> 'force_custom_plan' THEN
    BEGIN
      EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
    EXCEPTION WHEN OTHERS THEN
      -- Another process set it at the same moment, or this role may not: ferretdb.sh asks per connection.
      RAISE WARNING 'postgres-indexes: could not set plan_cache_mode: %', SQLERRM;
    END;
  END IF;
  FOR wanted IN SELECT * FROM (VALUES ${rows.join(', ')}) AS w(schema_name, collection, key) LOOP
    CONTINUE WHEN to_regclass(format('%I._ferretdb_database_metadata', wanted.schema_name)) IS NULL;
    EXECUTE format('SELECT _jsonb->>''table'' FROM %I._ferretdb_database_metadata WHERE _jsonb->''_id'' = to_jsonb($1::text)', wanted.schema_name)
      INTO tbl USING wanted.collection;
    CONTINUE WHEN tbl IS NULL;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
      left(tbl, 40) || '_gin_' || left(md5(wanted.key), 8), wanted.schema_name, tbl, wanted.key);
    -- Fresh statistics, so the planner knows an equality picks few rows of a just-seeded table.
    EXECUTE format('ANALYZE %I.%I', wanted.schema_name, tbl);
  END LOOP;
END
$$;
`;
}

/** Runs `sql` with psql against `url`; rejects with psql's own message. */
function runPsql(url: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], (error, _stdout, stderr) => {
      if (error) reject(new Error(`postgres-indexes: psql failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
    child.stdin?.end(sql);
  });
}

/** Creates the indexes for the databases `<prefix><subgraph>` (every subgraph's by default). */
export async function ensurePostgresIndexes(url: string, prefix: string, subgraphs?: readonly SubgraphName[]): Promise<void> {
  // A subgraph whose store looks nothing up by key has nothing to index.
  if (subgraphs?.every((subgraph) => Object.keys(INDEXED_KEYS[subgraph]).length === 0)) return;
  await runPsql(url, indexSql(prefix, subgraphs));
}
