/**
 * When a subject access request must be answered: one calendar month after the day it was
 * received, on the same day of the month; when the next month is too short for that day, on
 * its last day (31 January → 28 or 29 February). The ICO's reading of UK GDPR Article 12(3).
 * Weekends and bank holidays do not move the date here: answering earlier is always allowed.
 * An extension (Article 12(3)) counts its further months from the day received the same way.
 */
export function subjectAccessDueOn(receivedOn: string, months = 1): string {
  const [year, month, day] = receivedOn.split('-').map(Number) as [number, number, number];
  const dueMonthIndex = month - 1 + months; // 0-based index of the month `months` after `month`
  const lastDayOfDueMonth = new Date(Date.UTC(year, dueMonthIndex + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, dueMonthIndex, Math.min(day, lastDayOfDueMonth))).toISOString().slice(0, 10);
}

/** A calendar date written YYYY-MM-DD that exists (no 30 February). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The UTC calendar date of an instant. */
export function calendarDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
