import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { publishedReport } from '../shared/published-reports.js';
import { parsePeriod, type ReportPeriod } from '../shared/report-period.js';
import { CONSENT_REPORT_DIMENSIONS } from '../shared/report-dimensions.js';
import { fixedLabelSet } from '../shared/report-labels.js';
import { CountGrid, type ReportSettings, type ReportTableShape } from '../shared/report-table.js';
import { consentCollections } from './store.js';

/**
 * Reports over the consent store, grouped in the database, one aggregation each. FerretDB 1.x
 * has no conditional operators, so consents given and withdrawn in a period are grouped by
 * recipient type and the two stored timestamps, and the subgraph decides which column each
 * group counts in; only counts per value leave the database. A closed period's table is
 * computed on its first pull and read from then on (published-reports.ts): a consent recorded
 * later with a `signedAt` in that period (a paper consent entered late) does not change it.
 */

const { RECIPIENT_TYPE, LEGAL_BASIS, CONSENT_ACTIVITY, BREAK_GLASS_ACTIVITY } = CONSENT_REPORT_DIMENSIONS;

type Grouped = { _id: unknown; n: number };

export async function consentActivityReport(db: Db, period: string, settings: ReportSettings): Promise<ReportTableShape> {
  const parsed = parsePeriod(period);
  return publishedReport(db, { report: 'consentActivity', period: parsed, arguments: {}, settings }, () => countConsentActivity(db, parsed, settings));
}

async function countConsentActivity(db: Db, period: ReportPeriod, settings: ReportSettings): Promise<ReportTableShape> {
  const { start, end, label } = period;
  const within = { $gte: start, $lt: end };
  const grouped = await consentCollections(db)
    .consents.aggregate<{ _id: { type?: unknown; signed?: unknown; withdrawn?: unknown }; n: number }>(
      [
        { $match: { $or: [{ signedAt: within }, { withdrawnAt: within }] } },
        { $group: { _id: { type: '$recipientType', signed: '$signedAt', withdrawn: '$withdrawnAt' }, n: { $sum: 1 } } },
      ],
      { batchSize: FIRST_BATCH },
    )
    .toArray();
  const inPeriod = (value: unknown) => value instanceof Date && value >= start && value < end;
  // Every recipient type of the schema's enum, whether or not anyone consented to it.
  const types = fixedLabelSet(RECIPIENT_TYPE);
  const grid = new CountGrid(types, fixedLabelSet(CONSENT_ACTIVITY));
  for (const { _id, n } of grouped) {
    const type = types.labelOf(_id.type);
    if (inPeriod(_id.signed)) grid.add(type, 'GIVEN', n);
    if (inPeriod(_id.withdrawn)) grid.add(type, 'WITHDRAWN', n);
  }
  return grid.table({ name: 'consentActivity', period: label, rowDimension: 'RECIPIENT_TYPE', columnDimension: 'ACTIVITY' }, settings);
}

export async function exceptionalDisclosureReport(db: Db, period: string, settings: ReportSettings): Promise<ReportTableShape> {
  const parsed = parsePeriod(period);
  return publishedReport(db, { report: 'exceptionalDisclosures', period: parsed, arguments: {}, settings }, () =>
    countExceptionalDisclosures(db, parsed, settings),
  );
}

async function countExceptionalDisclosures(db: Db, period: ReportPeriod, settings: ReportSettings): Promise<ReportTableShape> {
  const { start, end, label } = period;
  const opened = await consentCollections(db)
    .exceptionalDisclosures.aggregate<Grouped>([{ $match: { openedAt: { $gte: start, $lt: end } } }, { $group: { _id: '$legalBasis', n: { $sum: 1 } } }], {
      batchSize: FIRST_BATCH,
    })
    .toArray();
  // Every legal basis of the schema's enum, whether or not break-glass was opened under it.
  const bases = fixedLabelSet(LEGAL_BASIS);
  const grid = new CountGrid(bases, fixedLabelSet(BREAK_GLASS_ACTIVITY));
  for (const { _id, n } of opened) grid.add(bases.labelOf(_id), 'OPENED', n);
  return grid.table({ name: 'exceptionalDisclosures', period: label, rowDimension: 'LEGAL_BASIS', columnDimension: 'ACTIVITY' }, settings);
}
