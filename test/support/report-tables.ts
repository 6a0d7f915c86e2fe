import { readFileSync } from 'node:fs';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { isRecoverable, type ProtectedCell, type ProtectedTable } from '../../reporting/disclosure-control.js';
import type { ClientDoc } from '../../subgraphs/clients/documents.js';
import type { SubgraphName } from '../../subgraphs/registry.js';

/**
 * What the reporting tests share: the table as the API returns it, whole periods, an age band
 * worked out independently of the subgraphs, every dimension's full label set worked out from
 * the schemas and the reference collections (never from report-dimensions.ts), a client's
 * labels, and the cell-by-cell check of a table against counts taken from the seeded documents.
 */

export const REPORT_FIELDS =
  'name period rowDimension columnDimension columns threshold roundingBase rows { label cells { value suppressed } total { value suppressed } } columnTotals { value suppressed } grandTotal { value suppressed }';

export interface ReportTable {
  name: string;
  period: string | null;
  rowDimension: string;
  columnDimension: string;
  columns: string[];
  threshold: number;
  roundingBase: number | null;
  rows: { label: string; cells: ProtectedCell[]; total: ProtectedCell }[];
  columnTotals: ProtectedCell[];
  grandTotal: ProtectedCell;
}

export interface WholePeriod {
  label: string;
  firstDay: string;
  lastDay: string;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The quarter `offset` quarters from the one holding `now` (0: this one, -1: the last). */
export function quarterOf(now: Date, offset = 0): WholePeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), (Math.floor(now.getUTCMonth() / 3) + offset) * 3, 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 1) - 86_400_000);
  return { label: `${start.getUTCFullYear()}-Q${Math.floor(start.getUTCMonth() / 3) + 1}`, firstDay: isoDay(start), lastDay: isoDay(end) };
}

/** The month `offset` months from the one holding `now`. */
export function monthOf(now: Date, offset = 0): WholePeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - 86_400_000);
  return { label: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`, firstDay: isoDay(start), lastDay: isoDay(end) };
}

/** Age bands: each label with the age it stops below; the last is open. */
const BANDS: readonly [number, string][] = [
  [18, '0-17'],
  [25, '18-24'],
  [35, '25-34'],
  [45, '35-44'],
  [55, '45-54'],
  [65, '55-64'],
  [Number.POSITIVE_INFINITY, '65+'],
];
const AGE_BAND_LABELS: readonly string[] = BANDS.map(([, label]) => label);

function ageBandOn(dateOfBirth: string | undefined, day: string): string {
  if (dateOfBirth === undefined) return 'UNKNOWN';
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return BANDS.find(([below]) => age < below)?.[1] ?? '65+';
}

// ---------------------------------------------------------------------------------------------
// Every dimension's full label set (docs/INVARIANTS.md#12: absence is information too).

const enums = new Map<string, readonly string[]>();

/** An enum's values, in schema order, read from a subgraph's schema file. */
export function schemaEnum(subgraph: SubgraphName, name: string): readonly string[] {
  const key = `${subgraph}.${name}`;
  const cached = enums.get(key);
  if (cached) return cached;
  const document = parse(readFileSync(new URL(`../../subgraphs/${subgraph}/schema.graphql`, import.meta.url), 'utf8'));
  const definition = document.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
  const values = (definition?.values ?? []).map((value) => value.name.value);
  expect(values.length, `enum ${name} in ${subgraph}`).toBeGreaterThan(0);
  enums.set(key, values);
  return values;
}

/** The reference collections reports take their labels from, as the databases hold them now. */
export interface ReferenceLists {
  /** Client database `teams`: name by team id. */
  readonly clientTeams: ReadonlyMap<string, string>;
  /** Client database `services`: service names. */
  readonly services: ReadonlySet<string>;
  /** HR `teams`: name by team id. */
  readonly hrTeams: ReadonlyMap<string, string>;
  /** HR `posts`: title by post id. */
  readonly posts: ReadonlyMap<string, string>;
}

export async function readReferenceLists(clients: Db, hr: Db): Promise<ReferenceLists> {
  const named = async (db: Db, collection: string, field: string) =>
    new Map(
      (await db.collection<{ _id: string } & Record<string, unknown>>(collection).find({}).toArray()).flatMap((doc) =>
        typeof doc[field] === 'string' ? [[doc._id, doc[field]] as const] : [],
      ),
    );
  const [clientTeams, services, hrTeams, posts] = await Promise.all([
    named(clients, 'teams', 'name'),
    named(clients, 'services', 'name'),
    named(hr, 'teams', 'name'),
    named(hr, 'posts', 'title'),
  ]);
  return { clientTeams, services: new Set(services.values()), hrTeams, posts };
}

/** Names from a reference list, each once, sorted: the order reports show them in. */
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/**
 * The full label set of one axis of a report, in order: the reference list (enum values in
 * schema order, bands in age order, collection names sorted), then the catch-alls that stand
 * for values missing or not on the list, always there too.
 */
function dimensionLabels(refs: ReferenceLists, report: string, dimension: string): string[] {
  const clientReport = report === 'caseload' || report === 'referralsAndClosures';
  if (clientReport) {
    switch (dimension) {
      case 'SERVICE':
        return [...sorted(refs.services), 'NOT_RECORDED', 'UNKNOWN SERVICE'];
      case 'GENDER':
        return [...schemaEnum('clients', 'Gender'), 'NOT_RECORDED'];
      case 'AGE_BAND':
        return [...AGE_BAND_LABELS, 'UNKNOWN'];
      case 'OUTCOME':
        return ['CLOSED_IN_PERIOD', 'ONGOING'];
      case 'TEAM':
        return [...sorted(refs.clientTeams.values()), 'NOT_RECORDED', 'UNKNOWN TEAM'];
      case 'ACTIVITY':
        return ['REFERRED', 'CLOSED'];
    }
  }
  if (report === 'consentActivity') return dimension === 'ACTIVITY' ? ['GIVEN', 'WITHDRAWN'] : [...schemaEnum('consent', 'RecipientType'), 'NOT_RECORDED'];
  if (report === 'exceptionalDisclosures') return dimension === 'ACTIVITY' ? ['OPENED'] : [...schemaEnum('consent', 'LegalBasis'), 'NOT_RECORDED'];
  if (report === 'headcount')
    return dimension === 'TEAM' ? [...sorted(refs.hrTeams.values()), 'NOT_RECORDED'] : [...sorted(refs.posts.values()), 'NOT_RECORDED'];
  throw new Error(`no label set for ${report} ${dimension}`);
}

/** Rows and columns are exactly their dimensions' full label sets, in order. */
export function expectFullLabels(table: ReportTable, refs: ReferenceLists): void {
  const where = `${table.name} ${table.period ?? ''} ${table.rowDimension}×${table.columnDimension}`;
  expect(
    table.rows.map((row) => row.label),
    `${where}: rows`,
  ).toEqual(dimensionLabels(refs, table.name, table.rowDimension));
  expect(table.columns, `${where}: columns`).toEqual(dimensionLabels(refs, table.name, table.columnDimension));
}

/**
 * A client's labels on a client dimension, worked out here from the documents: one, or one per
 * service. `day` is the day an age or an outcome is taken on.
 */
export function clientLabelsOn(refs: ReferenceLists, dimension: string, client: ClientDoc, day: string): string[] {
  switch (dimension) {
    case 'SERVICE': {
      const services = (client.services ?? []).filter((service) => service !== '');
      return services.length === 0 ? ['NOT_RECORDED'] : [...new Set(services.map((service) => (refs.services.has(service) ? service : 'UNKNOWN SERVICE')))];
    }
    case 'GENDER':
      return [typeof client.gender === 'string' && schemaEnum('clients', 'Gender').includes(client.gender) ? client.gender : 'NOT_RECORDED'];
    case 'AGE_BAND':
      return [ageBandOn(client.dateOfBirth, day)];
    case 'OUTCOME':
      return [client.closedOn != null && client.closedOn <= day ? 'CLOSED_IN_PERIOD' : 'ONGOING'];
    case 'TEAM':
      return [client.teamId ? (refs.clientTeams.get(client.teamId) ?? 'UNKNOWN TEAM') : 'NOT_RECORDED'];
    default:
      throw new Error(`no client dimension ${dimension}`);
  }
}

/** Counts per (row, column) label, a member counting under every label pair it has. */
export function tally<T>(
  members: readonly T[],
  rowLabels: (member: T) => string[],
  columnLabels: (member: T) => string[],
): (row: string, column: string) => number {
  const counts = new Map<string, number>();
  for (const member of members) {
    for (const row of rowLabels(member))
      for (const column of columnLabels(member)) counts.set(`${row}\u0000${column}`, (counts.get(`${row}\u0000${column}`) ?? 0) + 1);
  }
  return (row, column) => counts.get(`${row}\u0000${column}`) ?? 0;
}

function asProtected(table: ReportTable): ProtectedTable {
  return {
    rows: table.rows.map((r) => r.label),
    columns: table.columns,
    cells: table.rows.map((r) => r.cells),
    rowTotals: table.rows.map((r) => r.total),
    columnTotals: table.columnTotals,
    grandTotal: table.grandTotal,
    threshold: table.threshold,
    roundingBase: null,
  };
}

/**
 * Every cell against the count `truth` gives: below the threshold (zero included) it must be
 * suppressed; shown, it must be exact. Then no suppressed cell may be worked back from what the
 * table shows. For exact tables (REPORT_ROUNDING_BASE=none): rounded ones are checked in
 * report-differencing.test.ts.
 */
export function checkAgainst(table: ReportTable, truth: (row: string, column: string) => number): void {
  expect(table.roundingBase, 'checkAgainst compares exact counts').toBeNull();
  for (const row of table.rows) {
    table.columns.forEach((column, c) => {
      const cell = row.cells[c] as ProtectedCell;
      const count = truth(row.label, column);
      if (count < table.threshold) expect(cell, `${row.label}/${column} = ${count}`).toEqual({ value: null, suppressed: true });
      if (!cell.suppressed) expect(cell.value, `${row.label}/${column}`).toBe(count);
    });
  }
  expect(isRecoverable(asProtected(table))).toEqual([]);
}
