import { describe, expect, it } from 'vitest';
import { neutraliseFormula, toCsv } from '../gateway/reports/report-csv.js';

/** CSV injection: a label a spreadsheet would run as a formula is written as text. */
describe('report CSV labels', () => {
  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('%j starts with an apostrophe', (label) => {
    expect(neutraliseFormula(label)).toBe(`'${label}`);
  });

  it('leaves ordinary labels alone', () => {
    for (const label of ['North team', '0-17', 'NOT_RECORDED', 'UNKNOWN TEAM', '65+']) expect(neutraliseFormula(label)).toBe(label);
  });

  it('neutralises row labels, column labels and the dimension, and still quotes commas and quotes', () => {
    const csv = toCsv({
      rowDimension: '=cmd',
      columns: ['@col', 'plain'],
      rows: [
        {
          label: '=1+1,"x"',
          cells: [
            { value: 5, suppressed: false },
            { value: null, suppressed: true },
          ],
          total: { value: 5, suppressed: false },
        },
      ],
      columnTotals: [
        { value: 5, suppressed: false },
        { value: null, suppressed: true },
      ],
      grandTotal: { value: 5, suppressed: false },
    });
    expect(csv.split('\r\n')).toEqual([`'=cmd,'@col,plain,Total`, `"'=1+1,""x""",5,[c],5`, 'Total,5,[c],5', '']);
  });
});
