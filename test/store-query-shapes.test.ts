import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandStartedEvent, Document } from 'mongodb';
import { SCENARIOS } from '../bench/scenarios.js';
import { INDEXED_KEYS } from '../subgraphs/shared/ferretdb-postgres-indexes.js';
import { isSubgraphName } from '../subgraphs/registry.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 14: every read a caseload, client or team-caseload request sends has a filter FerretDB 1.x
 * hands to its backend, on a key the PostgreSQL backend has an index for
 * (subgraphs/shared/ferretdb-postgres-indexes.ts), so the rows read per request do not grow with the
 * collections. FerretDB pushes down only top-level scalar equalities (`{ f: v }`,
 * `{ f: { $eq: v } }`); an `$in` batch or a filter without such a key is a read of the whole
 * collection on every request. Checked on the commands the subgraphs' own driver sends, with
 * the loaders in their `per-key` shape (subgraphs/shared/loaders.ts).
 */

const READS = new Set(['find', 'aggregate', 'count', 'distinct']);

function isScalar(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (['string', 'number', 'boolean', 'bigint'].includes(typeof value)) return true;
  if (value instanceof Date) return true;
  // BSON values the driver sends as objects: ObjectId, Long, Double, Int32.
  const bsontype = (value as { _bsontype?: unknown })._bsontype;
  return bsontype === 'ObjectId' || bsontype === 'Long' || bsontype === 'Double' || bsontype === 'Int32';
}

/** The top-level keys FerretDB 1.x's PostgreSQL backend turns into SQL for this filter. */
export function pushedDownKeys(filter: Document): string[] {
  return Object.entries(filter)
    .filter(([key, value]) => {
      if (key.startsWith('$') || key.includes('.')) return false;
      if (isScalar(value)) return true;
      return typeof value === 'object' && value !== null && !Array.isArray(value) && '$eq' in value && isScalar((value as Document).$eq);
    })
    .map(([key]) => key);
}

function mentionsIn(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsIn);
  if (typeof value !== 'object' || value === null || value instanceof Date || '_bsontype' in value) return false;
  return Object.entries(value).some(([key, inner]) => key === '$in' || key === '$nin' || mentionsIn(inner));
}

function filterOf(event: CommandStartedEvent): Document {
  const command = event.command;
  if (event.commandName === 'aggregate') {
    const first = (command.pipeline as Document[])[0];
    return (first?.$match as Document | undefined) ?? {};
  }
  return ((command.filter ?? command.query) as Document | undefined) ?? {};
}

interface Read {
  collection: string;
  filter: Document;
}

let t: TestStack;
beforeAll(async () => {
  // The shape FerretDB on PostgreSQL gets (FERRETDB_POSTGRESQL_URL set); without it the loaders
  // keep one `$in` per batch, which MongoDB answers from an index in one round trip.
  t = await startTestStack({ env: { STORE_LOOKUPS: 'per-key' } });
});
afterAll(async () => {
  await t.close();
});

async function readsOf(key: string): Promise<Read[]> {
  const scenario = SCENARIOS.find((s) => s.key === key);
  if (!scenario) throw new Error(`no bench scenario ${key}`);
  const token = await t.token(scenario.principal);
  t.resetCounters();
  const { status, body } = await t.query(
    token,
    scenario.query,
    scenario.variables('on', (_stack, principal, typeName, rawId) => t.idFor(principal, typeName, rawId)),
  );
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.errors).toBeUndefined();
  // The data really came back: the shapes below are not those of an empty answer.
  expect(() => scenario.summarise(body.data ?? {})).not.toThrow();
  return (
    t.commands
      .filter((event) => READS.has(event.commandName))
      .map((event) => ({ database: event.databaseName.slice(t.prefix.length), event }))
      // The audit trail is one append per request, no read (test/audit-trail.test.ts).
      .filter(({ database }) => database !== 'audit')
      .map(({ database, event }) => ({ collection: `${database}.${String(event.command[event.commandName])}`, filter: filterOf(event) }))
  );
}

function unindexed(reads: readonly Read[]): string[] {
  return reads
    .filter(({ collection, filter }) => {
      const [database = '', name = ''] = collection.split('.');
      const indexed = (isSubgraphName(database) ? INDEXED_KEYS[database][name] : undefined) ?? [];
      return mentionsIn(filter) || !pushedDownKeys(filter).some((key) => indexed.includes(key));
    })
    .map(({ collection, filter }) => `${collection} ${JSON.stringify(filter)}`);
}

describe('the reads of a request are ones FerretDB answers from an index', () => {
  it('the filter model: a scalar equality is pushed down, $in, $or, ranges and null are not', () => {
    expect(pushedDownKeys({ clientId: 'c1', occurredAt: { $lt: new Date() } })).toEqual(['clientId']);
    expect(pushedDownKeys({ _id: { $eq: 'x' }, status: 'OPEN' })).toEqual(['_id', 'status']);
    expect(pushedDownKeys({ _id: { $in: ['a', 'b'] } })).toEqual([]);
    expect(pushedDownKeys({ $or: [{ a: 1 }], endedAt: null, 'a.b': 'c' })).toEqual([]);
    expect(mentionsIn({ $and: [{ x: { $in: [1] } }] })).toBe(true);
  });

  for (const key of ['a', 'b', 'd']) {
    it(`bench scenario ${key}: every read has an indexed equality key and no $in`, async () => {
      const reads = await readsOf(key);
      expect(reads.length).toBeGreaterThan(0);
      expect(unindexed(reads)).toEqual([]);
    });
  }
});
