import { GraphQLError } from 'graphql';
import type { Db, Document } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { AGE_BANDS, ageBand, ageOn, parsePeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { clientCollections } from './store.js';
import { NO_TEAM_LABEL, teamLabeller } from './team-labels.js';

/**
 * The caseload report: clients on the caseload at any time in a whole period, counted by two
 * dimensions, in one aggregation. FerretDB 1.x has no date or conditional operators (and its
 * $unwind drops the other fields), so the database groups by the stored values (a date of
 * birth, a closing date, the list of services) and bands and services are drawn out here; no
 * client record leaves the database, only counts per value.
 */

export type CaseloadDimension = 'SERVICE' | 'GENDER' | 'AGE_BAND' | 'OUTCOME' | 'TEAM';

/** The stored field each dimension is grouped on. */
const GROUPED_FIELD: Readonly<Record<CaseloadDimension, string>> = {
  SERVICE: '$services',
  GENDER: '$gender',
  AGE_BAND: '$dateOfBirth',
  OUTCOME: '$closedOn',
  TEAM: '$teamId',
};

const FIXED_LABELS: Partial<Record<CaseloadDimension, readonly string[]>> = {
  GENDER: ['FEMALE', 'MALE', 'NON_BINARY', 'NOT_STATED'],
  AGE_BAND: [...AGE_BANDS, 'UNKNOWN'],
  OUTCOME: ['CLOSED_IN_PERIOD', 'ONGOING'],
};

export async function caseloadReport(db: Db, period: string, rows: CaseloadDimension, columns: CaseloadDimension, settings: ReportSettings): Promise<ReportTableShape> {
  if (rows === columns) throw new GraphQLError('rows and columns must be different dimensions', { extensions: { code: 'BAD_USER_INPUT' } });
  const { firstDay, lastDay, label } = parsePeriod(period);
  const pipeline: Document[] = [
    { $match: { referredOn: { $lte: lastDay }, $or: [{ closedOn: null }, { closedOn: { $gte: firstDay } }] } },
    { $group: { _id: { r: GROUPED_FIELD[rows], c: GROUPED_FIELD[columns] }, n: { $sum: 1 } } },
  ];
  const usesTeams = rows === 'TEAM' || columns === 'TEAM';
  const [grouped, teamLabel] = await Promise.all([
    clientCollections(db).clients.aggregate<{ _id: { r?: unknown; c?: unknown }; n: number }>(pipeline, { batchSize: FIRST_BATCH }).toArray(),
    // The team names are a second, tiny read, made only when a team dimension is asked for (team-labels.ts).
    usesTeams ? teamLabeller(db) : undefined,
  ]);
  /** The labels a grouped value counts under: one, or one per service for a list of services. */
  const labelsOf = (dimension: CaseloadDimension, value: unknown): string[] => {
    if (dimension === 'TEAM') return [teamLabel ? teamLabel(value) : NO_TEAM_LABEL];
    if (dimension === 'AGE_BAND') return [typeof value === 'string' ? ageBand(ageOn(value, lastDay)) : 'UNKNOWN'];
    if (dimension === 'OUTCOME') return [typeof value === 'string' && value <= lastDay ? 'CLOSED_IN_PERIOD' : 'ONGOING'];
    if (Array.isArray(value)) return [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))];
    return [typeof value === 'string' && value !== '' ? value : 'NOT_RECORDED'];
  };
  const grid = new CountGrid();
  for (const { _id, n } of grouped) {
    for (const row of labelsOf(rows, _id.r)) for (const column of labelsOf(columns, _id.c)) grid.add(row, column, n);
  }
  return grid.table(
    { name: 'caseload', period: label, rowDimension: rows, columnDimension: columns },
    { ...(FIXED_LABELS[rows] ? { rows: FIXED_LABELS[rows] } : {}), ...(FIXED_LABELS[columns] ? { columns: FIXED_LABELS[columns] } : {}) },
    settings,
  );
}
