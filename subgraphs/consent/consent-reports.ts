import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { parsePeriod } from '../shared/report-period.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { consentCollections } from './store.js';

/**
 * Reports over the consent store, grouped in the database, one aggregation each. FerretDB 1.x
 * has no conditional operators, so consents given and withdrawn in a period are grouped by
 * recipient type and the two stored timestamps, and the subgraph decides which column each
 * group counts in; only counts per value leave the database.
 */

const RECIPIENT_TYPES = ['NHS', 'LOCAL_AUTHORITY', 'POLICE', 'OTHER'];
const LEGAL_BASES = ['SAFEGUARDING', 'SERIOUS_HARM', 'CRIME_PREVENTION', 'COURT_ORDER', 'VITAL_INTERESTS'];

type Grouped = { _id: string | null; n: number };

export async function consentActivityReport(db: Db, period: string, settings: ReportSettings): Promise<ReportTableShape> {
  const { start, end, label } = parsePeriod(period);
  const within = { $gte: start, $lt: end };
  const grouped = await consentCollections(db)
    .consents.aggregate<{ _id: { type?: string | null; signed?: unknown; withdrawn?: unknown }; n: number }>(
      [{ $match: { $or: [{ signedAt: within }, { withdrawnAt: within }] } }, { $group: { _id: { type: '$recipientType', signed: '$signedAt', withdrawn: '$withdrawnAt' }, n: { $sum: 1 } } }],
      { batchSize: FIRST_BATCH },
    )
    .toArray();
  const inPeriod = (value: unknown) => value instanceof Date && value >= start && value < end;
  const grid = new CountGrid();
  for (const { _id, n } of grouped) {
    const type = _id.type ?? 'OTHER';
    if (inPeriod(_id.signed)) grid.add(type, 'GIVEN', n);
    if (inPeriod(_id.withdrawn)) grid.add(type, 'WITHDRAWN', n);
  }
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
