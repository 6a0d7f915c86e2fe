import { readFileSync } from 'node:fs';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtectedCell } from '../shield/disclosure-control.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * DESIGN.md invariant 8 against a reader who holds every report at once. Each table is safe on
 * its own (disclosure-control.ts checks that); here the reporting role fetches everything it
 * can for one quarter and its three months, and tries to work a suppressed count back by
 * combining tables: totals two tables share, a quarter as the sum of its months, and how a
 * caseload moves from one month to the next through referrals and closures.
 *
 * Every published number becomes a value of a named quantity ("clients on the caseload in
 * 2026-07 with service X", "closures in 2026-Q3 in team T"); the same quantity in two tables is
 * one unknown. The checker then asks, for each quantity suppressed everywhere, whether the
 * equations pin it: by exact linear algebra, and by propagating bounds (a suppressed count is
 * at least 1, since zeros are published). Rounding is off here (REPORT_ROUNDING_BASE unset):
 * with rounding the equations would only hold approximately and this attack would be weaker.
 *
 * The attacks succeed today (the KNOWN LEAK tests below): per-table suppression does not
 * protect linked tables. The controls show the checker finds what it should.
 */

const reporting: Principal = { role: 'reporting', sub: PERSONAS.reportingAccount };
const TABLE_FIELDS = 'name period rowDimension columnDimension columns threshold rows { label cells { value suppressed } total { value suppressed } } columnTotals { value suppressed } grandTotal { value suppressed }';

interface Table {
  name: string;
  period: string | null;
  rowDimension: string;
  columnDimension: string;
  columns: string[];
  threshold: number;
  rows: { label: string; cells: ProtectedCell[]; total: ProtectedCell }[];
  columnTotals: ProtectedCell[];
  grandTotal: ProtectedCell;
}

const CASELOAD_DIMENSIONS = ['SERVICE', 'GENDER', 'AGE_BAND', 'OUTCOME', 'TEAM'] as const;
const REFERRAL_DIMENSIONS = ['SERVICE', 'GENDER', 'AGE_BAND', 'TEAM'] as const;

interface Period {
  label: string;
  firstDay: string;
  lastDay: string;
}

function periodOf(year: number, firstMonth: number, months: number, label: string): Period {
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + months, 1) - 86_400_000);
  return { label, firstDay: start.toISOString().slice(0, 10), lastDay: end.toISOString().slice(0, 10) };
}

/** The last whole quarter before today's, and its three months: all in the past, so all seeded. */
function lastQuarter(): { quarter: Period; months: [Period, Period, Period] } {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - 3, 1));
  const year = start.getUTCFullYear();
  const first = start.getUTCMonth();
  const month = (k: number) => periodOf(year, first + k, 1, `${year}-${String(first + k + 1).padStart(2, '0')}`);
  return { quarter: periodOf(year, first, 3, `${year}-Q${first / 3 + 1}`), months: [month(0), month(1), month(2)] };
}

// ---------------------------------------------------------------------------------------------
// Quantities: what each published number counts, named so that equal counts get equal names.

type Population = 'caseload' | 'referred' | 'closed' | 'events' | 'consent' | 'breakGlass' | 'headcount';
type Where = readonly (readonly [string, string])[];

interface Quantity {
  readonly population: Population;
  readonly period: string;
  readonly where: Where;
}

const keyOf = (q: Quantity) => `${q.population}|${q.period}|${q.where.map(([d, l]) => `${d}=${l}`).join('&')}`;

/**
 * A client has one gender, age band, team and outcome, so summing over one of those is the same
 * as not asking; a client may have several services, so "summed over services" counts
 * client-services and stays in the name.
 */
function canonical(population: Population, period: string, where: Where): Quantity {
  let kept = where.filter(([dimension, label]) => label !== '*' || dimension === 'SERVICE');
  let pop = population;
  // Caseload clients closed in the period are the period's closures (same clients, same labels),
  // unless split by age, which the caseload report takes at the period's end and closures on the day.
  const closedInPeriod = kept.some(([d, l]) => d === 'OUTCOME' && l === 'CLOSED_IN_PERIOD');
  if (pop === 'caseload' && closedInPeriod && !kept.some(([d]) => d === 'AGE_BAND')) {
    pop = 'closed';
    kept = kept.filter(([d]) => d !== 'OUTCOME');
  }
  return { population: pop, period, where: [...kept].sort(([a], [b]) => a.localeCompare(b)) };
}

/** The quantity behind every entry of a table: cells, row totals, column totals, grand total. */
function quantitiesOf(table: Table): { quantity: Quantity; cell: ProtectedCell; key: string }[] {
  const period = table.period ?? 'none';
  const entry = (row: string, column: string): Quantity => {
    switch (table.name) {
      case 'caseload':
        return canonical('caseload', period, [[table.rowDimension, row], [table.columnDimension, column]]);
      case 'referralsAndClosures': {
        const dimension = table.rowDimension === 'AGE_BAND' ? 'AGE_AT_EVENT' : table.rowDimension;
        const population: Population = column === 'REFERRED' ? 'referred' : column === 'CLOSED' ? 'closed' : 'events';
        return canonical(population, period, [[dimension, row]]);
      }
      case 'consentActivity':
        return { population: 'consent', period, where: [['ACTIVITY', column], ['RECIPIENT_TYPE', row]] };
      case 'exceptionalDisclosures':
        return { population: 'breakGlass', period, where: [['ACTIVITY', column], ['LEGAL_BASIS', row]] };
      case 'headcount':
        return { population: 'headcount', period, where: [['POST', column], ['TEAM', row]] };
      default:
        throw new Error(`no quantity model for report ${table.name}`);
    }
  };
  const out: { quantity: Quantity; cell: ProtectedCell; key: string }[] = [];
  const add = (quantity: Quantity, cell: ProtectedCell) => out.push({ quantity, cell, key: keyOf(quantity) });
  table.rows.forEach((row) => {
    row.cells.forEach((cell, j) => add(entry(row.label, table.columns[j] as string), cell));
    add(entry(row.label, '*'), row.total);
  });
  table.columnTotals.forEach((cell, j) => add(entry('*', table.columns[j] as string), cell));
  add(entry('*', '*'), table.grandTotal);
  return out;
}

/** Each line of a table, as an equation over quantity keys: members minus total is zero. */
function lineEquations(table: Table): Equation[] {
  const entries = quantitiesOf(table);
  const width = table.columns.length + 1;
  const at = (i: number, j: number) => (entries[i * width + j] as { key: string }).key;
  const height = table.rows.length + 1;
  const equations: Equation[] = [];
  for (let i = 0; i < height; i += 1) {
    equations.push([...Array.from({ length: width - 1 }, (_, j) => [at(i, j), 1] as const), [at(i, width - 1), -1] as const]);
  }
  for (let j = 0; j < width; j += 1) {
    equations.push([...Array.from({ length: height - 1 }, (_, i) => [at(i, j), 1] as const), [at(height - 1, j), -1] as const]);
  }
  return equations;
}

// ---------------------------------------------------------------------------------------------
// The attack: published values, equations, and what they pin.

/** Σ coefficient × quantity = 0. */
type Equation = readonly (readonly [string, number])[];

interface Finding {
  readonly key: string;
  readonly how: 'linear algebra' | 'bounds';
  readonly value?: number;
}

/**
 * `published` holds every quantity some table shows; `suppressed` every quantity some table
 * hides. A quantity both shown and hidden is known. A quantity an equation names that no table
 * mentions at all is a row no table has, so zero.
 */
function recover(published: ReadonlyMap<string, number>, suppressed: ReadonlySet<string>, equations: readonly Equation[]): { findings: Finding[]; unknowns: string[]; intervals: Map<string, [number, number]> } {
  const unknowns = [...suppressed].filter((key) => !published.has(key)).sort();
  const index = new Map(unknowns.map((key, i) => [key, i]));
  const rows: { coefficients: Map<number, number>; constant: number }[] = [];
  for (const equation of equations) {
    const coefficients = new Map<number, number>();
    let constant = 0;
    for (const [key, coefficient] of equation) {
      const i = index.get(key);
      if (i !== undefined) coefficients.set(i, (coefficients.get(i) ?? 0) + coefficient);
      else constant += coefficient * (published.get(key) ?? 0);
    }
    for (const [i, c] of coefficients) if (c === 0) coefficients.delete(i);
    if (coefficients.size > 0) rows.push({ coefficients, constant });
  }
  const findings: Finding[] = [];

  // Exact linear algebra, one connected group of unknowns at a time (Gauss-Jordan in bigint).
  const parent = unknowns.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)));
  for (const row of rows) {
    const [first, ...rest] = [...row.coefficients.keys()];
    for (const other of rest) parent[find(other)] = find(first as number);
  }
  const groups = new Map<number, number[]>();
  unknowns.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  for (const members of groups.values()) {
    const local = new Map(members.map((m, k) => [m, k]));
    const matrix = rows
      .filter((row) => local.has([...row.coefficients.keys()][0] as number))
      .map((row) => {
        const line = new Array<bigint>(members.length + 1).fill(0n);
        for (const [i, c] of row.coefficients) line[local.get(i) as number] = BigInt(c);
        line[members.length] = BigInt(-row.constant);
        return line;
      });
    for (const line of reduce(matrix, members.length)) {
      const nonZero = line.slice(0, members.length).flatMap((c, k) => (c !== 0n ? [k] : []));
      if (nonZero.length === 1) {
        const k = nonZero[0] as number;
        findings.push({ key: unknowns[members[k] as number] as string, how: 'linear algebra', value: Number((line[members.length] as bigint) / (line[k] as bigint)) });
      }
    }
  }

  // Bounds: every hidden count is at least 1; each equation narrows each member by the others.
  const lo = unknowns.map(() => 1);
  const hi = unknowns.map(() => Number.POSITIVE_INFINITY);
  for (let pass = 0, changed = true; changed && pass < 500; pass += 1) {
    changed = false;
    for (const row of rows) {
      const terms = [...row.coefficients];
      for (const [i, a] of terms) {
        let min = -row.constant;
        let max = -row.constant;
        for (const [j, b] of terms) {
          if (j === i) continue;
          // c = a·x_i + Σ b·x_j, so a·x_i = c − Σ b·x_j.
          min -= b > 0 ? b * (hi[j] as number) : b * (lo[j] as number);
          max -= b > 0 ? b * (lo[j] as number) : b * (hi[j] as number);
        }
        const [low, high] = a > 0 ? [min / a, max / a] : [max / a, min / a];
        if (Math.ceil(low) > (lo[i] as number)) {
          lo[i] = Math.ceil(low);
          changed = true;
        }
        if (Math.floor(high) < (hi[i] as number)) {
          hi[i] = Math.floor(high);
          changed = true;
        }
      }
    }
  }
  const intervals = new Map<string, [number, number]>();
  unknowns.forEach((key, i) => {
    intervals.set(key, [lo[i] as number, hi[i] as number]);
    if (lo[i] === hi[i] && !findings.some((f) => f.key === key)) findings.push({ key, how: 'bounds', value: lo[i] as number });
  });
  return { findings, unknowns, intervals };
}

/** Gauss-Jordan over the integers, the last column being the right-hand side. */
function reduce(input: readonly bigint[][], width: number): bigint[][] {
  const rows = input.map((row) => [...row]);
  let pivotRow = 0;
  for (let col = 0; col < width && pivotRow < rows.length; col += 1) {
    const found = rows.findIndex((row, r) => r >= pivotRow && (row[col] ?? 0n) !== 0n);
    if (found === -1) continue;
    const pivot = rows[found] as bigint[];
    rows[found] = rows[pivotRow] as bigint[];
    rows[pivotRow] = pivot;
    const a = pivot[col] as bigint;
    for (let r = 0; r < rows.length; r += 1) {
      const row = rows[r] as bigint[];
      const b = row[col] as bigint;
      if (r === pivotRow || b === 0n) continue;
      const next = row.map((value, k) => value * a - (pivot[k] as bigint) * b);
      const divisor = next.reduce((g, v) => gcd(g, v < 0n ? -v : v), 0n);
      rows[r] = divisor > 1n ? next.map((v) => v / divisor) : next;
    }
    pivotRow += 1;
  }
  return rows;
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

/** Collects what a set of tables publishes and hides, refusing a quantity shown with two values. */
function observe(tables: readonly Table[]): { published: Map<string, number>; suppressed: Set<string>; equations: Equation[] } {
  const published = new Map<string, number>();
  const suppressed = new Set<string>();
  for (const table of tables) {
    for (const { key, cell } of quantitiesOf(table)) {
      if (cell.suppressed) {
        suppressed.add(key);
        continue;
      }
      const before = published.get(key);
      if (before !== undefined && before !== cell.value) throw new Error(`${key} is published as ${before} and as ${String(cell.value)}: the quantity model is wrong`);
      published.set(key, cell.value as number);
    }
  }
  return { published, suppressed, equations: tables.flatMap(lineEquations) };
}

// ---------------------------------------------------------------------------------------------

let t: TestStack;
let clients: ClientDoc[];
let teamNames: Map<string, string>;
const { quarter, months } = lastQuarter();
const periods = [quarter, ...months];

beforeAll(async () => {
  t = await startTestStack();
  clients = await t.db('clients').collection<ClientDoc>('clients').find({}).toArray();
  teamNames = new Map((await t.db('clients').collection<{ _id: string; name: string }>('teams').find({}).toArray()).map((team) => [team._id, team.name]));
});
afterAll(async () => {
  await t.close();
});

async function report<T extends Table = Table>(query: string): Promise<T> {
  const { body } = await t.query(await t.token(reporting), query);
  expect(body.errors, query).toBeUndefined();
  return Object.values(body.data as Record<string, T>)[0] as T;
}

/** The client-based tables: every caseload pair and every referrals dimension, for each period. */
async function clientTables(): Promise<Table[]> {
  const tables: Table[] = [];
  for (const period of periods) {
    for (const [i, rows] of CASELOAD_DIMENSIONS.entries()) {
      for (const columns of CASELOAD_DIMENSIONS.slice(i + 1)) tables.push(await report(`{ caseloadReport(period: "${period.label}", rows: ${rows}, columns: ${columns}) { ${TABLE_FIELDS} } }`));
    }
    for (const rows of REFERRAL_DIMENSIONS) tables.push(await report(`{ referralsAndClosuresReport(period: "${period.label}", rows: ${rows}) { ${TABLE_FIELDS} } }`));
  }
  return tables;
}

/** Everything the reporting role can get for the quarter and its months. */
async function allTables(): Promise<Table[]> {
  const tables = await clientTables();
  for (const period of periods) {
    tables.push(await report(`{ consentActivityReport(period: "${period.label}") { ${TABLE_FIELDS} } }`));
    tables.push(await report(`{ exceptionalDisclosureReport(period: "${period.label}") { ${TABLE_FIELDS} } }`));
  }
  tables.push(await report(`{ headcountReport { ${TABLE_FIELDS} } }`));
  return tables;
}

/** How the periods relate: events add up over months, and a caseload moves by referrals and closures. */
function periodEquations(keys: Iterable<string>): Equation[] {
  const equations: Equation[] = [];
  const seen = new Set<string>();
  const [m1, m2, m3] = months;
  for (const key of keys) {
    const [population, period, where = ''] = key.split('|') as [Population, string, string?];
    const at = (pop: Population, p: Period) => `${pop}|${p.label}|${where}`;
    if (period !== quarter.label) continue;
    if (['referred', 'closed', 'events', 'consent', 'breakGlass'].includes(population)) {
      equations.push([[key, 1], ...months.map((m) => [at(population, m), -1] as const)]);
    }
    // One client per label (or client-services): a 2-D caseload count has no published referral counterpart.
    const dimensions = where === '' ? [] : where.split('&').map((part) => part.split('=')[0]);
    const movable = population === 'caseload' && dimensions.length <= 1 && !dimensions.some((d) => d === 'AGE_BAND' || d === 'OUTCOME');
    if (movable && !seen.has(where)) {
      seen.add(where);
      equations.push([[at('caseload', quarter), 1], [at('caseload', m1), -1], [at('referred', m2), -1], [at('referred', m3), -1]]);
      for (const [from, to] of [[m1, m2], [m2, m3]] as const) {
        equations.push([[at('caseload', to), 1], [at('caseload', from), -1], [at('closed', from), 1], [at('referred', to), -1]]);
      }
    }
  }
  return equations;
}

// ---------------------------------------------------------------------------------------------
// Truth, from the seeded documents, to check the quantity model itself.

function ageBandOn(dateOfBirth: string | undefined, day: string): string {
  if (dateOfBirth === undefined) return 'UNKNOWN';
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  const bands: [number, string][] = [[18, '0-17'], [25, '18-24'], [35, '25-34'], [45, '35-44'], [55, '45-54'], [65, '55-64']];
  return bands.find(([below]) => age < below)?.[1] ?? '65+';
}

/** The true value of a client-based quantity, or undefined for the other stores. */
function truth(key: string): number | undefined {
  const [population, label, where = ''] = key.split('|') as [Population, string, string?];
  const period = periods.find((p) => p.label === label);
  if (!period || !['caseload', 'referred', 'closed', 'events'].includes(population)) return undefined;
  const inPeriod = (day: string | undefined) => day !== undefined && day >= period.firstDay && day <= period.lastDay;
  const members: { client: ClientDoc; day: string }[] = [];
  if (population === 'caseload') {
    for (const client of clients) if (client.referredOn <= period.lastDay && (client.closedOn == null || client.closedOn >= period.firstDay)) members.push({ client, day: period.lastDay });
  }
  if (population === 'referred' || population === 'events') for (const client of clients) if (inPeriod(client.referredOn)) members.push({ client, day: client.referredOn });
  if (population === 'closed' || population === 'events') for (const client of clients) if (inPeriod(client.closedOn ?? undefined)) members.push({ client, day: client.closedOn as string });
  const constraints = where === '' ? [] : where.split('&').map((part) => part.split('=') as [string, string]);
  return members.reduce((sum, { client, day }) => {
    let weight = 1;
    for (const [dimension, wanted] of constraints) {
      if (dimension === 'SERVICE') weight *= wanted === '*' ? new Set(client.services.filter((s) => s !== '')).size : client.services.includes(wanted) ? 1 : 0;
      else if (dimension === 'GENDER') weight *= (client.gender ?? 'NOT_RECORDED') === wanted ? 1 : 0;
      else if (dimension === 'AGE_BAND') weight *= ageBandOn(client.dateOfBirth, period.lastDay) === wanted ? 1 : 0;
      else if (dimension === 'AGE_AT_EVENT') weight *= ageBandOn(client.dateOfBirth, day) === wanted ? 1 : 0;
      else if (dimension === 'TEAM') weight *= (client.teamId ? (teamNames.get(client.teamId) ?? 'UNKNOWN TEAM') : 'NOT_RECORDED') === wanted ? 1 : 0;
      else if (dimension === 'OUTCOME') weight *= (client.closedOn != null && client.closedOn <= period.lastDay ? 'CLOSED_IN_PERIOD' : 'ONGOING') === wanted ? 1 : 0;
      else throw new Error(`no truth for dimension ${dimension}`);
    }
    return sum + weight;
  }, 0);
}

describe('differencing every report the reporting role can get', () => {
  let tables: Table[];
  beforeAll(async () => {
    tables = await allTables();
  });

  it('names the quantities right: every published client count and every equation agrees with the seeded documents', () => {
    const { published, suppressed, equations } = observe(tables);
    for (const [key, value] of published) {
      const actual = truth(key);
      if (actual !== undefined) expect(value, key).toBe(actual);
    }
    const all = [...equations, ...periodEquations([...published.keys(), ...suppressed])];
    const clientBased = all.filter((equation) => equation.every(([key]) => truth(key) !== undefined));
    expect(clientBased.length).toBeGreaterThan(500);
    for (const equation of clientBased) expect(equation.reduce((sum, [key, c]) => sum + c * (truth(key) as number), 0), JSON.stringify(equation)).toBe(0);
    // Some of the quarter's counts are suppressed, or there would be nothing to attack.
    expect([...suppressed].filter((key) => !published.has(key)).length).toBeGreaterThan(10);
  });

  /*
   * KNOWN LEAK in some periods, not yet fixed. Tables of one period share totals, and each is
   * protected on its own; zeros are published. In a month with a single closure, the closure
   * columns of the referrals report by age band, gender and team each show one non-zero row,
   * and with the caseload report's outcome tables the hidden 1 is pinned: "the one closure in
   * May was a woman of 65+ in the South team". Whether a given period leaks depends on where its
   * boundaries fall in the data, so this asserts only that every value worked back is the true
   * one (the attack is sound); the strict `findings toEqual([])` belongs here once fixed.
   */
  it('KNOWN LEAK (some periods): combining the tables of one period works back only true values', () => {
    for (const period of periods) {
      const { published, suppressed, equations } = observe(tables.filter((table) => table.period === period.label || table.period === null));
      const { findings, intervals } = recover(published, suppressed, equations);
      for (const finding of findings) {
        const actual = truth(finding.key);
        if (actual !== undefined) expect(finding.value, `${period.label} ${finding.key}`).toBe(actual);
      }
      for (const [key, [lo, hi]] of intervals) {
        const actual = truth(key);
        if (actual !== undefined) expect(actual >= lo && actual <= hi, `${key} = ${actual} in [${lo}, ${hi}]`).toBe(true);
      }
    }
  });

  /*
   * KNOWN LEAK, not yet fixed. Each table is protected on its own, so a quarter and its three
   * months are suppressed independently, yet a quarter's referrals, closures, consents and
   * break-glass counts are the sums of its months', and a month's caseload is the last one's
   * less its closures plus the new referrals. With every table for a quarter and its months, a
   * reader works back dozens of suppressed counts, small ones included (see the report that
   * came with this test). Per-table suppression cannot prevent it: the fix is a design choice
   * (one period granularity per suppression pattern kept across requests, or perturbing counts
   * consistently, like the cell-key method, instead of suppressing them). This test asserts
   * the leak is there and real, so that whoever fixes it turns it into the strict check below.
   */
  it('KNOWN LEAK: the quarter, its months and the caseload moving between them give suppressed counts back', () => {
    const { published, suppressed, equations } = observe(tables);
    const { findings, unknowns, intervals } = recover(published, suppressed, [...equations, ...periodEquations([...published.keys(), ...suppressed])]);
    expect(unknowns.length).toBeGreaterThan(10);
    // Every interval holds the true value, and every value worked back is the true one: the attack is sound.
    for (const [key, [lo, hi]] of intervals) {
      const actual = truth(key);
      if (actual !== undefined) expect(actual >= lo && actual <= hi, `${key} = ${actual} in [${lo}, ${hi}]`).toBe(true);
    }
    for (const finding of findings) {
      const actual = truth(finding.key);
      if (actual !== undefined) expect(finding.value, finding.key).toBe(actual);
    }
    // When this fails because nothing is found any more, the leak is fixed: assert findings toEqual([]).
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe('the recovery check can fail', () => {
  const cell = (value: number | null): ProtectedCell => ({ value, suppressed: value === null });
  const table = (name: string, period: string, rowDimension: string, columnDimension: string, columns: string[], rows: [string, (number | null)[], number | null][], columnTotals: (number | null)[], grand: number | null): Table => ({
    name,
    period,
    rowDimension,
    columnDimension,
    columns,
    threshold: 5,
    rows: rows.map(([label, cells, total]) => ({ label, cells: cells.map(cell), total: cell(total) })),
    columnTotals: columnTotals.map(cell),
    grandTotal: cell(grand),
  });

  it('finds a cell hidden alone in its row (primary suppression only)', () => {
    const unprotected = table('caseload', '2026-07', 'SERVICE', 'GENDER', ['FEMALE', 'MALE'], [['A', [null, 12], 15], ['B', [20, 30], 50]], [23, 42], 65);
    const { published, suppressed, equations } = observe([unprotected]);
    expect(recover(published, suppressed, equations).findings).toEqual([{ key: 'caseload|2026-07|GENDER=FEMALE&SERVICE=A', how: 'linear algebra', value: 3 }]);
  });

  it('finds a cell each table protects on its own but the two together give back', () => {
    // Service A's total is hidden as a secondary suppression in one table and shown in the other.
    const byGender = table('caseload', '2026-07', 'SERVICE', 'GENDER', ['FEMALE', 'MALE'], [['A', [null, null], null], ['B', [null, 30], null], ['C', [20, 25], 45]], [null, null], 100);
    const byAge = table('caseload', '2026-07', 'SERVICE', 'AGE_BAND', ['18-24', '25-34'], [['A', [10, 12], 22], ['B', [20, 13], 33], ['C', [20, 25], 45]], [50, 50], 100);
    for (const alone of [byGender, byAge]) {
      const { published, suppressed, equations } = observe([alone]);
      expect(recover(published, suppressed, equations).findings).toEqual([]);
    }
    const { published, suppressed, equations } = observe([byGender, byAge]);
    const keys = recover(published, suppressed, equations).findings.map((f) => f.key);
    expect(keys).toContain('caseload|2026-07|GENDER=FEMALE&SERVICE=B');
  });

  it('finds a count pinned by bounds alone: two hidden counts of at least 1 that sum to 2', () => {
    const pinned = table('caseload', '2026-07', 'SERVICE', 'GENDER', ['FEMALE', 'MALE', 'NOT_STATED'], [['A', [null, null, 40], 42], ['B', [null, null, 30], 40]], [null, null, 70], 82);
    const { published, suppressed, equations } = observe([pinned]);
    const findings = recover(published, suppressed, equations).findings;
    expect(findings.map((f) => [f.key, f.how, f.value])).toEqual([
      ['caseload|2026-07|GENDER=FEMALE&SERVICE=A', 'bounds', 1],
      ['caseload|2026-07|GENDER=MALE&SERVICE=A', 'bounds', 1],
    ]);
  });

  it('finds a referral count given back by the quarter when the months publish the rest', () => {
    const month = (label: string, referred: number | null) => table('referralsAndClosures', label, 'SERVICE', 'ACTIVITY', ['REFERRED', 'CLOSED'], [['A', [referred, 0], referred], ['B', [null, null], null], ['C', [20, 30], 50]], [null, null], null);
    const q = table('referralsAndClosures', '2026-Q3', 'SERVICE', 'ACTIVITY', ['REFERRED', 'CLOSED'], [['A', [12, 0], 12], ['B', [15, 15], 30], ['C', [20, 30], 50]], [47, 45], 92);
    const monthly = [month('2026-07', null), month('2026-08', 5), month('2026-09', 5)];
    const { published, suppressed, equations } = observe([q, ...monthly]);
    const additive: Equation = [['referred|2026-Q3|SERVICE=A', 1], ...['2026-07', '2026-08', '2026-09'].map((m) => [`referred|${m}|SERVICE=A`, -1] as const)];
    expect(recover(published, suppressed, [...equations, additive]).findings).toContainEqual({ key: 'referred|2026-07|SERVICE=A', how: 'linear algebra', value: 2 });
  });

  it('finds cells in a real table once its secondary suppression is taken away', async () => {
    const tables = await clientTables();
    let tried = 0;
    for (const real of tables) {
      const entries = quantitiesOf(real);
      const secondary = entries.filter(({ key, cell }) => cell.suppressed && (truth(key) ?? 0) >= real.threshold);
      if (secondary.length === 0) continue;
      // Publish the secondary suppressions with their true values, keep the primary ones hidden.
      const reveal = (c: ProtectedCell, key: string): ProtectedCell => (c.suppressed && (truth(key) ?? 0) >= real.threshold ? { value: truth(key) as number, suppressed: false } : c);
      const width = real.columns.length + 1;
      const keyAt = (i: number, j: number) => (entries[i * width + j] as { key: string }).key;
      const stripped: Table = {
        ...real,
        rows: real.rows.map((row, i) => ({ label: row.label, cells: row.cells.map((c, j) => reveal(c, keyAt(i, j))), total: reveal(row.total, keyAt(i, width - 1)) })),
        columnTotals: real.columnTotals.map((c, j) => reveal(c, keyAt(real.rows.length, j))),
        grandTotal: reveal(real.grandTotal, keyAt(real.rows.length, width - 1)),
      };
      const { published, suppressed, equations } = observe([stripped]);
      const { findings } = recover(published, suppressed, equations);
      expect(findings.length, `${real.name} ${real.period} ${real.rowDimension}×${real.columnDimension}`).toBeGreaterThan(0);
      for (const finding of findings) expect(finding.value, finding.key).toBe(truth(finding.key));
      tried += 1;
    }
    expect(tried).toBeGreaterThan(0);
  });
});

describe('no report counts the service users who are employees', () => {
  it('has no dimension, label or column about employment or restriction', async () => {
    const tables = await allTables();
    const forbidden = /SERVICE_USER|EMPLOYEE|restrict|sealed/i;
    for (const table of tables) {
      for (const text of [table.rowDimension, table.columnDimension, ...table.columns, ...table.rows.map((row) => row.label)]) expect(text, table.name).not.toMatch(forbidden);
    }
    const headcount = tables.find((table) => table.name === 'headcount') as Table;
    expect([headcount.rowDimension, headcount.columnDimension]).toEqual(['TEAM', 'POST']);
    // The dimensions the schemas offer: none is about employment or restriction.
    for (const file of ['subgraphs/clients/schema.graphql', 'subgraphs/hr/schema.graphql', 'subgraphs/consent/schema.graphql']) {
      const enums = parse(readFileSync(file, 'utf8')).definitions.filter((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value.endsWith('Dimension'));
      for (const definition of enums) for (const value of definition.values ?? []) expect(value.name.value, file).not.toMatch(forbidden);
    }
  });

  it('gives the same client counts whether or not Sam is marked restricted: restriction is not a dimension', async () => {
    const records = t.db('clients').collection<ClientDoc>('clients');
    const sam = await records.findOne({ _id: PERSONAS.sam.clientId });
    expect(sam?.restriction?.reason).toBe('SERVICE_USER_EMPLOYEE');
    const before = await clientTables();
    const headcountBefore = await report(`{ headcountReport { ${TABLE_FIELDS} } }`);
    await records.updateOne({ _id: PERSONAS.sam.clientId }, { $unset: { restriction: '' } });
    try {
      expect(await clientTables()).toEqual(before);
      expect(await report(`{ headcountReport { ${TABLE_FIELDS} } }`)).toEqual(headcountBefore);
    } finally {
      await records.updateOne({ _id: PERSONAS.sam.clientId }, { $set: { restriction: sam?.restriction } });
    }
    expect((await records.findOne({ _id: PERSONAS.sam.clientId }))?.restriction).toEqual(sam?.restriction);
  });
});
