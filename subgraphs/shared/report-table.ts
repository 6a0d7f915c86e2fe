import { protectTable, type ProtectedCell } from '../../reporting/disclosure-control.js';
import type { LabelSet } from './report-labels.js';

/**
 * Turns counts grouped by the database into the table a reporting tool gets, with disclosure
 * control applied here, next to the data: no count under the threshold leaves the subgraph.
 */

export interface ReportSettings {
  readonly threshold: number;
  readonly roundingBase: number | null;
}

export interface ReportTableShape {
  name: string;
  period: string | null;
  rowDimension: string;
  columnDimension: string;
  columns: string[];
  rows: { label: string; cells: ProtectedCell[]; total: ProtectedCell }[];
  columnTotals: ProtectedCell[];
  grandTotal: ProtectedCell;
  threshold: number;
  roundingBase: number | null;
}

/**
 * Counts over two full label sets (report-labels.ts). Every label of both is in the table, in
 * the set's order, counted or not, so which categories anyone has is never shown by their
 * presence; a label outside its set is refused, never appended.
 */
export class CountGrid {
  readonly #rows: readonly string[];
  readonly #columns: readonly string[];
  readonly #rowIndex: ReadonlyMap<string, number>;
  readonly #columnIndex: ReadonlyMap<string, number>;
  readonly #counts: number[][];

  constructor(rows: LabelSet, columns: LabelSet) {
    this.#rows = rows.labels;
    this.#columns = columns.labels;
    this.#rowIndex = new Map(this.#rows.map((label, i) => [label, i]));
    this.#columnIndex = new Map(this.#columns.map((label, j) => [label, j]));
    this.#counts = this.#rows.map(() => this.#columns.map(() => 0));
  }

  /** Adds `n` to the count at (row, column). */
  add(row: string, column: string, n: number): void {
    const i = this.#rowIndex.get(row);
    const j = this.#columnIndex.get(column);
    const line = i === undefined ? undefined : this.#counts[i];
    if (line === undefined || j === undefined) throw new Error("a report count fell outside its dimensions' label sets");
    line[j] = (line[j] ?? 0) + n;
  }

  table(meta: { name: string; period: string | null; rowDimension: string; columnDimension: string }, settings: ReportSettings): ReportTableShape {
    const rows = this.#rows;
    const columns = [...this.#columns];
    const protectedTable = protectTable({ rows, columns, counts: this.#counts }, { threshold: settings.threshold, roundingBase: settings.roundingBase });
    return {
      ...meta,
      columns,
      rows: rows.map((label, index) => ({ label, cells: [...(protectedTable.cells[index] ?? [])], total: protectedTable.rowTotals[index] as ProtectedCell })),
      columnTotals: [...protectedTable.columnTotals],
      grandTotal: protectedTable.grandTotal,
      threshold: protectedTable.threshold,
      roundingBase: protectedTable.roundingBase,
    };
  }
}
