import { protectTable, type ProtectedCell } from '../../shield/disclosure-control.js';

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

/** Adds `n` to the count at (row, column). */
export class CountGrid {
  readonly #counts = new Map<string, Map<string, number>>();

  add(row: string, column: string, n: number): void {
    let line = this.#counts.get(row);
    if (!line) {
      line = new Map();
      this.#counts.set(row, line);
    }
    line.set(column, (line.get(column) ?? 0) + n);
  }

  /** `order` fixes the labels (so empty categories still show as zeros); labels not in it follow, sorted. */
  table(
    meta: { name: string; period: string | null; rowDimension: string; columnDimension: string },
    order: { rows?: readonly string[]; columns?: readonly string[] },
    settings: ReportSettings,
  ): ReportTableShape {
    const ordered = (known: readonly string[] | undefined, seen: Iterable<string>) => {
      const rest = [...new Set(seen)].filter((label) => !known?.includes(label)).sort();
      return [...(known ?? []), ...rest];
    };
    const rows = ordered(order.rows, this.#counts.keys());
    const columns = ordered(order.columns, [...this.#counts.values()].flatMap((line) => [...line.keys()]));
    const protectedTable = protectTable(
      { rows, columns, counts: rows.map((row) => columns.map((column) => this.#counts.get(row)?.get(column) ?? 0)) },
      { threshold: settings.threshold, roundingBase: settings.roundingBase },
    );
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
