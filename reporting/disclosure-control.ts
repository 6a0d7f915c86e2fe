/*
 * Statistical disclosure control for 2-D count tables (docs/INVARIANTS.md#8: aggregates
 * cannot single anyone out). Reporting aggregates pass through `protectTable` before they leave
 * the database layer.
 *
 * The table is handled as an extended (rows + 1) × (columns + 1) grid: the last column holds
 * the row totals, the last row the column totals, the corner the grand total. Every line of
 * that grid (each row and each column, the total row and total column included) is one
 * additivity equation: its inner members sum to its last member. A reader knows these
 * equations, so hiding a value only helps if the equations cannot give it back.
 *
 * - Primary suppression: every entry, totals included, below the threshold, zero included.
 *   A published zero would tell a reader that every hidden entry beside it is at least 1, and
 *   with several tables about the same people such bounds pin hidden counts (one closure in a
 *   month, shown as a zero everywhere but one hidden cell per table, is that person).
 * - Secondary suppression: a line with exactly one hidden entry gives it back by subtraction,
 *   so another non-zero entry of that line is hidden (the smallest, to lose least). That alone
 *   misses combinations of lines, so the pattern is then checked with exact Gaussian
 *   elimination, and by propagating bounds (a hidden entry is at least 0) through the lines,
 *   and more entries are hidden until no hidden non-zero entry is given back. A hidden entry
 *   worked out to be zero gives nobody away. Hidden zeros protect nothing: the check takes
 *   every zero as known to the reader, so tables that show every label of their dimensions,
 *   empty ones included, are as safe as tables that left the empty ones out.
 * - Rounding of what is published (the reporting default is base 5), on top of suppression:
 *   separate tables about the same people (a quarter and its months, a caseload and the
 *   referrals and closures that move it) are linked by equations no single table can protect;
 *   rounding each published count leaves those equations only approximately true.
 */

export interface CountTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** counts[row][column], non-negative integers. */
  readonly counts: readonly (readonly number[])[];
}

export interface ProtectedCell {
  readonly value: number | null;
  readonly suppressed: boolean;
}

export interface ProtectedTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly (readonly ProtectedCell[])[];
  readonly rowTotals: readonly ProtectedCell[];
  readonly columnTotals: readonly ProtectedCell[];
  readonly grandTotal: ProtectedCell;
  readonly threshold: number;
  readonly roundingBase: number | null;
}

export interface DisclosureOptions {
  /** Smallest count that may be published; default 5, never below 3. */
  readonly threshold?: number;
  /** Round published values to a multiple of this (e.g. 5); default null, no rounding. */
  readonly roundingBase?: number | null;
}

/** Where an entry sits: a cell, a row total (`column: 'total'`), a column total, the grand total. */
export interface EntryPosition {
  readonly row: number | 'total';
  readonly column: number | 'total';
}

const DEFAULT_THRESHOLD = 5;

/*
 * Below 3 a hidden 1 or 2 is too easily guessed, and a threshold of 1 or 2 would let a person
 * recognise themselves as the only other member of a cell.
 */
const MINIMUM_THRESHOLD = 3;

export function protectTable(table: CountTable, options: DisclosureOptions = {}): ProtectedTable {
  const threshold = checkedThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  const roundingBase = checkedRoundingBase(options.roundingBase ?? null);
  const grid = extendedGrid(table);
  const lines = linesOf(grid);
  const primary = grid.values.map((value) => isSensitive(value, threshold));
  const suppressed = completeSuppression(grid, lines, primary);
  const publish = (position: number): ProtectedCell => {
    if (suppressed[position] === true) return { value: null, suppressed: true };
    const value = valueAt(grid.values, position);
    return { value: roundingBase === null ? value : roundHalfUp(value, roundingBase), suppressed: false };
  };
  const rowCount = grid.height - 1;
  const columnCount = grid.width - 1;
  return {
    rows: [...table.rows],
    columns: [...table.columns],
    cells: range(rowCount).map((i) => range(columnCount).map((j) => publish(positionOf(grid, i, j)))),
    rowTotals: range(rowCount).map((i) => publish(positionOf(grid, i, columnCount))),
    columnTotals: range(columnCount).map((j) => publish(positionOf(grid, rowCount, j))),
    grandTotal: publish(positionOf(grid, rowCount, columnCount)),
    threshold,
    roundingBase,
  };
}

/**
 * Which suppressed entries a reader could work out, to a non-zero value, from the published
 * entries and the additivity equations: by exact arithmetic, and by propagating bounds (every
 * hidden entry is at least 0). It takes the published values as exact, so for a rounded table
 * it is the check before rounding. `protectTable` guarantees this is empty for its own output,
 * and still empty with its hidden zeros shown as zeros (a reader who knows which counts are zero).
 */
export function isRecoverable(table: ProtectedTable): EntryPosition[] {
  const rowCount = table.rows.length;
  const columnCount = table.columns.length;
  const grid: GridShape = { height: rowCount + 1, width: columnCount + 1 };
  const flags: boolean[] = [];
  const values: number[] = [];
  for (let i = 0; i <= rowCount; i += 1) {
    for (let j = 0; j <= columnCount; j += 1) {
      const entry = protectedEntry(table, i, j);
      flags.push(entry.suppressed);
      values.push(entry.value ?? 0);
    }
  }
  return exposedPositions(values, linesOf(grid), flags).map((position) => entryPosition(grid, position));
}

// ---------------------------------------------------------------------------------------------
// Validation and the extended grid

interface GridShape {
  /** rows + 1: the last row holds the column totals. */
  readonly height: number;
  /** columns + 1: the last column holds the row totals. */
  readonly width: number;
}

interface Grid extends GridShape {
  /** Row-major true values of the extended grid, totals computed from the counts. */
  readonly values: readonly number[];
}

/** One additivity equation: the members with coefficient +1 sum to the one with -1. */
interface Line {
  readonly members: readonly number[];
  readonly coefficients: readonly (1 | -1)[];
}

function checkedThreshold(threshold: number): number {
  if (!Number.isSafeInteger(threshold) || threshold < MINIMUM_THRESHOLD) {
    throw new RangeError(`disclosure threshold must be an integer of at least ${MINIMUM_THRESHOLD}, got ${threshold}`);
  }
  return threshold;
}

function checkedRoundingBase(base: number | null): number | null {
  if (base !== null && (!Number.isSafeInteger(base) || base < 1)) {
    throw new RangeError(`rounding base must be a positive integer or null, got ${base}`);
  }
  return base;
}

function extendedGrid(table: CountTable): Grid {
  const rowCount = table.rows.length;
  const columnCount = table.columns.length;
  if (table.counts.length !== rowCount) {
    throw new RangeError(`count table has ${rowCount} row labels but ${table.counts.length} rows of counts`);
  }
  const values: number[] = [];
  const columnTotals = new Array<number>(columnCount).fill(0);
  table.counts.forEach((countRow, i) => {
    if (countRow.length !== columnCount) {
      throw new RangeError(`count table row ${i} has ${countRow.length} counts for ${columnCount} columns`);
    }
    let rowTotal = 0;
    countRow.forEach((count, j) => {
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new RangeError(`count at row ${i}, column ${j} must be a non-negative integer, got ${count}`);
      }
      values.push(count);
      rowTotal = checkedSum(rowTotal, count);
      columnTotals[j] = checkedSum(valueAt(columnTotals, j), count);
    });
    values.push(rowTotal);
  });
  const grandTotal = columnTotals.reduce(checkedSum, 0);
  values.push(...columnTotals, grandTotal);
  return { height: rowCount + 1, width: columnCount + 1, values };
}

/** Totals beyond 2^53 would be silently wrong, and a wrong total can reveal a hidden cell. */
function checkedSum(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError('count table totals exceed the exact integer range');
  return sum;
}

function linesOf(grid: GridShape): Line[] {
  const lines: Line[] = [];
  for (let i = 0; i < grid.height; i += 1) {
    const members = range(grid.width).map((j) => positionOf(grid, i, j));
    lines.push({ members, coefficients: members.map((_, j) => (j === grid.width - 1 ? -1 : 1)) });
  }
  for (let j = 0; j < grid.width; j += 1) {
    const members = range(grid.height).map((i) => positionOf(grid, i, j));
    lines.push({ members, coefficients: members.map((_, i) => (i === grid.height - 1 ? -1 : 1)) });
  }
  return lines;
}

function isSensitive(value: number, threshold: number): boolean {
  return value < threshold;
}

// ---------------------------------------------------------------------------------------------
// Secondary suppression

/**
 * Grows the primary pattern until no hidden non-zero entry is determined, with every zero taken
 * as known to the reader: hidden zeros are published as hidden, but never relied on to protect
 * anything. A reader may know a count is zero without the table (a team that did not exist yet,
 * the catch-all rows that are nearly always empty), and a hidden 2 whose only partner in its
 * column is a hidden zero is given back to a reader who guesses that zero. Counting zeros as
 * known makes a table with every label (report-dimensions.ts) exactly as safe as one whose empty
 * labels were left out, where a reader knew those zeros; and it makes the guarantee hold
 * whatever a reader knows about which counts are zero.
 *
 * Each round hides at least one more non-zero entry, so it ends; once every non-zero entry is
 * hidden nothing is determined (summing the equations of one side of a lone hidden entry would
 * give that entry equal to a sum of zeros, yet it is non-zero), so the loop always stops there
 * at worst.
 */
function completeSuppression(grid: Grid, lines: readonly Line[], primary: readonly boolean[]): boolean[] {
  let protecting = primary.map((hidden, position) => hidden && valueAt(grid.values, position) !== 0);
  for (;;) {
    protecting = closeSingletonLines(grid.values, lines, protecting);
    const determined = exposedPositions(grid.values, lines, protecting);
    const first = determined[0];
    if (first === undefined) break;
    const extra = extraSuppression(grid.values, lines, protecting, first);
    if (extra === undefined) break; // unreachable by the argument above
    protecting = withSuppressed(protecting, extra);
  }
  return primary.map((hidden, position) => hidden || protecting[position] === true);
}

/**
 * A line with exactly one hidden non-zero entry gives it back by subtraction: hide the smallest
 * published non-zero member too, and repeat until no line has a lone hidden non-zero entry.
 * (`suppressed` marks the hidden non-zero entries only: zeros count as known.)
 */
function closeSingletonLines(values: readonly number[], lines: readonly Line[], start: readonly boolean[]): boolean[] {
  let suppressed = [...start];
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const hidden = line.members.filter((position) => suppressed[position] === true);
      // A lone hidden zero given back is nobody: no partner needed.
      if (hidden.length !== 1 || valueAt(values, hidden[0] ?? -1) === 0) continue;
      const partner = smallestPublished(values, suppressed, line.members);
      if (partner === undefined) continue;
      suppressed = withSuppressed(suppressed, partner);
      changed = true;
    }
  }
  return suppressed;
}

/**
 * The entry to hide next when `target` is still determined: the smallest published non-zero
 * entry whose hiding alone frees `target`; if none does, the smallest in a line of `target`
 * (the singleton rule then extends it), else the smallest anywhere.
 */
function extraSuppression(values: readonly number[], lines: readonly Line[], suppressed: readonly boolean[], target: number): number | undefined {
  const candidates = publishedNonZero(values, suppressed);
  const freeing = candidates.find((candidate) => !exposedPositions(values, lines, withSuppressed(suppressed, candidate)).includes(target));
  if (freeing !== undefined) return freeing;
  const neighbours = lines.filter((line) => line.members.includes(target)).flatMap((line) => line.members);
  return candidates.find((candidate) => neighbours.includes(candidate)) ?? candidates[0];
}

/** Published non-zero positions, smallest value first, ties by grid position. */
function publishedNonZero(values: readonly number[], suppressed: readonly boolean[]): number[] {
  return range(values.length)
    .filter((position) => suppressed[position] !== true && valueAt(values, position) > 0)
    .sort((a, b) => valueAt(values, a) - valueAt(values, b) || a - b);
}

function smallestPublished(values: readonly number[], suppressed: readonly boolean[], members: readonly number[]): number | undefined {
  const own = new Set(members);
  return publishedNonZero(values, suppressed).find((position) => own.has(position));
}

function withSuppressed(suppressed: readonly boolean[], position: number): boolean[] {
  const next = [...suppressed];
  next[position] = true;
  return next;
}

// ---------------------------------------------------------------------------------------------
// Exact recoverability

/**
 * Hidden positions a reader can work out to a non-zero value: determined by the equations, or
 * pinned by the bounds. `values` must hold the published values; hidden positions' entries
 * are not read. A hidden entry worked out to be zero is not exposed: it is nobody.
 */
function exposedPositions(values: readonly number[], lines: readonly Line[], suppressed: readonly boolean[]): number[] {
  const exposed = new Set<number>();
  for (const [position, value] of determinedValues(values, lines, suppressed)) if (value !== 0) exposed.add(position);
  for (const [position, value] of pinnedByBounds(values, lines, suppressed)) if (value !== 0) exposed.add(position);
  return [...exposed].sort((a, b) => a - b);
}

/** Each line as Σ coefficient × hidden entry = constant, the published members moved across. */
function hiddenEquations(values: readonly number[], lines: readonly Line[], suppressed: readonly boolean[]): { terms: [number, number][]; constant: number }[] {
  return lines
    .map((line) => {
      let constant = 0;
      const terms: [number, number][] = [];
      line.members.forEach((position, k) => {
        const coefficient = line.coefficients[k] ?? 0;
        if (suppressed[position] === true) terms.push([position, coefficient]);
        else constant -= coefficient * valueAt(values, position);
      });
      return { terms, constant };
    })
    .filter((equation) => equation.terms.length > 0);
}

/**
 * Hidden positions that interval propagation pins to one value, with that value: each hidden
 * entry starts in [0, ∞), and each line narrows each of its hidden members by the bounds of
 * the others. Propagation only ever keeps values a solution could take, so a pinned entry
 * really is given away.
 */
function pinnedByBounds(values: readonly number[], lines: readonly Line[], suppressed: readonly boolean[]): Map<number, number> {
  const low = new Map<number, number>();
  const high = new Map<number, number>();
  for (const [position, hidden] of suppressed.entries()) {
    if (hidden) {
      low.set(position, 0);
      high.set(position, Number.POSITIVE_INFINITY);
    }
  }
  if (low.size === 0) return new Map();
  const equations = hiddenEquations(values, lines, suppressed);
  const bound = (map: Map<number, number>, position: number) => map.get(position) ?? 0;
  for (let changed = true, passes = 0; changed && passes < 100; passes += 1) {
    changed = false;
    for (const { terms, constant } of equations) {
      for (const [position, a] of terms) {
        // a·x = constant − Σ b·y over the other hidden members y.
        let least = constant;
        let most = constant;
        for (const [other, b] of terms) {
          if (other === position) continue;
          least -= b > 0 ? b * bound(high, other) : b * bound(low, other);
          most -= b > 0 ? b * bound(low, other) : b * bound(high, other);
        }
        const [from, to] = a > 0 ? [least / a, most / a] : [most / a, least / a];
        if (Math.ceil(from) > bound(low, position)) {
          low.set(position, Math.ceil(from));
          changed = true;
        }
        if (Math.floor(to) < bound(high, position)) {
          high.set(position, Math.floor(to));
          changed = true;
        }
      }
    }
  }
  return new Map([...low].filter(([position, least]) => high.get(position) === least));
}

/**
 * Hidden positions whose value follows from the published ones, with that value. Substituting
 * the published values leaves each line as an equation over the hidden entries alone; a hidden
 * entry is determined iff its unit vector lies in the row space of that coefficient matrix.
 * After Gauss-Jordan elimination (the constants carried along) every pivot column is zero
 * outside its pivot row, so that happens iff some reduced row has exactly one non-zero
 * coefficient. Integer (bigint) arithmetic, so no rounding error can hide or invent a dependency.
 */
function determinedValues(values: readonly number[], lines: readonly Line[], suppressed: readonly boolean[]): Map<number, number> {
  const unknowns = range(suppressed.length).filter((position) => suppressed[position] === true);
  const column = new Map(unknowns.map((position, index) => [position, index]));
  const matrix = hiddenEquations(values, lines, suppressed).map(({ terms, constant }) => {
    const row = new Array<bigint>(unknowns.length + 1).fill(0n);
    for (const [position, coefficient] of terms) row[column.get(position) ?? 0] = BigInt(coefficient);
    row[unknowns.length] = BigInt(constant);
    return row;
  });
  const determined = new Map<number, number>();
  for (const row of reducedRowEchelon(matrix, unknowns.length)) {
    const nonZero = nonZeroIndices(row.slice(0, unknowns.length));
    const index = nonZero.length === 1 ? nonZero[0] : undefined;
    const position = index === undefined ? undefined : unknowns[index];
    if (index === undefined || position === undefined) continue;
    determined.set(position, Number((row[unknowns.length] ?? 0n) / (row[index] ?? 1n)));
  }
  return determined;
}

/** Gauss-Jordan over the integers: combine rows by cross-multiplying, keep them primitive. */
function reducedRowEchelon(input: readonly (readonly bigint[])[], width: number): bigint[][] {
  const rows = input.map((row) => [...row]);
  let pivotRow = 0;
  for (let col = 0; col < width && pivotRow < rows.length; col += 1) {
    const found = rows.findIndex((row, r) => r >= pivotRow && (row[col] ?? 0n) !== 0n);
    if (found === -1) continue;
    const pivot = rows[found] ?? [];
    rows[found] = rows[pivotRow] ?? [];
    rows[pivotRow] = pivot;
    const a = pivot[col] ?? 0n;
    for (let r = 0; r < rows.length; r += 1) {
      const row = rows[r] ?? [];
      const b = row[col] ?? 0n;
      if (r === pivotRow || b === 0n) continue;
      rows[r] = primitive(row.map((value, k) => value * a - (pivot[k] ?? 0n) * b));
    }
    pivotRow += 1;
  }
  return rows;
}

/** Divides out the common factor so coefficients stay small through repeated elimination. */
function primitive(row: readonly bigint[]): bigint[] {
  const divisor = row.reduce((g, value) => gcd(g, value < 0n ? -value : value), 0n);
  return divisor > 1n ? row.map((value) => value / divisor) : [...row];
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function nonZeroIndices(row: readonly bigint[]): number[] {
  return row.flatMap((value, index) => (value !== 0n ? [index] : []));
}

// ---------------------------------------------------------------------------------------------
// Rounding and small helpers

/**
 * Nearest multiple of `base`, halves rounded up, in integers. Rounding is applied on top of
 * suppression and simply rounds: a published value (zero, or at least the threshold) may
 * come out as a non-zero multiple below the threshold (threshold 7, base 5: 7 becomes 5) or
 * as 0 when the base is large. Neither reveals a small count, since small counts are never
 * published. Rounded totals need not equal the sum of rounded cells.
 */
function roundHalfUp(value: number, base: number): number {
  const remainder = value % base;
  const down = value - remainder;
  return remainder * 2 >= base ? down + base : down;
}

function protectedEntry(table: ProtectedTable, i: number, j: number): ProtectedCell {
  const rowCount = table.rows.length;
  const columnCount = table.columns.length;
  const entry = i === rowCount ? (j === columnCount ? table.grandTotal : table.columnTotals[j]) : j === columnCount ? table.rowTotals[i] : table.cells[i]?.[j];
  if (entry === undefined) throw new RangeError(`protected table has no entry at row ${i}, column ${j}`);
  return entry;
}

function positionOf(grid: GridShape, i: number, j: number): number {
  return i * grid.width + j;
}

function entryPosition(grid: GridShape, position: number): EntryPosition {
  const i = Math.floor(position / grid.width);
  const j = position % grid.width;
  return { row: i === grid.height - 1 ? 'total' : i, column: j === grid.width - 1 ? 'total' : j };
}

function valueAt(values: readonly number[], position: number): number {
  const value = values[position];
  if (value === undefined) throw new RangeError(`no value at grid position ${position}`);
  return value;
}

function range(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}
