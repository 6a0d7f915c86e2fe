import { expect } from 'vitest';
import { isRecoverable, type ProtectedCell, type ProtectedTable } from '../../shield/disclosure-control.js';
import { PERSONAS } from '../../seed/personas.js';
import type { Principal } from '../../shield/roles.js';

/**
 * What the reporting tests share: the table as the API returns it, whole periods, an age band
 * worked out independently of the subgraphs, and the cell-by-cell check of a table against
 * counts taken from the seeded documents.
 */

export const REPORTING: Principal = { role: 'reporting', sub: PERSONAS.reportingAccount };
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

export function ageBandOn(dateOfBirth: string | undefined, day: string): string {
  if (dateOfBirth === undefined) return 'UNKNOWN';
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  const bands: [number, string][] = [[18, '0-17'], [25, '18-24'], [35, '25-34'], [45, '35-44'], [55, '45-54'], [65, '55-64']];
  return bands.find(([below]) => age < below)?.[1] ?? '65+';
}

export function asProtected(table: ReportTable): ProtectedTable {
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
