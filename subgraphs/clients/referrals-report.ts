import type { Db, Document } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { publishedReport } from '../shared/published-reports.js';
import { parsePeriod, type ReportPeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { clientCollections } from './store.js';
import { REFERRAL_ACTIVITY } from '../shared/report-dimensions.js';
import { fixedLabelSet } from '../shared/report-labels.js';
import { clientLabels, GROUPED_FIELD, labelsOf, type ClientDimension } from './client-dimensions.js';

/**
 * New referrals and closures in a whole period, by one dimension, in one aggregation. As in the
 * caseload report, FerretDB 1.x has no date or conditional operators, so the database groups by
 * the stored dates and the dimension's stored value, and the subgraph decides which of the two
 * columns each group counts in. Only counts per value leave the database.
 *
 * The columns count events, not people: a client referred and closed in the same period counts
 * once in each. An age band is the age on the day of the event, so a quarter's table is exactly
 * the sum of its three months' (an age taken at the period's end would move people between
 * bands from month to quarter, and the difference would single out birthdays). A closed
 * period's table is computed on its first pull and read from then on (published-reports.ts).
 */

/** Outcome is the closure column itself, so not a row dimension here. */
export type ReferralDimension = Exclude<ClientDimension, 'OUTCOME'>;

export async function referralsAndClosuresReport(db: Db, period: string, rows: ReferralDimension, settings: ReportSettings): Promise<ReportTableShape> {
  const parsed = parsePeriod(period);
  return publishedReport(db, { report: 'referralsAndClosures', period: parsed, arguments: { rows }, settings }, () =>
    countReferralsAndClosures(db, parsed, rows, settings),
  );
}

async function countReferralsAndClosures(db: Db, period: ReportPeriod, rows: ReferralDimension, settings: ReportSettings): Promise<ReportTableShape> {
  const { firstDay, lastDay, label } = period;
  const within = { $gte: firstDay, $lte: lastDay };
  const pipeline: Document[] = [
    { $match: { $or: [{ referredOn: within }, { closedOn: within }] } },
    { $group: { _id: { r: GROUPED_FIELD[rows], referred: '$referredOn', closed: '$closedOn' }, n: { $sum: 1 } } },
  ];
  const [grouped, rowLabels] = await Promise.all([
    clientCollections(db)
      .clients.aggregate<{ _id: { r?: unknown; referred?: unknown; closed?: unknown }; n: number }>(pipeline, { batchSize: FIRST_BATCH })
      .toArray(),
    // A team or service dimension reads its reference list alongside: a few dozen documents.
    clientLabels(db, rows),
  ]);
  const inPeriod = (day: unknown): day is string => typeof day === 'string' && day >= firstDay && day <= lastDay;
  const grid = new CountGrid(rowLabels, fixedLabelSet(REFERRAL_ACTIVITY));
  for (const { _id, n } of grouped) {
    if (inPeriod(_id.referred)) for (const row of labelsOf(rows, rowLabels, _id.r, _id.referred)) grid.add(row, 'REFERRED', n);
    if (inPeriod(_id.closed)) for (const row of labelsOf(rows, rowLabels, _id.r, _id.closed)) grid.add(row, 'CLOSED', n);
  }
  return grid.table({ name: 'referralsAndClosures', period: label, rowDimension: rows, columnDimension: 'ACTIVITY' }, settings);
}
