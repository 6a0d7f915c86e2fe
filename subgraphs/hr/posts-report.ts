import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { HR_REPORT_DIMENSIONS } from '../shared/report-dimensions.js';
import { publishedReport } from '../shared/published-reports.js';
import { labelSet } from '../shared/report-labels.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { hrCollections } from './store.js';

/** Example: employees per post, now (computed live, like the headcount). */
export function postsReport(db: Db, settings: ReportSettings): Promise<ReportTableShape> {
  return publishedReport(db, { report: 'posts', period: null, arguments: {}, settings }, async () => {
    const [grouped, teams, posts] = await Promise.all([
      hrCollections(db).employees.aggregate<{ _id: { team?: unknown; post?: unknown }; n: number }>([{ $group: { _id: { team: '$teamId', post: '$postId' }, n: { $sum: 1 } } }], { batchSize: FIRST_BATCH }).toArray(),
      labelSet(HR_REPORT_DIMENSIONS.TEAM, db),
      labelSet(HR_REPORT_DIMENSIONS.POST, db),
    ]);
    const grid = new CountGrid(posts, teams);
    for (const { _id, n } of grouped) grid.add(posts.labelOf(_id.post), teams.labelOf(_id.team), n);
    return grid.table({ name: 'posts', period: null, rowDimension: 'POST', columnDimension: 'TEAM' }, settings);
  });
}
