import type { ApolloServer } from '@apollo/server';
import { errorsAnswer } from '../../platform/errors/error-answer.js';
import type { JsonRoute } from '../../platform/graphql-http-server.js';
import type { GatewayContext } from '../context.js';
import { runOperation } from '../run-operation.js';
import { reportCsvPath, type ReportDescriptor } from './report-descriptors.js';

/**
 * `/reports/<name>.csv`: the same reports as CSV for reporting tools, one route per report the
 * schema offers (report-descriptors.ts). Each request runs the
 * report's GraphQL query through the gateway with the caller's own token, so the same rules,
 * redaction and audit apply; only the output format differs, and a refusal has the same code
 * and status as on /graphql (platform/errors). A suppressed count is written `[c]`
 * (confidential), as statistical releases do.
 */

interface Cell {
  value: number | null;
  suppressed: boolean | null;
}
interface Table {
  rowDimension: string | null;
  columns: string[] | null;
  rows: { label: string | null; cells: Cell[] | null; total: Cell | null }[] | null;
  columnTotals: Cell[] | null;
  grandTotal: Cell | null;
}

const TABLE =
  'rowDimension columns rows { label cells { value suppressed } total { value suppressed } } columnTotals { value suppressed } grandTotal { value suppressed }';

/**
 * A label a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * before one) is written with a leading apostrophe, so it shows as text: labels come from
 * reference lists that people edit (team and service names), and CSV injection runs in the
 * reader's spreadsheet with the reader's rights.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string): string {
  const text = neutraliseFormula(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(cell: Cell | null | undefined): string {
  if (!cell || cell.suppressed) return '[c]';
  return cell.value === null ? '' : String(cell.value);
}

export function toCsv(table: Table): string {
  const columns = table.columns ?? [];
  const lines = [[table.rowDimension ?? '', ...columns, 'Total'].map(csvField).join(',')];
  for (const row of table.rows ?? []) lines.push([csvField(row.label ?? ''), ...(row.cells ?? []).map(cellText), cellText(row.total)].join(','));
  lines.push(['Total', ...(table.columnTotals ?? []).map(cellText), cellText(table.grandTotal)].map((text, i) => (i === 0 ? csvField(text) : text)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function reportCsvRoutes(apollo: ApolloServer<GatewayContext>, reports: readonly ReportDescriptor[]): Record<string, JsonRoute<GatewayContext>> {
  return Object.fromEntries(
    reports.map((report) => [
      reportCsvPath(report),
      async (context: GatewayContext, query: URLSearchParams) => {
        const definitions = report.parameters.map((p) => `$${p.name}: ${p.type}`).join(', ');
        const args = report.parameters.map((p) => `${p.name}: $${p.name}`).join(', ');
        const document = `query Report${definitions ? `(${definitions})` : ''} { report: ${report.field}${args ? `(${args})` : ''} { ${TABLE} } }`;
        const variables = Object.fromEntries(report.parameters.map((p) => [p.name, query.get(p.name)]));
        const result = await runOperation(apollo, context, document, variables);
        const table = (result?.data as { report?: Table | null } | undefined)?.report;
        // No half table: any error refuses the file, answered as /graphql answers it (a report
        // that came back empty without saying why is our fault, not the caller's).
        if (!result || result.errors?.length || !table) return errorsAnswer(result?.errors);
        // A fixed file name per report (never the caller's parameters, which would reach a header).
        return {
          status: 200,
          text: toCsv(table),
          contentType: 'text/csv; charset=utf-8',
          headers: { 'content-disposition': `attachment; filename="${report.route}.csv"` },
        };
      },
    ]),
  );
}
