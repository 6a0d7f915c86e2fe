import type { Db } from 'mongodb';
import { CLIENT_REPORT_DIMENSIONS } from '../shared/report-dimensions.js';
import { labelSet, type LabelSet } from '../shared/report-labels.js';
import { ageBand, ageOn } from '../shared/report-period.js';

/**
 * How a client report breaks clients down. FerretDB 1.x has no date or conditional operators
 * (and its $unwind drops the other fields), so the database groups by a stored value per
 * dimension and the label is drawn from that value here: a band from a date of birth, an
 * outcome from a closing date, one label per service. Which labels exist is not decided here
 * but by the dimension's reference list (report-dimensions.ts): every one of them is in every
 * table.
 */

export type ClientDimension = keyof typeof CLIENT_REPORT_DIMENSIONS;

/** The stored field each dimension is grouped on, as an aggregation field path. */
export const GROUPED_FIELD: Readonly<Record<ClientDimension, string>> = {
  SERVICE: '$services',
  GENDER: '$gender',
  AGE_BAND: '$dateOfBirth',
  OUTCOME: '$closedOn',
  TEAM: '$teamId',
};

/** The dimension's full label set; teams and services cost one small read of their reference list. */
export function clientLabels(db: Db, dimension: ClientDimension): Promise<LabelSet> {
  return labelSet(CLIENT_REPORT_DIMENSIONS[dimension], db);
}

/**
 * The labels a grouped value counts under: one, or one per service (a client with no service
 * recorded counts under the missing label, so every client counts in every table). `day` is
 * the day ages and outcomes are taken on.
 */
export function labelsOf(dimension: ClientDimension, labels: LabelSet, value: unknown, day: string): string[] {
  switch (dimension) {
    case 'AGE_BAND':
      return [labels.labelOf(typeof value === 'string' ? ageBand(ageOn(value, day)) : undefined)];
    case 'OUTCOME':
      return [labels.labelOf(typeof value === 'string' && value <= day ? 'CLOSED_IN_PERIOD' : 'ONGOING')];
    case 'SERVICE': {
      const services = Array.isArray(value) ? value.filter((item) => item !== null && item !== undefined && item !== '') : [value];
      return [...new Set((services.length > 0 ? services : [undefined]).map((service: unknown) => labels.labelOf(service)))];
    }
    case 'GENDER':
    case 'TEAM':
      return [labels.labelOf(value)];
  }
}
