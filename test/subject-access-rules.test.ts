import { describe, expect, it } from 'vitest';
import { calendarDateOf, isCalendarDate, subjectAccessDueOn } from '../subgraphs/consent/subject-access-due-date.js';
import { candidateNames } from '../subgraphs/clients/third-party-names.js';

/** The pure rules behind subject access: when a request is due, and which names in a note are someone else's. */

describe('a subject access request is due one calendar month after receipt', () => {
  it.each([
    ['2026-03-15', '2026-04-15'],
    ['2026-01-31', '2026-02-28'],
    ['2028-01-31', '2028-02-29'],
    ['2026-08-31', '2026-09-30'],
    ['2026-12-10', '2027-01-10'],
    ['2026-12-31', '2027-01-31'],
    ['2026-02-28', '2026-03-28'],
  ])('received %s, due %s', (received, due) => {
    expect(subjectAccessDueOn(received)).toBe(due);
  });

  it('takes real calendar days only', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-05', '05/01/2026', '2026-01-05T00:00:00Z', '']) expect(isCalendarDate(bad), bad).toBe(false);
    expect(calendarDateOf(new Date('2026-12-02T23:59:59.999Z'))).toBe('2026-12-02');
  });
});

describe('other people named in a note', () => {
  it('finds every run of two to four capitalised words as a candidate name', () => {
    expect(candidateNames('Met Alex Marsh at Riverside Community Centre today.').sort()).toEqual(
      ['Met Alex', 'Met Alex Marsh', 'Alex Marsh', 'Riverside Community', 'Riverside Community Centre', 'Community Centre'].sort(),
    );
    expect(candidateNames('no names here, only words.')).toEqual([]);
    expect(candidateNames("Siobhan O'Neill-Brown called.")).toContain("Siobhan O'Neill-Brown");
  });
  // Which of them are replaced, for every kind of person alike: test/third-party-name-matcher.test.ts.
});
