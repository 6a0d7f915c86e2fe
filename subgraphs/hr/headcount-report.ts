import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { hrCollections } from './store.js';

/**
 * Workforce headcount by team and post, in one aggregation. It has no service-user dimension
 * and never will: no report may let anyone count the employees who are also clients.
 */
export async function headcountReport(db: Db, settings: ReportSettings): Promise<ReportTableShape> {
  const { employees, teams, posts } = hrCollections(db);
  // Labels are team names and post titles, never ids; the two small lists are read alongside the aggregation.
  const [grouped, teamList, postList] = await Promise.all([
    employees.aggregate<{ _id: { team?: string; post?: string }; n: number }>([{ $group: { _id: { team: '$teamId', post: '$postId' }, n: { $sum: 1 } } }], { batchSize: FIRST_BATCH }).toArray(),
    teams.find({}, { projection: { name: 1 } }).toArray(),
    posts.find({}, { projection: { title: 1 } }).toArray(),
  ]);
  const teamName = new Map(teamList.map((team) => [team._id, team.name]));
  const postTitle = new Map(postList.map((post) => [post._id, post.title]));
  const grid = new CountGrid();
  for (const { _id, n } of grouped) grid.add(teamName.get(_id.team ?? '') ?? 'Not recorded', postTitle.get(_id.post ?? '') ?? 'Not recorded', n);
  return grid.table({ name: 'headcount', period: null, rowDimension: 'TEAM', columnDimension: 'POST' }, {}, settings);
}
