import type { Db, Document } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { publishedReport } from '../shared/published-reports.js';
import { parsePeriod, type ReportPeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { clientCollections } from './store.js';
import { clientLabels, GROUPED_FIELD, labelsOf, type ClientDimension } from './client-dimensions.js';
import { badInput } from '../shared/write-input.js';

/**
 * The caseload report: clients on the caseload at any time in a whole period, counted by two
 * dimensions, in one aggregation grouped by stored values (client-dimensions.ts); no client
 * record leaves the database, only counts per value. Every label of both dimensions is in the
 * table (report-dimensions.ts). A closed period's table is computed on its first pull and read
 * from then on (published-reports.ts).
 */

export type CaseloadDimension = ClientDimension;

export async function caseloadReport(
  db: Db,
  period: string,
  rows: CaseloadDimension,
  columns: CaseloadDimension,
  settings: ReportSettings,
): Promise<ReportTableShape> {
  if (rows === columns) throw badInput('rows and columns must be different dimensions');
  const parsed = parsePeriod(period);
  return publishedReport(db, { report: 'caseload', period: parsed, arguments: { rows, columns }, settings }, () =>
    countCaseload(db, parsed, rows, columns, settings),
  );
}

async function countCaseload(
  db: Db,
  period: ReportPeriod,
  rows: CaseloadDimension,
  columns: CaseloadDimension,
  settings: ReportSettings,
): Promise<ReportTableShape> {
  const { firstDay, lastDay, label } = period;
  const pipeline: Document[] = [
    { $match: { referredOn: { $lte: lastDay }, $or: [{ closedOn: null }, { closedOn: { $gte: firstDay } }] } },
    { $group: { _id: { r: GROUPED_FIELD[rows], c: GROUPED_FIELD[columns] }, n: { $sum: 1 } } },
  ];
  const [grouped, rowLabels, columnLabels] = await Promise.all([
    clientCollections(db).clients.aggregate<{ _id: { r?: unknown; c?: unknown }; n: number }>(pipeline, { batchSize: FIRST_BATCH }).toArray(),
    // A team or service dimension reads its reference list alongside: a few dozen documents.
    clientLabels(db, rows),
    clientLabels(db, columns),
  ]);
  const grid = new CountGrid(rowLabels, columnLabels);
  for (const { _id, n } of grouped) {
    for (const row of labelsOf(rows, rowLabels, _id.r, lastDay)) for (const column of labelsOf(columns, columnLabels, _id.c, lastDay)) grid.add(row, column, n);
  }
  return grid.table({ name: 'caseload', period: label, rowDimension: rows, columnDimension: columns }, settings);
}
