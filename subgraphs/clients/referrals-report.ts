import { GraphQLError } from 'graphql';
import type { Db, Document } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { AGE_BANDS, ageBand, ageOn, parsePeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { clientCollections } from './store.js';
import { NO_TEAM_LABEL, teamLabeller } from './team-labels.js';

/**
 * New referrals and closures in a whole period, by one dimension, in one aggregation. As in the
 * caseload report, FerretDB 1.x has no date or conditional operators, so the database groups by
 * the stored dates and the dimension's stored value, and the subgraph decides which of the two
 * columns each group counts in. Only counts per value leave the database.
 *
 * The columns count events, not people: a client referred and closed in the same period counts
 * once in each. An age band is the age on the day of the event, so a quarter's table is exactly
 * the sum of its three months' (an age taken at the period's end would move people between
 * bands from month to quarter, and the difference would single out birthdays).
 */

export type ReferralDimension = 'SERVICE' | 'GENDER' | 'AGE_BAND' | 'TEAM';

const GROUPED_FIELD: Readonly<Record<ReferralDimension, string>> = {
  SERVICE: '$services',
  GENDER: '$gender',
  AGE_BAND: '$dateOfBirth',
  TEAM: '$teamId',
};

const FIXED_ROWS: Partial<Record<ReferralDimension, readonly string[]>> = {
  GENDER: ['FEMALE', 'MALE', 'NON_BINARY', 'NOT_STATED'],
  AGE_BAND: [...AGE_BANDS, 'UNKNOWN'],
};

export const REFERRAL_COLUMNS = ['REFERRED', 'CLOSED'] as const;

const DIMENSIONS = new Set<string>(Object.keys(GROUPED_FIELD));

export async function referralsAndClosuresReport(db: Db, period: string, rows: ReferralDimension, settings: ReportSettings): Promise<ReportTableShape> {
  if (!DIMENSIONS.has(rows)) throw new GraphQLError('rows must be SERVICE, GENDER, AGE_BAND or TEAM', { extensions: { code: 'BAD_USER_INPUT' } });
  const { firstDay, lastDay, label } = parsePeriod(period);
  const within = { $gte: firstDay, $lte: lastDay };
  const pipeline: Document[] = [
    { $match: { $or: [{ referredOn: within }, { closedOn: within }] } },
    { $group: { _id: { r: GROUPED_FIELD[rows], referred: '$referredOn', closed: '$closedOn' }, n: { $sum: 1 } } },
  ];
  const [grouped, teamLabel] = await Promise.all([
    clientCollections(db).clients.aggregate<{ _id: { r?: unknown; referred?: unknown; closed?: unknown }; n: number }>(pipeline, { batchSize: FIRST_BATCH }).toArray(),
    // The team names are a second, tiny read, made only when teams are the rows (team-labels.ts).
    rows === 'TEAM' ? teamLabeller(db) : undefined,
  ]);
  const inPeriod = (day: unknown): day is string => typeof day === 'string' && day >= firstDay && day <= lastDay;
  /** The row labels a group counts under for an event on `day`: one, or one per service. */
  const labelsOf = (value: unknown, day: string): string[] => {
    if (rows === 'TEAM') return [teamLabel ? teamLabel(value) : NO_TEAM_LABEL];
    if (rows === 'AGE_BAND') return [typeof value === 'string' ? ageBand(ageOn(value, day)) : 'UNKNOWN'];
    if (Array.isArray(value)) return [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))];
    return [typeof value === 'string' && value !== '' ? value : 'NOT_RECORDED'];
  };
  const grid = new CountGrid();
  for (const { _id, n } of grouped) {
    if (inPeriod(_id.referred)) for (const row of labelsOf(_id.r, _id.referred)) grid.add(row, 'REFERRED', n);
    if (inPeriod(_id.closed)) for (const row of labelsOf(_id.r, _id.closed)) grid.add(row, 'CLOSED', n);
  }
  return grid.table(
    { name: 'referralsAndClosures', period: label, rowDimension: rows, columnDimension: 'ACTIVITY' },
    { ...(FIXED_ROWS[rows] ? { rows: FIXED_ROWS[rows] } : {}), columns: REFERRAL_COLUMNS },
    settings,
  );
}
