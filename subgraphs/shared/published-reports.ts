import { MongoServerError, type Db } from 'mongodb';
import { isClosed, type ReportPeriod } from './report-period.js';
import type { ReportSettings, ReportTableShape } from './report-table.js';
import { DURABLE_WRITE } from './write-input.js';

/**
 * Published reports: a report of a closed period (a month or quarter that ended before today
 * began, report-period.ts) is computed once, stored, and from then on answered by one read of
 * its stored figures; a report of the current or a future period, or of the present state
 * (the headcount), is computed live every time and never stored. Every report goes through
 * `publishedReport`, so the GraphQL fields and the CSV routes (which run the same fields
 * through the gateway) get the same stored figures.
 *
 * Why store them. A closed period's facts should not move, and its figures then cost an
 * aggregation over every client (tens of seconds on FerretDB at 100,000 clients) for a table
 * that was already published. Stable figures also help disclosure control: a report served
 * twice is the same report, so there is nothing to difference between two pulls.
 *
 * What is stored is what was published: the table after disclosure control, which the
 * subgraph applies before anything leaves it (report-table.ts → reporting/disclosure-control.ts),
 * and nothing after it changes a figure. Control is deterministic anyway (suppression by a
 * fixed rule, rounding half up, no random perturbation), but storing its output means no exact
 * count is ever written anywhere, and a later change to the control code or the settings
 * cannot re-roll a published cell: the threshold and rounding base are part of the key (a new
 * setting is a new publication, never a rewrite of an old one), and so is FORMAT, for a change
 * to what a stored table holds.
 *
 * The key (`_id`, a string, which FerretDB answers from its primary key) is the report's name,
 * its period, every argument that changes the figures (dimensions), and the disclosure settings,
 * canonicalised: argument names sorted, every part encoded. The figures do not depend on who
 * asks (only the reporting role may ask, and every caller of it gets the same table), so the
 * caller is not part of the key; the gateway's role checks and the subgraph's policy guard run
 * before a resolver, and so before any stored report is read.
 *
 * History that changes after publication. `recordConsent` takes a `signedAt` in the past (a
 * paper consent entered late), and the legacy client database is written by its own system,
 * which may record a referral or a closure after the day it happened; a team or service may be
 * renamed on a reference list. None of that re-rolls a published report: the stored figures
 * stay what was published on `publishedAt` (kept in the stored document; the API's report
 * type has no field for it). The current period, computed live, shows such writes at once.
 * A closed period first pulled on the morning after it ended is fixed with whatever had been
 * recorded by then.
 *
 * A first pull that races another (two tools, or two gateway replicas): both miss, both
 * compute, one insert wins and the other gets a duplicate-key error and returns the winner's
 * stored figures, so both callers see the same table and one document is stored. Within one
 * process, concurrent first pulls of the same report share one computation.
 */

export const PUBLISHED_REPORTS = 'publishedReports';

/** What a stored table holds; raised when that changes, so an old document is never read as a new one. */
const FORMAT = 1;

export interface ReportRequest {
  /** The report's name, as in its table (`caseload`, `referralsAndClosures`, …). */
  readonly report: string;
  /** The whole month or quarter; null for a report of the present state, which is always live. */
  readonly period: ReportPeriod | null;
  /** Every argument besides the period that changes the figures (dimensions, filters). */
  readonly arguments: Readonly<Record<string, string>>;
  readonly settings: ReportSettings;
}

export interface PublishedReportDoc {
  _id: string;
  report: string;
  period: string;
  publishedAt: Date;
  table: ReportTableShape;
}

/** The stored document's `_id`: the same for every request of the same figures, different otherwise. */
export function publicationKey(request: ReportRequest & { readonly period: ReportPeriod }): string {
  const part = (value: string) => encodeURIComponent(value);
  const args = Object.entries(request.arguments)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${part(name)}=${part(value)}`)
    .join('&');
  const { threshold, roundingBase } = request.settings;
  return [`v${FORMAT}`, part(request.report), part(request.period.label), args, `threshold=${threshold}`, `rounding=${roundingBase ?? 'none'}`].join('|');
}

/** Computations in flight, per database, so concurrent first pulls in one process compute once. */
const inFlight = new WeakMap<Db, Map<string, Promise<ReportTableShape>>>();

/**
 * The report's figures: the stored ones for a closed period (computing and storing them on the
 * first pull), or `compute()` live for any other. `now` is the clock reading that decides
 * whether the period is closed.
 */
export function publishedReport(db: Db, request: ReportRequest, compute: () => Promise<ReportTableShape>, now: Date = new Date()): Promise<ReportTableShape> {
  const { period } = request;
  if (period === null || !isClosed(period, now)) return compute();
  const key = publicationKey({ ...request, period });
  let pending = inFlight.get(db);
  if (!pending) {
    pending = new Map();
    inFlight.set(db, pending);
  }
  const running = pending.get(key);
  if (running) return running;
  const started = lookUpOrPublish(db, key, request.report, period.label, compute, now);
  const map = pending;
  map.set(key, started);
  // Forgotten once settled: later pulls read the stored document (or, after a failure, try again).
  const forget = () => {
    if (map.get(key) === started) map.delete(key);
  };
  started.then(forget, forget);
  return started;
}

async function lookUpOrPublish(
  db: Db,
  key: string,
  report: string,
  period: string,
  compute: () => Promise<ReportTableShape>,
  now: Date,
): Promise<ReportTableShape> {
  const collection = db.collection<PublishedReportDoc>(PUBLISHED_REPORTS);
  const stored = await collection.findOne({ _id: key });
  if (stored) return stored.table;
  const table = await compute();
  try {
    // Acknowledged durably before the figures leave: published figures that were lost would be
    // computed again, and could differ.
    await collection.insertOne({ _id: key, report, period, publishedAt: now, table }, DURABLE_WRITE);
    return table;
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
  }
  // Another pull published first: its figures are the published ones.
  const theirs = await collection.findOne({ _id: key });
  if (!theirs) throw new Error('a published report was reported stored but could not be read');
  return theirs.table;
}
