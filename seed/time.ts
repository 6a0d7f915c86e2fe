/**
 * Instants and dates for generated records. Everything is whole milliseconds in UTC, relative
 * to the dataset's `now`, so the same seed gives the same dates on every machine.
 */
import type { Rng } from './random.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.2425 * DAY;

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const isoDateMs = (iso: string): number => Date.parse(`${iso}T00:00:00.000Z`);
export const startOfDay = (ms: number): number => ms - (((ms % DAY) + DAY) % DAY);

/** A whole-millisecond instant in [lo, hi). */
export function instantBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
}

/** A birth date for someone whose age today is in [minAge, maxAge]; two days' margin for leap years. */
export function birthDate(rng: Rng, nowMs: number, minAge: number, maxAge: number): string {
  const earliest = nowMs - (maxAge + 1) * YEAR + 2 * DAY;
  const latest = nowMs - minAge * YEAR - 2 * DAY;
  return isoDate(instantBetween(rng, earliest, latest));
}
