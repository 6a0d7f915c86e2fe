import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Db, MongoClient } from 'mongodb';
import { connectMongo } from '../platform/mongo.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import { PUBLISHED_REPORTS, publicationKey, publishedReport, type PublishedReportDoc, type ReportRequest } from '../subgraphs/shared/published-reports.js';
import { isClosed, parsePeriod, type ReportPeriod } from '../subgraphs/shared/report-period.js';
import type { ReportTableShape } from '../subgraphs/shared/report-table.js';
import { monthOf, quarterOf, REPORT_FIELDS, type ReportTable } from './support/report-tables.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { dpo, hr, keyworkerOfSam, reporting, sam, teamManagerNorth } from './support/principals.js';

/**
 * Issue 14, reports: a report of a closed period is computed once, stored, and from then on
 * answered by one read of the stored figures, the same every time (GraphQL and CSV alike); the
 * current period is computed live. Writes into a closed period after its publication (a
 * referral the legacy system records late, a consent entered with a past `signedAt`) do not
 * re-roll what was published. Against a real server: the key, the race between two first
 * pulls, and the role checks that still come first.
 */

const SETTINGS = { threshold: 5, roundingBase: 5 } as const;

describe('which periods are published, and under what key', () => {
  it('a period is closed once it ended by the start of the day (UTC, as periods are)', () => {
    const november = parsePeriod('2026-11');
    expect(isClosed(november, new Date('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(isClosed(november, new Date('2026-12-01T00:00:00.000Z'))).toBe(true);
    expect(isClosed(november, new Date('2027-03-01T12:00:00.000Z'))).toBe(true);
    expect(isClosed(parsePeriod('2026-Q4'), new Date('2026-12-02T14:00:00.000Z'))).toBe(false);
    expect(isClosed(parsePeriod('2026-Q3'), new Date('2026-12-02T14:00:00.000Z'))).toBe(true);
    expect(isClosed(parsePeriod('2027-01'), new Date('2026-12-02T14:00:00.000Z'))).toBe(false);
  });

  it('the key names every argument that changes the figures, in a canonical order, and the disclosure settings', () => {
    const request = (args: Record<string, string>, overrides: Partial<Omit<ReportRequest, 'period'>> & { period?: ReportPeriod } = {}) =>
      publicationKey({ report: 'caseload', period: parsePeriod('2026-Q3'), arguments: args, settings: SETTINGS, ...overrides });
    const base = request({ rows: 'SERVICE', columns: 'GENDER' });
    expect(request({ columns: 'GENDER', rows: 'SERVICE' })).toBe(base);
    const different = [
      request({ rows: 'GENDER', columns: 'SERVICE' }),
      request({ rows: 'SERVICE', columns: 'TEAM' }),
      request({ rows: 'SERVICE' }),
      request({ rows: 'SERVICE', columns: 'GENDER' }, { period: parsePeriod('2026-07') }),
      request({ rows: 'SERVICE', columns: 'GENDER' }, { report: 'referralsAndClosures' }),
      request({ rows: 'SERVICE', columns: 'GENDER' }, { settings: { threshold: 10, roundingBase: 5 } }),
      request({ rows: 'SERVICE', columns: 'GENDER' }, { settings: { threshold: 5, roundingBase: null } }),
      // Separators inside a value cannot make two different argument lists collide.
      request({ rows: 'SERVICE&columns=GENDER' }),
    ];
    expect(new Set([base, ...different]).size).toBe(different.length + 1);
  });
});

/** A table that says which computation made it, so a test can tell whose figures it got. */
function tableMadeBy(n: number): ReportTableShape {
  const cell = { value: n, suppressed: false };
  return {
    name: 'test',
    period: '2026-Q3',
    rowDimension: 'A',
    columnDimension: 'B',
    columns: ['b'],
    rows: [{ label: 'a', cells: [cell], total: cell }],
    columnTotals: [cell],
    grandTotal: cell,
    threshold: 5,
    roundingBase: 5,
  };
}

describe('the mechanism, over a real database', () => {
  let mongo: MongoClient;
  let name: string;
  beforeAll(async () => {
    mongo = await connectMongo(inject('mongodbUri'), 'needtoknow-test-published');
    name = `t${randomBytes(4).toString('hex')}_published`;
  });
  afterAll(async () => {
    await mongo.db(name).dropDatabase();
    await mongo.close();
  });

  const closed = { report: 'test', period: parsePeriod('2026-Q3'), arguments: { rows: 'A' }, settings: SETTINGS };
  const now = new Date('2026-12-02T10:00:00.000Z');

  it('two first pulls that race (two processes: no shared computation) return the same figures and store one document', async () => {
    // Two Db objects: what two gateway replicas' subgraphs would hold; the in-process sharing is per Db.
    const [one, two] = [mongo.db(name), mongo.db(name)] as [Db, Db];
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothMissed = new Promise<void>((resolve) => (release = resolve));
    // Each computation waits until both have looked and missed, then returns figures of its own.
    const compute = (n: number) => async () => {
      arrived += 1;
      if (arrived === 2) release();
      await bothMissed;
      return tableMadeBy(n);
    };
    const [a, b] = await Promise.all([publishedReport(one, closed, compute(1), now), publishedReport(two, closed, compute(2), now)]);
    expect(arrived).toBe(2);
    expect(a).toEqual(b);
    const stored = await one.collection<PublishedReportDoc>(PUBLISHED_REPORTS).find({}).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.table).toEqual(a);
    expect(stored[0]?._id).toBe(publicationKey(closed));
    expect(stored[0]?.publishedAt).toEqual(now);
    // And every later pull gets those figures without computing.
    const later = await publishedReport(mongo.db(name), closed, () => Promise.reject(new Error('computed again')), now);
    expect(later).toEqual(a);
  });

  it('concurrent first pulls in one process share one computation', async () => {
    const db = mongo.db(name);
    const request: ReportRequest = { ...closed, arguments: { rows: 'B' } };
    let computed = 0;
    const compute = async () => {
      computed += 1;
      return tableMadeBy(computed);
    };
    const tables = await Promise.all([1, 2, 3].map(() => publishedReport(db, request, compute, now)));
    expect(computed).toBe(1);
    for (const table of tables) expect(table).toEqual(tables[0]);
  });

  it('the current period, a future one and a report with no period are computed every time and never stored', async () => {
    const db = mongo.db(name);
    const before = await db.collection(PUBLISHED_REPORTS).countDocuments();
    let computed = 0;
    const compute = async () => tableMadeBy((computed += 1));
    for (const period of [parsePeriod('2026-12'), parsePeriod('2026-Q4'), parsePeriod('2027-01'), null]) {
      const request: ReportRequest = { ...closed, period };
      const first = await publishedReport(db, request, compute, now);
      const second = await publishedReport(db, request, compute, now);
      expect(second).not.toEqual(first);
    }
    expect(computed).toBe(8);
    expect(await db.collection(PUBLISHED_REPORTS).countDocuments()).toBe(before);
  });
});

describe('published reports through the gateway', () => {
  let t: TestStack;
  const now = new Date();
  const lastMonth = monthOf(now, -1);
  const thisMonth = monthOf(now, 0);
  const lastQuarter = quarterOf(now, -1);

  beforeAll(async () => {
    // Exact counts, so a write's effect on a count shows as that count.
    t = await startTestStack({ env: { REPORT_ROUNDING_BASE: 'none' } });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Reads of the report databases (not the audit trail) since the last reset, as `command collection`. */
  function reportReads(): string[] {
    return t.commands
      .filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && !c.databaseName.endsWith('audit'))
      .map((c) => `${c.commandName} ${String((c.command as Record<string, unknown>)[c.commandName])}`)
      .sort();
  }
  const published = () => t.db('clients').collection<PublishedReportDoc>(PUBLISHED_REPORTS);

  async function pull(query: string, principal: Principal = reporting): Promise<ReportTable> {
    const { body } = await t.query(await t.token(principal), query);
    expect(body.errors, query).toBeUndefined();
    return Object.values(body.data as Record<string, ReportTable>)[0] as ReportTable;
  }
  async function csv(path: string, principal: Principal = reporting): Promise<{ status: number; text: string }> {
    const response = await fetch(new URL(path, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(principal)}` } });
    return { status: response.status, text: await response.text() };
  }
  const caseload = (period: string, rows: string, columns: string) =>
    `{ caseloadReport(period: "${period}", rows: ${rows}, columns: ${columns}) { ${REPORT_FIELDS} } }`;

  const referred = (id: string, day: string): ClientDoc => ({
    _id: id,
    name: `Late ${id}`,
    services: [],
    status: 'OPEN',
    referredOn: day,
    keyworkerStaffIds: [],
  });

  it('a closed period: the first pull computes and stores, every later pull is one read of the same figures', async () => {
    t.resetCounters();
    const first = await pull(caseload(lastQuarter.label, 'SERVICE', 'GENDER'));
    expect(reportReads()).toEqual(['aggregate clients', 'find publishedReports', 'find services']);
    expect(t.commands.filter((c) => c.commandName === 'insert' && c.command.insert === PUBLISHED_REPORTS)).toHaveLength(1);
    for (let i = 0; i < 3; i += 1) {
      t.resetCounters();
      expect(await pull(caseload(lastQuarter.label, 'SERVICE', 'GENDER'))).toEqual(first);
      expect(reportReads()).toEqual(['find publishedReports']);
      expect(t.commands.filter((c) => c.commandName === 'insert' && !c.databaseName.endsWith('audit'))).toEqual([]);
    }
    const stored = await published().find({ report: 'caseload', period: lastQuarter.label }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.publishedAt).toBeInstanceOf(Date);
  });

  it('every report of a closed period is published so, the CSV the same figures; the headcount and the current period never are', async () => {
    const closedReports = [
      {
        query: `{ referralsAndClosuresReport(period: "${lastMonth.label}", rows: TEAM) { ${REPORT_FIELDS} } }`,
        csv: `/reports/referrals-and-closures.csv?period=${lastMonth.label}&rows=TEAM`,
        read: 'find publishedReports',
      },
      {
        query: `{ consentActivityReport(period: "${lastMonth.label}") { ${REPORT_FIELDS} } }`,
        csv: `/reports/consent-activity.csv?period=${lastMonth.label}`,
        read: 'find publishedReports',
      },
      {
        query: `{ exceptionalDisclosureReport(period: "${lastMonth.label}") { ${REPORT_FIELDS} } }`,
        csv: `/reports/exceptional-disclosures.csv?period=${lastMonth.label}`,
        read: 'find publishedReports',
      },
      {
        query: caseload(lastMonth.label, 'TEAM', 'OUTCOME'),
        csv: `/reports/caseload.csv?period=${lastMonth.label}&rows=TEAM&columns=OUTCOME`,
        read: 'find publishedReports',
      },
    ];
    for (const report of closedReports) {
      const first = await pull(report.query);
      const firstCsv = await csv(report.csv);
      t.resetCounters();
      expect(await pull(report.query)).toEqual(first);
      const again = await csv(report.csv);
      expect(again).toEqual(firstCsv);
      expect(again.status).toBe(200);
      // One read per pull, the GraphQL one and the CSV one.
      expect(reportReads(), report.query).toEqual([report.read, report.read]);
    }
    for (const query of [
      `{ headcountReport { ${REPORT_FIELDS} } }`,
      caseload(thisMonth.label, 'SERVICE', 'GENDER'),
      `{ consentActivityReport(period: "${quarterOf(now).label}") { ${REPORT_FIELDS} } }`,
    ]) {
      t.resetCounters();
      await pull(query);
      await pull(query);
      expect(
        reportReads().filter((read) => read.endsWith(PUBLISHED_REPORTS)),
        query,
      ).toEqual([]);
      expect(
        reportReads().filter((read) => read.startsWith('aggregate')),
        query,
      ).toHaveLength(2);
    }
    for (const subgraph of ['clients', 'consent', 'hr'] as const) {
      const periods = await t.db(subgraph).collection<PublishedReportDoc>(PUBLISHED_REPORTS).distinct('period');
      expect(
        periods.filter((period) => period === thisMonth.label || period === quarterOf(now).label),
        subgraph,
      ).toEqual([]);
    }
    expect(await t.db('hr').collection(PUBLISHED_REPORTS).countDocuments()).toBe(0);
  });

  it('the current period is computed again after a write changes it', async () => {
    const query = caseload(thisMonth.label, 'GENDER', 'OUTCOME');
    const before = await pull(query);
    const late = Array.from({ length: 6 }, (_, i) => referred(`cli_today${i}`, now.toISOString().slice(0, 10)));
    await t.db('clients').collection<ClientDoc>('clients').insertMany(late);
    try {
      const after = await pull(query);
      expect(before.grandTotal.suppressed).toBe(false);
      expect(after.grandTotal.value).toBe((before.grandTotal.value as number) + 6);
    } finally {
      await t
        .db('clients')
        .collection<ClientDoc>('clients')
        .deleteMany({ _id: { $in: late.map((c) => c._id) } });
    }
  });

  it('writes into a closed period after its publication leave the published figures as they were: a late referral, a consent entered with a past signedAt', async () => {
    const caseloadQuery = caseload(lastMonth.label, 'GENDER', 'AGE_BAND');
    const consentQuery = `{ consentActivityReport(period: "${lastMonth.label}") { ${REPORT_FIELDS} } }`;
    const caseloadCsv = `/reports/caseload.csv?period=${lastMonth.label}&rows=GENDER&columns=AGE_BAND`;
    const publishedCaseload = await pull(caseloadQuery);
    const publishedConsents = await pull(consentQuery);
    const publishedCsv = await csv(caseloadCsv);

    // The legacy system records six referrals of last month late; Sam enters six paper consents signed then.
    const late = Array.from({ length: 6 }, (_, i) => referred(`cli_late${i}`, lastMonth.firstDay));
    await t.db('clients').collection<ClientDoc>('clients').insertMany(late);
    const signedAt = new Date(`${lastMonth.firstDay}T12:00:00.000Z`).toISOString();
    for (let i = 0; i < 6; i += 1) {
      const { body } = await t.query(
        await t.token(sam),
        `mutation G($subject: ID!, $signed: String!, $until: String!) {
          recordConsent(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.nhsTrust}", recipientType: NHS, purpose: "care coordination",
            dataCategories: [IDENTITY], signedBy: SUBJECT, signedHow: PAPER, signedAt: $signed, validFrom: $signed, validUntil: $until) { id }
        }`,
        { subject: t.idFor(sam, 'Client', PERSONAS.sam.clientId), signed: signedAt, until: new Date(now.getTime() + 86_400_000).toISOString() },
      );
      expect(body.errors).toBeUndefined();
    }
    try {
      expect(await pull(caseloadQuery)).toEqual(publishedCaseload);
      expect(await pull(consentQuery)).toEqual(publishedConsents);
      expect(await csv(caseloadCsv)).toEqual(publishedCsv);

      // Control: the writes did change last month's facts; only publication keeps its figures.
      await t.db('clients').collection(PUBLISHED_REPORTS).deleteMany({ period: lastMonth.label, report: 'caseload' });
      await t.db('consent').collection(PUBLISHED_REPORTS).deleteMany({ period: lastMonth.label, report: 'consentActivity' });
      const recomputed = await pull(caseloadQuery);
      expect(recomputed.grandTotal.value).toBe((publishedCaseload.grandTotal.value as number) + 6);
      expect(await pull(consentQuery)).not.toEqual(publishedConsents);
    } finally {
      await t
        .db('clients')
        .collection<ClientDoc>('clients')
        .deleteMany({ _id: { $in: late.map((c) => c._id) } });
    }
  });

  it('two concurrent first pulls get the same figures, computed once, stored once', async () => {
    const query = caseload(lastQuarter.label, 'AGE_BAND', 'OUTCOME');
    t.resetCounters();
    const [a, b] = await Promise.all([pull(query), pull(query)]);
    expect(a).toEqual(b);
    expect(reportReads().filter((read) => read === 'aggregate clients')).toHaveLength(1);
    expect(await published().countDocuments({ report: 'caseload', period: lastQuarter.label, _id: { $regex: 'rows=AGE_BAND' } })).toBe(1);
  });

  it('different arguments never share a stored table: each dimension pair, either way round, is its own', async () => {
    const byServiceGender = await pull(caseload(lastQuarter.label, 'SERVICE', 'GENDER'));
    const byGenderService = await pull(caseload(lastQuarter.label, 'GENDER', 'SERVICE'));
    const byServiceTeam = await pull(caseload(lastQuarter.label, 'SERVICE', 'TEAM'));
    expect([byServiceGender.rowDimension, byServiceGender.columnDimension]).toEqual(['SERVICE', 'GENDER']);
    expect([byGenderService.rowDimension, byGenderService.columnDimension]).toEqual(['GENDER', 'SERVICE']);
    expect([byServiceTeam.rowDimension, byServiceTeam.columnDimension]).toEqual(['SERVICE', 'TEAM']);
    // The same counts, transposed: the two orders agree on every cell.
    byServiceGender.rows.forEach((row, i) => row.cells.forEach((cell, j) => expect(byGenderService.rows[j]?.cells[i]).toEqual(cell)));
    const referrals = await pull(`{ referralsAndClosuresReport(period: "${lastQuarter.label}", rows: SERVICE) { ${REPORT_FIELDS} } }`);
    expect(referrals.name).toBe('referralsAndClosures');
    const keys = (await published().find({ period: lastQuarter.label }).toArray()).map((doc) => doc._id);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(5);
  });

  it('a role that may not pull a report still cannot once it is published, and nothing stored is read for it', async () => {
    const query = caseload(lastQuarter.label, 'SERVICE', 'GENDER');
    expect(await published().countDocuments({ report: 'caseload', period: lastQuarter.label, _id: { $regex: 'rows=SERVICE' } })).toBeGreaterThan(0);
    for (const principal of [keyworkerOfSam, teamManagerNorth, hr, dpo, sam] satisfies Principal[]) {
      t.resetCounters();
      const { body } = await t.query(await t.token(principal), query);
      expect(body.data, principal.role).toEqual({ caseloadReport: null });
      expect(body.errors?.[0]?.extensions?.code, principal.role).toBe('FORBIDDEN');
      expect((await csv(`/reports/caseload.csv?period=${lastQuarter.label}&rows=SERVICE&columns=GENDER`, principal)).status, principal.role).toBe(403);
      expect(
        reportReads().filter((read) => read.endsWith(PUBLISHED_REPORTS)),
        principal.role,
      ).toEqual([]);
    }
  });
});
