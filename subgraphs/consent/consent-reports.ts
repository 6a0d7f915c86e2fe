import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { parsePeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { consentCollections } from './store.js';

/**
 * Reports over the consent store, grouped in the database. Consents given and withdrawn are
 * two aggregations run side by side: a single one would have to group by the timestamps
 * themselves (FerretDB 1.x has no conditional operators), which is record-level detail.
 */

const RECIPIENT_TYPES = ['NHS', 'LOCAL_AUTHORITY', 'POLICE', 'OTHER'];
const LEGAL_BASES = ['SAFEGUARDING', 'SERIOUS_HARM', 'CRIME_PREVENTION', 'COURT_ORDER', 'VITAL_INTERESTS'];

type Grouped = { _id: string | null; n: number };

export async function consentActivityReport(db: Db, period: string, settings: ReportSettings): Promise<ReportTableShape> {
  const { start, end, label } = parsePeriod(period);
  const { consents } = consentCollections(db);
  const countBy = (field: 'signedAt' | 'withdrawnAt') =>
    consents.aggregate<Grouped>([{ $match: { [field]: { $gte: start, $lt: end } } }, { $group: { _id: '$recipientType', n: { $sum: 1 } } }], { batchSize: FIRST_BATCH }).toArray();
  const [given, withdrawn] = await Promise.all([countBy('signedAt'), countBy('withdrawnAt')]);
  const grid = new CountGrid();
  for (const { _id, n } of given) grid.add(_id ?? 'OTHER', 'GIVEN', n);
  for (const { _id, n } of withdrawn) grid.add(_id ?? 'OTHER', 'WITHDRAWN', n);
  return grid.table({ name: 'consentActivity', period: label, rowDimension: 'RECIPIENT_TYPE', columnDimension: 'ACTIVITY' }, { rows: RECIPIENT_TYPES, columns: ['GIVEN', 'WITHDRAWN'] }, settings);
}

export async function exceptionalDisclosureReport(db: Db, period: string, settings: ReportSettings): Promise<ReportTableShape> {
  const { start, end, label } = parsePeriod(period);
  const opened = await consentCollections(db)
    .exceptionalDisclosures.aggregate<Grouped>([{ $match: { openedAt: { $gte: start, $lt: end } } }, { $group: { _id: '$legalBasis', n: { $sum: 1 } } }], { batchSize: FIRST_BATCH })
    .toArray();
  const grid = new CountGrid();
  for (const { _id, n } of opened) grid.add(_id ?? 'UNKNOWN', 'OPENED', n);
  return grid.table({ name: 'exceptionalDisclosures', period: label, rowDimension: 'LEGAL_BASIS', columnDimension: 'ACTIVITY' }, { rows: LEGAL_BASES, columns: ['OPENED'] }, settings);
}
