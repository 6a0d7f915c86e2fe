import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { HR_REPORT_DIMENSIONS } from '../shared/report-dimensions.js';
import { publishedReport } from '../shared/published-reports.js';
import { labelSet } from '../shared/report-labels.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { hrCollections } from './store.js';

/**
 * Workforce headcount by team and post, in one aggregation. It has no service-user dimension
 * and never will: no report may let anyone count the employees who are also clients. It counts
 * the workforce as it is now, not a period, so it is always computed live (published-reports.ts).
 */
export function headcountReport(db: Db, settings: ReportSettings): Promise<ReportTableShape> {
  return publishedReport(db, { report: 'headcount', period: null, arguments: {}, settings }, () => countHeadcount(db, settings));
}

async function countHeadcount(db: Db, settings: ReportSettings): Promise<ReportTableShape> {
  // Labels are team names and post titles, never ids: every team and every post, staffed or
  // not, from the two small reference lists read alongside the aggregation.
  const [grouped, teams, posts] = await Promise.all([
    hrCollections(db)
      .employees.aggregate<{ _id: { team?: unknown; post?: unknown }; n: number }>(
        [{ $group: { _id: { team: '$teamId', post: '$postId' }, n: { $sum: 1 } } }],
        { batchSize: FIRST_BATCH },
      )
      .toArray(),
    labelSet(HR_REPORT_DIMENSIONS.TEAM, db),
    labelSet(HR_REPORT_DIMENSIONS.POST, db),
  ]);
  const grid = new CountGrid(teams, posts);
  for (const { _id, n } of grouped) grid.add(teams.labelOf(_id.team), posts.labelOf(_id.post), n);
  return grid.table({ name: 'headcount', period: null, rowDimension: 'TEAM', columnDimension: 'POST' }, settings);
}
