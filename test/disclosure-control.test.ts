import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRecoverable, protectTable, type CountTable, type EntryPosition, type ProtectedCell, type ProtectedTable } from '../reporting/disclosure-control.js';

/*
 * docs/INVARIANTS.md#8: aggregates cannot single anyone out. Counts below the threshold are
 * hidden, and no hidden count may be given back by the totals.
 *
 * The oracle here shares no code with the module's Gaussian elimination. To show a hidden
 * entry is NOT recoverable it produces a second complete table — non-negative integers,
 * additive, agreeing with every published value — that differs at that entry, and checks it
 * by plain summation. A found witness is therefore proof. Witnesses are searched among
 * changes of ±1 to hidden entries: by brute force over every such change when few entries are
 * hidden, else by walking a cycle of hidden entries (each entry of the (rows+1)×(columns+1)
 * grid sits in exactly one row line and one column line, so hidden entries are the edges of a
 * graph on the lines, and an entry follows from the published ones by the equations alone
 * exactly when it is a bridge of that graph); where both run they must agree. Zeros are
 * hidden too and cannot go below 0, so the cycle search never moves a hidden zero down; a hidden
 * entry whose true value is 0 counts as safe whatever happens to it (it is nobody).
 */

// ---------------------------------------------------------------------------------------------
// Test-side model: the extended grid, computed independently of the module

type Grid = number[][];

function countTable(counts: readonly (readonly number[])[]): CountTable {
  return {
    rows: counts.map((_, i) => `row ${i}`),
    columns: (counts[0] ?? []).map((_, j) => `column ${j}`),
    counts,
  };
}

/** The true table with a totals column and a totals row appended. */
function truthGrid(table: CountTable): Grid {
  const width = table.columns.length;
  const rows = table.counts.map((row) => [...row, sum(row)]);
  const totals = Array.from({ length: width + 1 }, (_, j) => sum(rows.map((row) => row[j] ?? 0)));
  return [...rows, totals];
}

/** The published grid: null where hidden. */
function publishedGrid(table: ProtectedTable): (number | null)[][] {
  const line = (cells: readonly ProtectedCell[], total: ProtectedCell): (number | null)[] => [...cells, total].map((cell) => cell.value);
  return [...table.cells.map((row, i) => line(row, cell(table.rowTotals[i]))), line(table.columnTotals, table.grandTotal)];
}

function hiddenEntries(published: readonly (readonly (number | null)[])[]): [number, number][] {
  return published.flatMap((row, i) => row.flatMap((value, j): [number, number][] => (value === null ? [[i, j]] : [])));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function cell(entry: ProtectedCell | undefined): ProtectedCell {
  if (entry === undefined) throw new Error('missing entry');
  return entry;
}

function at(grid: readonly (readonly number[])[], i: number, j: number): number {
  const value = grid[i]?.[j];
  if (value === undefined) throw new Error(`no entry at ${i}, ${j}`);
  return value;
}

/** A full table a reader cannot tell apart from the truth by anything published. */
function isConsistentAlternative(alternative: Grid, published: readonly (readonly (number | null)[])[]): boolean {
  const height = alternative.length;
  const width = alternative[0]?.length ?? 0;
  for (let i = 0; i < height; i += 1) {
    for (let j = 0; j < width; j += 1) {
      const value = at(alternative, i, j);
      if (!Number.isInteger(value) || value < 0) return false;
      const shown = published[i]?.[j];
      if (shown !== null && shown !== value) return false;
    }
  }
  for (let i = 0; i < height; i += 1) {
    const row = alternative[i] ?? [];
    if (sum(row.slice(0, width - 1)) !== at(alternative, i, width - 1)) return false;
  }
  for (let j = 0; j < width; j += 1) {
    const column = alternative.slice(0, height - 1).map((row) => row[j] ?? 0);
    if (sum(column) !== at(alternative, height - 1, j)) return false;
  }
  return true;
}

function changed(truth: Grid, changes: readonly (readonly [number, number, number])[]): Grid {
  const alternative = truth.map((row) => [...row]);
  for (const [i, j, delta] of changes) {
    const row = alternative[i];
    if (row !== undefined) row[j] = at(truth, i, j) + delta;
  }
  return alternative;
}

const key = (i: number, j: number): string => `${i},${j}`;

/** Every assignment of -1/0/+1 to the hidden entries; keys of entries some witness moves. */
function bruteForceMovable(truth: Grid, published: readonly (readonly (number | null)[])[]): Set<string> {
  const hidden = hiddenEntries(published);
  const movable = new Set<string>();
  const deltas = new Array<number>(hidden.length).fill(-1);
  for (let combination = 0; combination < 3 ** hidden.length; combination += 1) {
    let rest = combination;
    for (let k = 0; k < hidden.length; k += 1) {
      deltas[k] = (rest % 3) - 1;
      rest = Math.floor(rest / 3);
    }
    if (deltas.every((delta) => delta === 0)) continue;
    const changes = hidden.map(([i, j], k) => [i, j, deltas[k] ?? 0] as const);
    if (!isConsistentAlternative(changed(truth, changes), published)) continue;
    for (const [i, j, delta] of changes) if (delta !== 0) movable.add(key(i, j));
  }
  return movable;
}

/**
 * A witness for one hidden entry: a path of hidden entries from its column line back to its
 * row line closes a cycle; moving the entries ±1 alternately around it keeps every line's sum.
 * Each entry's move follows from the one before it (opposite, unless one of the two is the
 * shared line's total), so the search runs breadth-first over (line, move) and never asks a
 * hidden zero to go down. The alternative is then checked by plain summation.
 */
function cycleWitness(truth: Grid, published: readonly (readonly (number | null)[])[], target: readonly [number, number]): Grid | undefined {
  const hidden = hiddenEntries(published).filter(([i, j]) => i !== target[0] || j !== target[1]);
  const height = truth.length;
  const width = truth[0]?.length ?? 0;
  // In its row line an entry is the total when it is in the last column; in its column line, in the last row.
  const sign = (entry: readonly [number, number], line: string): number =>
    line.startsWith('r') ? (entry[1] === width - 1 ? -1 : 1) : entry[0] === height - 1 ? -1 : 1;
  const otherEnd = (entry: readonly [number, number], line: string) =>
    line === `r${entry[0]}` ? `c${entry[1]}` : line === `c${entry[1]}` ? `r${entry[0]}` : undefined;
  for (const direction of [1, -1]) {
    // State: a line, and the move of the last entry times its sign in that line.
    const start = `c${target[1]}`;
    const startCarry = direction * sign(target, start);
    const via = new Map<string, { from: string; entry: readonly [number, number]; delta: number }>();
    const seen = new Set([`${start}|${startCarry}`]);
    const queue: [string, number][] = [[start, startCarry]];
    let reached: string | undefined;
    while (queue.length > 0 && reached === undefined) {
      const [node, carry] = queue.shift() as [string, number];
      for (const entry of hidden) {
        const next = otherEnd(entry, node);
        if (next === undefined) continue;
        const delta = -carry * sign(entry, node);
        if (delta < 0 && at(truth, entry[0], entry[1]) === 0) continue;
        const nextCarry = delta * sign(entry, next);
        const state = `${next}|${nextCarry}`;
        if (seen.has(state)) continue;
        seen.add(state);
        via.set(state, { from: `${node}|${carry}`, entry, delta });
        // Back at the target's row line, the target's own move must close the row's sum.
        if (next === `r${target[0]}` && -nextCarry * sign(target, next) === direction) {
          reached = state;
          break;
        }
        queue.push([next, nextCarry]);
      }
    }
    if (reached === undefined) continue;
    const changes: (readonly [number, number, number])[] = [[target[0], target[1], direction]];
    for (let state = reached; state !== `${start}|${startCarry}`;) {
      const step = via.get(state);
      if (step === undefined) break;
      changes.push([step.entry[0], step.entry[1], step.delta]);
      state = step.from;
    }
    const alternative = changed(truth, changes);
    if (isConsistentAlternative(alternative, published)) return alternative;
  }
  return undefined;
}

/** Hidden entries for which no indistinguishable alternative table was found. */
function oracleRecoverable(truth: Grid, table: ProtectedTable): EntryPosition[] {
  const published = publishedGrid(table);
  const hidden = hiddenEntries(published);
  // A hidden zero given back is nobody: only non-zero entries count as recovered.
  const byCycle = hidden.filter(([i, j]) => at(truth, i, j) !== 0 && cycleWitness(truth, published, [i, j]) === undefined);
  if (hidden.length <= 8) {
    // Two independent searches must agree where both are affordable.
    const movable = bruteForceMovable(truth, published);
    const byBruteForce = hidden.filter(([i, j]) => at(truth, i, j) !== 0 && !movable.has(key(i, j)));
    expect(byBruteForce).toEqual(byCycle);
  }
  const height = truth.length;
  const width = truth[0]?.length ?? 0;
  return byCycle.map(([i, j]) => ({ row: i === height - 1 ? 'total' : i, column: j === width - 1 ? 'total' : j }));
}

/** Primary suppression only, as a careless implementation would publish. */
function naivelyProtected(table: CountTable, threshold = 5): ProtectedTable {
  const grid = truthGrid(table);
  const entry = (value: number): ProtectedCell => (value > 0 && value < threshold ? { value: null, suppressed: true } : { value, suppressed: false });
  const height = table.rows.length;
  const width = table.columns.length;
  return {
    rows: table.rows,
    columns: table.columns,
    cells: grid.slice(0, height).map((row) => row.slice(0, width).map(entry)),
    rowTotals: grid.slice(0, height).map((row) => entry(row[width] ?? 0)),
    columnTotals: (grid[height] ?? []).slice(0, width).map(entry),
    grandTotal: entry(at(grid, height, width)),
    threshold,
    roundingBase: null,
  };
}

/**
 * The table as a reader who knows which counts are zero sees it: every hidden zero shown as 0.
 * Such a reader is real: a team that did not exist yet, a catch-all row that is nearly always
 * empty. Reports show every label of their dimensions, so empty rows and columns are common.
 */
function zerosRevealed(table: CountTable, result: ProtectedTable): ProtectedTable {
  const truth = truthGrid(table);
  const height = table.rows.length;
  const width = table.columns.length;
  const reveal = (entry: ProtectedCell | undefined, i: number, j: number): ProtectedCell =>
    cell(entry).suppressed && at(truth, i, j) === 0 ? { value: 0, suppressed: false } : cell(entry);
  return {
    ...result,
    cells: result.cells.map((row, i) => row.map((entry, j) => reveal(entry, i, j))),
    rowTotals: result.rowTotals.map((entry, i) => reveal(entry, i, width)),
    columnTotals: result.columnTotals.map((entry, j) => reveal(entry, height, j)),
    grandTotal: reveal(result.grandTotal, height, width),
  };
}

function pattern(table: ProtectedTable): string[] {
  return publishedGrid(table).map((row) => row.map((value) => (value === null ? 'x' : '.')).join(''));
}

// ---------------------------------------------------------------------------------------------

/** Row 0 has a single small cell: its total gives it straight back unless more is hidden. */
const LONE_SMALL_CELL = countTable([
  [2, 40, 30],
  [20, 25, 35],
]);

describe('primary suppression', () => {
  it('hides counts below the threshold, zero included, and publishes counts at or above it', () => {
    const counts = [
      [0, 1, 2, 3, 4, 5, 6, 40],
      [50, 60, 70, 80, 90, 100, 110, 120],
      [50, 60, 70, 80, 90, 100, 110, 120],
    ];
    const result = protectTable(countTable(counts));
    expect(result.threshold).toBe(5);
    expect(result.roundingBase).toBeNull();
    const first = result.cells[0] ?? [];
    expect(first.slice(1, 5)).toEqual([1, 2, 3, 4].map(() => ({ value: null, suppressed: true })));
    // A published zero would tell a reader every hidden count beside it is at least 1.
    expect(first[0]).toEqual({ value: null, suppressed: true });
    // 5 and 6 are published; what secondary suppression took is a larger row-0 partner.
    expect(first[5]).toEqual({ value: 5, suppressed: false });
    expect(first[6]).toEqual({ value: 6, suppressed: false });
    expect(isRecoverable(result)).toEqual([]);
  });

  it('hides small totals and zeros alike', () => {
    const result = protectTable(
      countTable([
        [0, 0, 3],
        [0, 0, 0],
        [10, 20, 30],
      ]),
    );
    expect(result.rowTotals[0]).toEqual({ value: null, suppressed: true });
    expect(result.rowTotals[1]).toEqual({ value: null, suppressed: true });
    for (const row of result.cells.slice(0, 2)) {
      expect(row.slice(0, 2)).toEqual([0, 0].map(() => ({ value: null, suppressed: true })));
    }
    expect(isRecoverable(result)).toEqual([]);
  });

  it('hides everything when the grand total itself is small, and nothing is recoverable', () => {
    const result = protectTable(
      countTable([
        [2, 0],
        [0, 1],
      ]),
    );
    expect(pattern(result)).toEqual(['xxx', 'xxx', 'xxx']);
    expect(isRecoverable(result)).toEqual([]);
  });
});

describe('secondary suppression', () => {
  it('hides more in a row with a single small cell, so the total does not give it back', () => {
    const result = protectTable(LONE_SMALL_CELL);
    // Row 0 and column 0 each get a partner, their smallest; column 2 then closes the rectangle.
    expect(pattern(result)).toEqual(['x.x.', 'x.x.', '....']);
    expect(isRecoverable(result)).toEqual([]);
    expect(oracleRecoverable(truthGrid(LONE_SMALL_CELL), result)).toEqual([]);
  });

  it('control: primary suppression alone leaves that cell recoverable, and the oracle says so', () => {
    const naive = naivelyProtected(LONE_SMALL_CELL);
    expect(pattern(naive)).toEqual(['x...', '....', '....']);
    // The attack the oracle must see: the row total minus the published cells.
    const published = publishedGrid(naive)[0] ?? [];
    expect((cell(naive.rowTotals[0]).value ?? NaN) - (published[1] ?? 0) - (published[2] ?? 0)).toBe(2);
    expect(oracleRecoverable(truthGrid(LONE_SMALL_CELL), naive)).toEqual([{ row: 0, column: 0 }]);
    expect(isRecoverable(naive)).toEqual([{ row: 0, column: 0 }]);
  });

  it('hides more when the bounds alone give a hidden count back: hidden zeros whose row total is published', () => {
    // Row 0 publishes its total 50 and its 50, so its two hidden entries sum to 0: both are 0,
    // although no equation isolates either. Column 0 then gives its hidden 2 back: 2 − 0.
    const table = countTable([
      [0, 0, 50],
      [2, 3, 30],
      [30, 40, 40],
    ]);
    const careless: ProtectedTable = (() => {
      const naive = naivelyProtected(table);
      const hide = { value: null, suppressed: true };
      return { ...naive, cells: naive.cells.map((row, i) => (i === 0 ? [hide, hide, row[2] as ProtectedCell] : row)) };
    })();
    expect(pattern(careless)).toEqual(['xx..', 'xx..', '....', '....']);
    // The 2 and the 3 are pinned (through the zeros); the zeros themselves give nobody away.
    expect(isRecoverable(careless)).toEqual([
      { row: 1, column: 0 },
      { row: 1, column: 1 },
    ]);
    const result = protectTable(table);
    expect(isRecoverable(result)).toEqual([]);
    expect(oracleRecoverable(truthGrid(table), result)).toEqual([]);
  });

  it('frees an entry that no single line gives back but lines taken together do', () => {
    // Two hidden rectangles joined by one hidden cell: every line has two or more hidden
    // entries, yet the joining cell is a bridge and follows from the totals.
    const table = countTable([
      [1, 2, 3, 40, 50],
      [2, 1, 60, 70, 80],
      [90, 91, 1, 2, 93],
      [94, 95, 2, 1, 96],
      [97, 98, 99, 100, 101],
    ]);
    const naive = naivelyProtected(table);
    expect(isRecoverable(naive)).toEqual([{ row: 0, column: 2 }]);
    expect(oracleRecoverable(truthGrid(table), naive)).toEqual([{ row: 0, column: 2 }]);
    const result = protectTable(table);
    expect(isRecoverable(result)).toEqual([]);
    expect(oracleRecoverable(truthGrid(table), result)).toEqual([]);
    // The smallest published count that closes a cycle through the bridge.
    expect(result.cells[0]?.[3]).toEqual({ value: null, suppressed: true });
  });

  it('is deterministic and leaves its input alone', () => {
    const counts = [
      [3, 8, 0, 12],
      [7, 1, 9, 9],
      [0, 14, 2, 6],
    ];
    const before = JSON.stringify(counts);
    const first = protectTable(countTable(counts));
    expect(protectTable(countTable(counts))).toEqual(first);
    expect(JSON.stringify(counts)).toBe(before);
  });

  it('handles empty tables', () => {
    const result = protectTable({ rows: [], columns: ['a', 'b'], counts: [] });
    expect(result.columnTotals).toEqual([0, 0].map(() => ({ value: null, suppressed: true })));
    expect(result.grandTotal).toEqual({ value: null, suppressed: true });
  });
});

describe('hidden zeros protect nothing', () => {
  // Each small count's only partner in its row is a hidden zero, and the columns tie the two
  // rows together: a reader who does not know the zeros cannot separate 2 from 3, one who does can.
  const PARTNERED_BY_ZEROS = countTable([
    [2, 0, 50],
    [0, 3, 40],
    [30, 40, 60],
  ]);

  it('control: zeros as protection (the check before full label sets) publishes a pattern that a reader who knows the zeros undoes', () => {
    const careless = naivelyProtected(PARTNERED_BY_ZEROS);
    const hide: ProtectedCell = { value: null, suppressed: true };
    // What the check published when it let hidden zeros protect: the primary pattern, zeros hidden.
    const zerosHidden: ProtectedTable = {
      ...careless,
      cells: careless.cells.map((row, i) => row.map((entry, j) => (at(truthGrid(PARTNERED_BY_ZEROS), i, j) === 0 ? hide : entry))),
    };
    expect(pattern(zerosHidden)).toEqual(['xx..', 'xx..', '....', '....']);
    expect(isRecoverable(zerosHidden)).toEqual([]);
    expect(oracleRecoverable(truthGrid(PARTNERED_BY_ZEROS), zerosHidden)).toEqual([]);
    const knowing = zerosRevealed(PARTNERED_BY_ZEROS, zerosHidden);
    expect(isRecoverable(knowing)).toEqual([
      { row: 0, column: 0 },
      { row: 1, column: 1 },
    ]);
    expect(oracleRecoverable(truthGrid(PARTNERED_BY_ZEROS), knowing)).toEqual([
      { row: 0, column: 0 },
      { row: 1, column: 1 },
    ]);
  });

  it('hides non-zero partners instead, so a reader who knows every zero still recovers nothing', () => {
    const result = protectTable(PARTNERED_BY_ZEROS);
    expect(result.cells[0]?.[1]).toEqual({ value: null, suppressed: true }); // the zeros stay hidden
    expect(isRecoverable(result)).toEqual([]);
    const knowing = zerosRevealed(PARTNERED_BY_ZEROS, result);
    expect(isRecoverable(knowing)).toEqual([]);
    expect(oracleRecoverable(truthGrid(PARTNERED_BY_ZEROS), knowing)).toEqual([]);
  });

  it('adding empty labels (all-zero rows and columns) hides them whole and changes nothing else a reader can learn', () => {
    const base = [
      [2, 12, 30],
      [9, 1, 25],
      [40, 7, 3],
    ];
    const withEmpty = countTable([...base.map((row) => [...row, 0]), [0, 0, 0, 0]]);
    const result = protectTable(withEmpty);
    expect(result.cells[3]?.every((entry) => entry.suppressed)).toBe(true);
    expect(result.rowTotals[3]).toEqual({ value: null, suppressed: true });
    expect(result.cells.every((row) => row[3]?.suppressed)).toBe(true);
    expect(result.columnTotals[3]).toEqual({ value: null, suppressed: true });
    for (const shown of [result, zerosRevealed(withEmpty, result)]) {
      expect(isRecoverable(shown)).toEqual([]);
      expect(oracleRecoverable(truthGrid(withEmpty), shown)).toEqual([]);
    }
  });
});

describe('options', () => {
  it('refuses a threshold below 3', () => {
    for (const threshold of [2, 1, 0, -5]) {
      expect(() => protectTable(LONE_SMALL_CELL, { threshold })).toThrow(RangeError);
    }
    expect(() => protectTable(LONE_SMALL_CELL, { threshold: 3 })).not.toThrow();
  });

  it('refuses malformed tables and rounding bases', () => {
    expect(() => protectTable(countTable([[1, -2]]))).toThrow(RangeError);
    expect(() => protectTable(countTable([[1.5, 2]]))).toThrow(RangeError);
    expect(() => protectTable({ rows: ['a'], columns: ['x', 'y'], counts: [[1]] })).toThrow(RangeError);
    expect(() => protectTable(LONE_SMALL_CELL, { roundingBase: 0 })).toThrow(RangeError);
  });

  it('applies a custom threshold of 10', () => {
    const table = countTable([
      [9, 11, 50, 60],
      [40, 5, 50, 60],
      [40, 50, 50, 10],
    ]);
    const result = protectTable(table, { threshold: 10 });
    expect(result.threshold).toBe(10);
    // 9 and 5 hidden, partnered by 11 and 40 into one rectangle; 10 is not below 10.
    expect(pattern(result)).toEqual(['xx...', 'xx...', '.....', '.....']);
    expect(result.cells[2]?.[3]).toEqual({ value: 10, suppressed: false });
    expect(isRecoverable(result)).toEqual([]);
    expect(oracleRecoverable(truthGrid(table), result)).toEqual([]);
    const lenient = protectTable(table);
    expect(lenient.cells[0]?.[0]).toEqual({ value: 9, suppressed: false });
  });

  it('rounds published values to the base, half up, and keeps suppressed ones null', () => {
    const table = countTable([
      [2, 12, 13, 25],
      [40, 37, 0, 52],
    ]);
    const exact = protectTable(table);
    const rounded = protectTable(table, { roundingBase: 5 });
    expect(rounded.roundingBase).toBe(5);
    expect(pattern(rounded)).toEqual(pattern(exact));
    const all = (t: ProtectedTable): ProtectedCell[] => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal];
    for (const [k, entry] of all(rounded).entries()) {
      const truth = all(exact)[k];
      if (entry.suppressed) {
        expect(entry.value).toBeNull();
        continue;
      }
      expect((entry.value ?? 1) % 5).toBe(0);
      expect(Math.abs((entry.value ?? 0) - (truth?.value ?? 0))).toBeLessThanOrEqual(2);
    }
    expect(rounded.cells[1]?.[2]).toEqual({ value: null, suppressed: true }); // a zero, hidden like any small count
    const plain = protectTable(
      countTable([
        [12, 13, 25],
        [40, 37, 52],
      ]),
      { roundingBase: 5 },
    );
    expect(plain.cells[0]?.[1]).toEqual({ value: 15, suppressed: false }); // 13 rounds up
    expect(plain.cells[1]?.[2]).toEqual({ value: 50, suppressed: false }); // 52 rounds down
    expect(plain.grandTotal).toEqual({ value: 180, suppressed: false }); // 179
    expect(protectTable(countTable([[25, 30]]), { roundingBase: 10 }).cells[0]?.[0]?.value).toBe(30); // half up
  });
});

// ---------------------------------------------------------------------------------------------

const count = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 3 },
);

const counts = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([height, width]) => fc.array(fc.array(count, { minLength: width, maxLength: width }), { minLength: height, maxLength: height }));

describe('against an independent oracle, on random tables', () => {
  it('hides every small count, publishes the rest exactly, and lets no hidden count be recovered', () => {
    fc.assert(
      fc.property(counts, fc.constantFrom(3, 5, 5, 10), (rows, threshold) => {
        const table = countTable(rows);
        const truth = truthGrid(table);
        const result = protectTable(table, { threshold });
        const published = publishedGrid(result);
        truth.forEach((row, i) =>
          row.forEach((value, j) => {
            const shown = published[i]?.[j];
            if (value < threshold) expect(shown).toBeNull();
            if (shown !== null) expect(shown).toBe(value);
          }),
        );
        expect(oracleRecoverable(truth, result)).toEqual([]);
        expect(isRecoverable(result)).toEqual([]);
        // Also for a reader who knows which counts are zero.
        const knowing = zerosRevealed(table, result);
        expect(oracleRecoverable(truth, knowing)).toEqual([]);
        expect(isRecoverable(knowing)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('with empty labels appended (rows and columns nobody has), hides them whole and still lets nothing be recovered', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (rows, emptyRows, emptyColumns) => {
        const width = (rows[0]?.length ?? 0) + emptyColumns;
        const table = countTable([
          ...rows.map((row) => [...row, ...new Array<number>(emptyColumns).fill(0)]),
          ...Array.from({ length: emptyRows }, () => new Array<number>(width).fill(0)),
        ]);
        const result = protectTable(table);
        const published = publishedGrid(result);
        for (let i = rows.length; i < rows.length + emptyRows; i += 1) expect(published[i]?.every((value) => value === null)).toBe(true);
        for (const row of published) for (let j = width - emptyColumns; j < width; j += 1) expect(row[j]).toBeNull();
        for (const shown of [result, zerosRevealed(table, result)]) {
          expect(oracleRecoverable(truthGrid(table), shown)).toEqual([]);
          expect(isRecoverable(shown)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with isRecoverable on careless, primary-only tables, which often leak', () => {
    let leaking = 0;
    fc.assert(
      fc.property(counts, (rows) => {
        const table = countTable(rows);
        const naive = naivelyProtected(table);
        const found = oracleRecoverable(truthGrid(table), naive);
        expect(isRecoverable(naive)).toEqual(found);
        if (found.length > 0) leaking += 1;
      }),
      { numRuns: 200 },
    );
    expect(leaking).toBeGreaterThan(20);
  });
});
