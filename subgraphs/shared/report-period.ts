import { badInput } from './write-input.js';

/**
 * Reporting periods are whole months (`2026-09`) or whole quarters (`2026-Q3`), never free
 * date ranges: two overlapping ranges could be differenced to isolate a few people.
 */

export interface ReportPeriod {
  readonly label: string;
  /** First day, ISO date. */
  readonly firstDay: string;
  /** Last day, ISO date (inclusive). */
  readonly lastDay: string;
  /** The instant the period starts and the instant after it ends. */
  readonly start: Date;
  readonly end: Date;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

export function parsePeriod(label: string): ReportPeriod {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  let year: number;
  let firstMonth: number;
  let months: number;
  if (month) {
    year = Number(month[1]);
    firstMonth = Number(month[2]) - 1;
    months = 1;
  } else if (quarter) {
    year = Number(quarter[1]);
    firstMonth = (Number(quarter[2]) - 1) * 3;
    months = 3;
  } else {
    throw badInput('period must be a whole month (2026-09) or a whole quarter (2026-Q3)');
  }
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + months, 1));
  return { label, firstDay: iso(start), lastDay: iso(new Date(end.getTime() - 86_400_000)), start, end };
}

/**
 * Whether a period is over: it ended by the start of `now`'s day. Periods are whole UTC days
 * (parsePeriod), so that is the day they are closed in. A closed period's report is published
 * once and kept (published-reports.ts); the current one is computed live.
 */
export function isClosed(period: ReportPeriod, now: Date): boolean {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return period.end.getTime() <= startOfToday;
}

/** Age in whole years on a day (ISO dates). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const AGE_BANDS = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

export function ageBand(age: number): (typeof AGE_BANDS)[number] {
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  return '65+';
}
