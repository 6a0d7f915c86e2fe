import { AGE_BANDS, ageBand, ageOn } from '../shared/report-period.js';
import { NO_TEAM_LABEL } from './team-labels.js';

/**
 * How a client report breaks clients down. FerretDB 1.x has no date or conditional operators
 * (and its $unwind drops the other fields), so the database groups by a stored value per
 * dimension and the label is drawn from that value here: a band from a date of birth, an
 * outcome from a closing date, one label per service from the list of services.
 */

export type ClientDimension = 'SERVICE' | 'GENDER' | 'AGE_BAND' | 'OUTCOME' | 'TEAM';

/** The stored field each dimension is grouped on, as an aggregation field path. */
export const GROUPED_FIELD: Readonly<Record<ClientDimension, string>> = {
  SERVICE: '$services',
  GENDER: '$gender',
  AGE_BAND: '$dateOfBirth',
  OUTCOME: '$closedOn',
  TEAM: '$teamId',
};

/** Labels shown even when nobody has them, in this order. */
export const FIXED_LABELS: Partial<Record<ClientDimension, readonly string[]>> = {
  GENDER: ['FEMALE', 'MALE', 'NON_BINARY', 'NOT_STATED'],
  AGE_BAND: [...AGE_BANDS, 'UNKNOWN'],
  OUTCOME: ['CLOSED_IN_PERIOD', 'ONGOING'],
};

/**
 * The labels a grouped value counts under: one, or one per service. `day` is the day ages and
 * outcomes are taken on; `teamLabel` names team ids (team-labels.ts), read only for TEAM.
 */
export function labelsOf(dimension: ClientDimension, value: unknown, day: string, teamLabel?: (teamId: unknown) => string): string[] {
  switch (dimension) {
    case 'TEAM':
      return [teamLabel ? teamLabel(value) : NO_TEAM_LABEL];
    case 'AGE_BAND':
      return [typeof value === 'string' ? ageBand(ageOn(value, day)) : 'UNKNOWN'];
    case 'OUTCOME':
      return [typeof value === 'string' && value <= day ? 'CLOSED_IN_PERIOD' : 'ONGOING'];
    case 'SERVICE':
    case 'GENDER':
      if (Array.isArray(value)) return [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))];
      return [typeof value === 'string' && value !== '' ? value : 'NOT_RECORDED'];
  }
}
