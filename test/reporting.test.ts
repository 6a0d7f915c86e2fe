import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtectedCell } from '../reporting/disclosure-control.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import type { ConsentDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import {
  checkAgainst,
  clientLabelsOn,
  expectFullLabels,
  quarterOf,
  readReferenceLists,
  REPORT_FIELDS,
  schemaEnum,
  tally,
  type ReferenceLists,
  type ReportTable as Table,
  type WholePeriod,
} from './support/report-tables.js';
import { dpo, hr, keyworkerOfSam, reporting, teamManagerNorth } from './support/principals.js';

/**
 * DESIGN.md scenario "Reporting" and invariant 8: predefined aggregates only, computed in the
 * database, small cells suppressed with secondary suppression, checked cell by cell against
 * counts computed here from the seeded data.
 */

let t: TestStack;
let clients: ClientDoc[];
let refs: ReferenceLists;
beforeAll(async () => {
  // Exact counts, so every shown count can be compared with the seeded data and every table
  // checked for recoverable cells exactly; the default rounding is covered by report-differencing.
  t = await startTestStack({ env: { REPORT_ROUNDING_BASE: 'none' } });
  clients = await t.db('clients').collection<ClientDoc>('clients').find({}).toArray();
  refs = await readReferenceLists(t.db('clients'), t.db('hr'));
});
afterAll(async () => {
  await t.close();
});

function currentQuarter() {
  return quarterOf(new Date());
}

/** Reads of the report databases (not the audit trail) since the last reset, as `command collection`. */
function reportReads(): string[] {
  return t.commands
    .filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && !c.databaseName.endsWith('audit'))
    .map((c) => `${c.commandName} ${String((c.command as Record<string, unknown>)[c.commandName])}`)
    .sort();
}

/**
 * Every report the reporting role can ask for, by every dimension its schema enum offers: the
 * GraphQL query and the CSV path of the same table. The caseload's pairs come in both orders
 * (every dimension as rows and as columns), or in one where that is enough.
 */
function everyReport(period: WholePeriod, orders: 'both' | 'one' = 'both'): { query: string; csv: string }[] {
  const caseload = schemaEnum('clients', 'CaseloadDimension');
  const reports: { query: string; csv: string }[] = [];
  for (const [i, rows] of caseload.entries()) {
    for (const columns of caseload.filter((c, j) => c !== rows && (orders === 'both' || j > i))) {
      reports.push({
        query: `{ caseloadReport(period: "${period.label}", rows: ${rows}, columns: ${columns}) { ${REPORT_FIELDS} } }`,
        csv: `/reports/caseload.csv?period=${period.label}&rows=${rows}&columns=${columns}`,
      });
    }
  }
  for (const rows of schemaEnum('clients', 'ReferralDimension')) {
    reports.push({
      query: `{ referralsAndClosuresReport(period: "${period.label}", rows: ${rows}) { ${REPORT_FIELDS} } }`,
      csv: `/reports/referrals-and-closures.csv?period=${period.label}&rows=${rows}`,
    });
  }
  reports.push({
    query: `{ consentActivityReport(period: "${period.label}") { ${REPORT_FIELDS} } }`,
    csv: `/reports/consent-activity.csv?period=${period.label}`,
  });
  reports.push({
    query: `{ exceptionalDisclosureReport(period: "${period.label}") { ${REPORT_FIELDS} } }`,
    csv: `/reports/exceptional-disclosures.csv?period=${period.label}`,
  });
  reports.push({ query: `{ headcountReport { ${REPORT_FIELDS} } }`, csv: '/reports/headcount.csv' });
  return reports;
}

async function fetchTable(query: string): Promise<Table> {
  const { body } = await t.query(await t.token(reporting), query);
  expect(body.errors, query).toBeUndefined();
  return Object.values(body.data as Record<string, Table>)[0] as Table;
}

/** Everything the reports count, read now from the databases. */
interface Records {
  clients: ClientDoc[];
  consents: ConsentDoc[];
  breakGlass: ExceptionalDisclosureDoc[];
  employees: EmployeeDoc[];
  refs: ReferenceLists;
}

async function readRecords(): Promise<Records> {
  return {
    clients: await t.db('clients').collection<ClientDoc>('clients').find({}).toArray(),
    consents: await t.db('consent').collection<ConsentDoc>('consents').find({}).toArray(),
    breakGlass: await t.db('consent').collection<ExceptionalDisclosureDoc>('exceptionalDisclosures').find({}).toArray(),
    employees: await t.db('hr').collection<EmployeeDoc>('employees').find({}).toArray(),
    refs: await readReferenceLists(t.db('clients'), t.db('hr')),
  };
}

/** The true count behind every cell of any report, worked out here from the records. */
function truthOf(table: Table, period: WholePeriod, records: Records): (row: string, column: string) => number {
  const { refs } = records;
  const start = new Date(`${period.firstDay}T00:00:00.000Z`);
  const end = new Date(new Date(`${period.lastDay}T00:00:00.000Z`).getTime() + 86_400_000);
  const within = (date: Date | null | undefined) => date != null && date >= start && date < end;
  const withinDays = (day: string | null | undefined): day is string => day != null && day >= period.firstDay && day <= period.lastDay;
  const onEnum = (value: unknown, values: readonly string[]) => [typeof value === 'string' && values.includes(value) ? value : 'NOT_RECORDED'];
  switch (table.name) {
    case 'caseload': {
      const onCaseload = records.clients.filter((c) => c.referredOn <= period.lastDay && (c.closedOn == null || c.closedOn >= period.firstDay));
      return tally(
        onCaseload,
        (c) => clientLabelsOn(refs, table.rowDimension, c, period.lastDay),
        (c) => clientLabelsOn(refs, table.columnDimension, c, period.lastDay),
      );
    }
    case 'referralsAndClosures': {
      const events = records.clients.flatMap((c) => [
        ...(withinDays(c.referredOn) ? [{ c, day: c.referredOn, kind: 'REFERRED' }] : []),
        ...(withinDays(c.closedOn) ? [{ c, day: c.closedOn, kind: 'CLOSED' }] : []),
      ]);
      return tally(
        events,
        (e) => clientLabelsOn(refs, table.rowDimension, e.c, e.day),
        (e) => [e.kind],
      );
    }
    case 'consentActivity': {
      const events = records.consents.flatMap((c) => [
        ...(within(c.signedAt) ? [{ c, kind: 'GIVEN' }] : []),
        ...(within(c.withdrawnAt) ? [{ c, kind: 'WITHDRAWN' }] : []),
      ]);
      return tally(
        events,
        (e) => onEnum(e.c.recipientType, schemaEnum('consent', 'RecipientType')),
        (e) => [e.kind],
      );
    }
    case 'exceptionalDisclosures':
      return tally(
        records.breakGlass.filter((r) => within(r.openedAt)),
        (r) => onEnum(r.legalBasis, schemaEnum('consent', 'LegalBasis')),
        () => ['OPENED'],
      );
    case 'headcount':
      return tally(
        records.employees,
        (e) => [refs.hrTeams.get(e.teamId) ?? 'NOT_RECORDED'],
        (e) => [refs.posts.get(e.postId) ?? 'NOT_RECORDED'],
      );
    default:
      throw new Error(`no truth for report ${table.name}`);
  }
}

/** Labels no record has, on either axis: a row or column whose true counts are all zero. */
function emptyLabels(table: Table, truth: (row: string, column: string) => number): { rows: string[]; columns: string[] } {
  return {
    rows: table.rows.filter((row) => table.columns.every((column) => truth(row.label, column) === 0)).map((row) => row.label),
    columns: table.columns.filter((column) => table.rows.every((row) => truth(row.label, column) === 0)),
  };
}

/** Every entry of an empty label's row or column, its total included, is hidden. */
function expectEmptyLabelsSuppressed(table: Table, empty: { rows: string[]; columns: string[] }): void {
  const hidden: ProtectedCell = { value: null, suppressed: true };
  for (const row of table.rows.filter((r) => empty.rows.includes(r.label))) {
    expect([...row.cells, row.total], `${table.name} ${row.label}`).toEqual(row.cells.map(() => hidden).concat(hidden));
  }
  for (const column of empty.columns) {
    const j = table.columns.indexOf(column);
    expect([...table.rows.map((row) => row.cells[j]), table.columnTotals[j]], `${table.name} ${column}`).toEqual([...table.rows.map(() => hidden), hidden]);
  }
}

/** A CSV line as report-csv.ts writes it: fields with a comma, quote or line break quoted. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}

async function csvOf(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(reporting)}` } });
  return { status: response.status, text: await response.text() };
}

function expectCsvMatches(text: string, table: Table): void {
  const show = (cell: ProtectedCell) => (cell.suppressed ? '[c]' : String(cell.value));
  const lines = text.trimEnd().split('\r\n');
  expect(lines).toHaveLength(table.rows.length + 2);
  expect(lines[0]).toBe(csvLine([table.rowDimension, ...table.columns, 'Total']));
  table.rows.forEach((row, i) => expect(lines[i + 1]).toBe(csvLine([row.label, ...row.cells.map(show), show(row.total)])));
  expect(lines.at(-1)).toBe(csvLine(['Total', ...table.columnTotals.map(show), show(table.grandTotal)]));
}

describe('the caseload report', () => {
  it('counts the caseload by service and gender in the database, suppressing small cells so none can be worked back', async () => {
    const period = currentQuarter();
    const { body } = await t.query(
      await t.token(reporting),
      `{ caseloadReport(period: "${period.label}", rows: SERVICE, columns: GENDER) { ${REPORT_FIELDS} } }`,
    );
    expect(body.errors).toBeUndefined();
    const table = (body.data as { caseloadReport: Table }).caseloadReport;
    const onCaseload = clients.filter((c) => c.referredOn <= period.lastDay && (c.closedOn == null || c.closedOn >= period.firstDay));
    checkAgainst(
      table,
      tally(
        onCaseload,
        (c) => clientLabelsOn(refs, 'SERVICE', c, period.lastDay),
        (c) => clientLabelsOn(refs, 'GENDER', c, period.lastDay),
      ),
    );
    expect(table.rows.some((row) => row.cells.some((cell) => cell.suppressed))).toBe(true);
  });

  it('answers in one aggregation, plus one small read of the reference list of each dimension that has one', async () => {
    const token = await t.token(reporting);
    for (const [rows, columns, reads] of [
      ['GENDER', 'AGE_BAND', ['aggregate clients']],
      ['OUTCOME', 'GENDER', ['aggregate clients']],
      ['SERVICE', 'AGE_BAND', ['aggregate clients', 'find services']],
      ['TEAM', 'SERVICE', ['aggregate clients', 'find services', 'find teams']],
    ] as const) {
      t.resetCounters();
      await t.query(token, `{ caseloadReport(period: "${currentQuarter().label}", rows: ${rows}, columns: ${columns}) { grandTotal { value } } }`);
      expect(reportReads(), `${rows}×${columns}`).toEqual(reads);
    }
  });

  it('takes whole months and quarters only, and two different dimensions', async () => {
    const token = await t.token(reporting);
    for (const query of [
      '{ caseloadReport(period: "2026-01-05", rows: SERVICE, columns: GENDER) { name } }',
      '{ caseloadReport(period: "2026-Q5", rows: SERVICE, columns: GENDER) { name } }',
      '{ caseloadReport(period: "2026-Q1", rows: GENDER, columns: GENDER) { name } }',
    ]) {
      const { body } = await t.query(token, query);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('the headcount report', () => {
  it('counts employees by team and post with the same protection, and has no service-user dimension', async () => {
    const { body } = await t.query(await t.token(reporting), `{ headcountReport { ${REPORT_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const table = (body.data as { headcountReport: Table }).headcountReport;
    checkAgainst(table, truthOf(table, currentQuarter(), await readRecords()));
    expectFullLabels(table, refs);
    // Labels are names and titles, never internal ids.
    expect(JSON.stringify(table)).not.toMatch(/team_|post_/);
    expect(JSON.stringify(table)).not.toMatch(/SERVICE_USER|client/i);
  });
});

describe('reports are for the reporting role, and the reporting role gets nothing else', () => {
  it('refuses reports to other roles', async () => {
    const worker: Principal = keyworkerOfSam;
    const { body } = await t.query(await t.token(worker), '{ headcountReport { name } }');
    expect(body.data).toEqual({ headcountReport: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives the reporting role no row-level data and no ids', async () => {
    const token = await t.token(reporting);
    const { body } = await t.query(token, '{ myCaseload { name } teams { id name } employees { name } homeVisitsInProgress { address { postcode } } }');
    expect(body.data).toEqual({ myCaseload: null, teams: null, employees: null, homeVisitsInProgress: null });
  });
});

describe('CSV for reporting tools', () => {
  async function csv(principal: Principal | undefined, path: string): Promise<{ status: number; type: string | null; text: string }> {
    const response = await fetch(new URL(path, t.gatewayUrl), { headers: principal ? { authorization: `Bearer ${await t.token(principal)}` } : {} });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }

  it('gives the same table as the GraphQL report, suppressed counts written [c]', async () => {
    const period = currentQuarter().label;
    const { status, type, text } = await csv(reporting, `/reports/caseload.csv?period=${period}&rows=SERVICE&columns=GENDER`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/csv/);
    const { body } = await t.query(await t.token(reporting), `{ caseloadReport(period: "${period}", rows: SERVICE, columns: GENDER) { ${REPORT_FIELDS} } }`);
    const table = (body.data as { caseloadReport: Table }).caseloadReport;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(['SERVICE', ...table.columns, 'Total'].join(','));
    expect(lines).toHaveLength(table.rows.length + 2);
    const show = (cell: ProtectedCell) => (cell.suppressed ? '[c]' : String(cell.value));
    table.rows.forEach((row, i) => expect(lines[i + 1]).toBe([row.label, ...row.cells.map(show), show(row.total)].join(',')));
    expect(lines.at(-1)).toBe(['Total', ...table.columnTotals.map(show), show(table.grandTotal)].join(','));
    expect(text).toContain('[c]');
  });

  it('applies the same token and rules: other roles are refused, bad periods too', async () => {
    expect((await csv(undefined, '/reports/headcount.csv')).status).toBe(401);
    expect((await csv(hr, '/reports/headcount.csv')).status).toBe(403);
    expect((await csv(reporting, '/reports/caseload.csv?period=2026-02-30&rows=SERVICE&columns=GENDER')).status).toBe(400);
    expect((await csv(reporting, '/reports/headcount.csv')).status).toBe(200);
    expect((await csv(reporting, `/reports/consent-activity.csv?period=${currentQuarter().label}`)).status).toBe(200);
    expect((await csv(reporting, `/reports/exceptional-disclosures.csv?period=${currentQuarter().label}`)).status).toBe(200);
  });

  it('refuses with the code /graphql gives for the same request, and its status (one error model)', async () => {
    const codeOf = (text: string) => (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
    const badPeriod = await csv(reporting, '/reports/caseload.csv?period=2026-02-30&rows=SERVICE&columns=GENDER');
    const graphqlBadPeriod = await t.query(
      await t.token(reporting),
      '{ caseloadReport(period: "2026-02-30", rows: SERVICE, columns: GENDER) { grandTotal { value } } }',
    );
    expect([badPeriod.status, codeOf(badPeriod.text)]).toEqual([400, graphqlBadPeriod.body.errors?.[0]?.extensions?.code]);
    const forbidden = await csv(hr, '/reports/headcount.csv');
    const graphqlForbidden = await t.query(await t.token(hr), '{ headcountReport { grandTotal { value } } }');
    expect([forbidden.status, codeOf(forbidden.text)]).toEqual([403, graphqlForbidden.body.errors?.[0]?.extensions?.code]);
    // A parameter left out is the caller's to fix: 400, never our 500.
    expect((await csv(reporting, '/reports/caseload.csv?rows=SERVICE&columns=GENDER')).status).toBe(400);
  });
});

describe('consent store reports', () => {
  it('counts consents given and withdrawn in the period by recipient type, protected the same way', async () => {
    const period = currentQuarter();
    const { body } = await t.query(await t.token(reporting), `{ consentActivityReport(period: "${period.label}") { ${REPORT_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const table = (body.data as { consentActivityReport: Table }).consentActivityReport;
    const consents = await t.db('consent').collection<ConsentDoc>('consents').find({}).toArray();
    const start = new Date(`${period.firstDay}T00:00:00.000Z`);
    const end = new Date(new Date(`${period.lastDay}T00:00:00.000Z`).getTime() + 86_400_000);
    const within = (date: Date | null | undefined) => date != null && date >= start && date < end;
    checkAgainst(
      table,
      (type, activity) => consents.filter((c) => c.recipientType === type && (activity === 'GIVEN' ? within(c.signedAt) : within(c.withdrawnAt))).length,
    );
    expectFullLabels(table, refs);
  });

  it('counts exceptional disclosures opened in the period by legal basis', async () => {
    const period = currentQuarter();
    const { body } = await t.query(await t.token(reporting), `{ exceptionalDisclosureReport(period: "${period.label}") { ${REPORT_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const table = (body.data as { exceptionalDisclosureReport: Table }).exceptionalDisclosureReport;
    const records = await t.db('consent').collection<ExceptionalDisclosureDoc>('exceptionalDisclosures').find({}).toArray();
    const start = new Date(`${period.firstDay}T00:00:00.000Z`);
    const end = new Date(new Date(`${period.lastDay}T00:00:00.000Z`).getTime() + 86_400_000);
    checkAgainst(table, (basis) => records.filter((r) => r.legalBasis === basis && r.openedAt >= start && r.openedAt < end).length);
    expectFullLabels(table, refs);
  });
});

const ID_PATTERN = /team_|cli_|stf_|emp_|post_/;

describe('the team dimension', () => {
  it('counts the caseload by team, labelled with team names from the client database, never ids', async () => {
    const period = currentQuarter();
    expect(refs.clientTeams.size).toBeGreaterThan(0);
    const onCaseload = clients.filter((c) => c.referredOn <= period.lastDay && (c.closedOn == null || c.closedOn >= period.firstDay));
    const labels = (dimension: string) => (c: ClientDoc) => clientLabelsOn(refs, dimension, c, period.lastDay);
    for (const [rows, columns] of [
      ['TEAM', 'GENDER'],
      ['TEAM', 'SERVICE'],
      ['TEAM', 'OUTCOME'],
      ['AGE_BAND', 'TEAM'],
    ] as const) {
      const table = await fetchTable(`{ caseloadReport(period: "${period.label}", rows: ${rows}, columns: ${columns}) { ${REPORT_FIELDS} } }`);
      checkAgainst(table, tally(onCaseload, labels(rows), labels(columns)));
      // Every team on the list, with clients in the period or not.
      expectFullLabels(table, refs);
      expect(JSON.stringify(table)).not.toMatch(ID_PATTERN);
    }
  });

  it('reads the team names only when teams are a dimension: the aggregation, then one small read', async () => {
    t.resetCounters();
    await t.query(await t.token(reporting), `{ caseloadReport(period: "${currentQuarter().label}", rows: TEAM, columns: GENDER) { grandTotal { value } } }`);
    expect(reportReads()).toEqual(['aggregate clients', 'find teams']);
  });
});

describe('the referrals and closures report', () => {
  const referredIn = (c: ClientDoc, p: { firstDay: string; lastDay: string }) => c.referredOn >= p.firstDay && c.referredOn <= p.lastDay;
  const closedIn = (c: ClientDoc, p: { firstDay: string; lastDay: string }) => c.closedOn != null && c.closedOn >= p.firstDay && c.closedOn <= p.lastDay;

  function previousQuarter(): { label: string; firstDay: string; lastDay: string } {
    const now = new Date();
    const q = Math.floor(now.getUTCMonth() / 3) - 1;
    const start = new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), q * 3 + 3, 1) - 86_400_000);
    return {
      label: `${start.getUTCFullYear()}-Q${Math.floor(start.getUTCMonth() / 3) + 1}`,
      firstDay: start.toISOString().slice(0, 10),
      lastDay: end.toISOString().slice(0, 10),
    };
  }

  it('counts referrals and closures in the period by service, gender, age band on the day, and team, cell by cell', async () => {
    let suppressedSomewhere = false;
    let countedSomething = false;
    for (const period of [currentQuarter(), previousQuarter()]) {
      for (const dimension of ['SERVICE', 'GENDER', 'AGE_BAND', 'TEAM']) {
        const { body } = await t.query(
          await t.token(reporting),
          `{ referralsAndClosuresReport(period: "${period.label}", rows: ${dimension}) { ${REPORT_FIELDS} } }`,
        );
        expect(body.errors).toBeUndefined();
        const table = (body.data as { referralsAndClosuresReport: Table }).referralsAndClosuresReport;
        expect(table.columns).toEqual(['REFERRED', 'CLOSED']);
        expectFullLabels(table, refs);
        const rowsOf = (c: ClientDoc, day: string) => clientLabelsOn(refs, dimension, c, day);
        checkAgainst(table, (row, column) =>
          column === 'REFERRED'
            ? clients.filter((c) => referredIn(c, period) && rowsOf(c, c.referredOn).includes(row)).length
            : clients.filter((c) => closedIn(c, period) && rowsOf(c, c.closedOn as string).includes(row)).length,
        );
        expect(JSON.stringify(table)).not.toMatch(ID_PATTERN);
        suppressedSomewhere ||= table.rows.some((row) => row.cells.some((cell) => cell.suppressed));
        countedSomething ||= table.rows.some((row) => row.cells.some((cell) => (cell.value ?? 0) > 0));
      }
    }
    expect(suppressedSomewhere).toBe(true);
    expect(countedSomething).toBe(true);
  });

  it('answers in one aggregation (and one small read of the team or service list when those are the rows)', async () => {
    const token = await t.token(reporting);
    for (const [dimension, reads] of [
      ['GENDER', ['aggregate clients']],
      ['AGE_BAND', ['aggregate clients']],
      ['SERVICE', ['aggregate clients', 'find services']],
      ['TEAM', ['aggregate clients', 'find teams']],
    ] as const) {
      t.resetCounters();
      await t.query(token, `{ referralsAndClosuresReport(period: "${currentQuarter().label}", rows: ${dimension}) { grandTotal { value } } }`);
      expect(reportReads(), dimension).toEqual(reads);
    }
  });

  it('takes whole months and quarters only', async () => {
    const token = await t.token(reporting);
    for (const period of ['2026-01-05', '2026-Q5', '2026', '2026-13', '']) {
      const { body } = await t.query(token, `{ referralsAndClosuresReport(period: "${period}", rows: SERVICE) { name } }`);
      expect(body.errors?.[0]?.extensions?.code, period).toBe('BAD_USER_INPUT');
    }
  });

  it('is for the reporting role only', async () => {
    for (const principal of [keyworkerOfSam, teamManagerNorth, hr, dpo] satisfies Principal[]) {
      const { body } = await t.query(await t.token(principal), `{ referralsAndClosuresReport(period: "${currentQuarter().label}", rows: SERVICE) { name } }`);
      expect(body.data, principal.role).toEqual({ referralsAndClosuresReport: null });
      expect(body.errors?.[0]?.extensions?.code, principal.role).toBe('FORBIDDEN');
    }
  });

  it('comes as CSV too, the same table as the GraphQL report', async () => {
    const period = currentQuarter().label;
    const response = await fetch(new URL(`/reports/referrals-and-closures.csv?period=${period}&rows=TEAM`, t.gatewayUrl), {
      headers: { authorization: `Bearer ${await t.token(reporting)}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    const { body } = await t.query(await t.token(reporting), `{ referralsAndClosuresReport(period: "${period}", rows: TEAM) { ${REPORT_FIELDS} } }`);
    const table = (body.data as { referralsAndClosuresReport: Table }).referralsAndClosuresReport;
    const show = (cell: ProtectedCell) => (cell.suppressed ? '[c]' : String(cell.value));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('TEAM,REFERRED,CLOSED,Total');
    table.rows.forEach((row, i) => expect(lines[i + 1]).toBe([row.label, ...row.cells.map(show), show(row.total)].join(',')));
    expect(lines.at(-1)).toBe(['Total', ...table.columnTotals.map(show), show(table.grandTotal)].join(','));
    expect(text).not.toMatch(ID_PATTERN);
    const refused = await fetch(new URL(`/reports/referrals-and-closures.csv?period=2026-Q9&rows=TEAM`, t.gatewayUrl), {
      headers: { authorization: `Bearer ${await t.token(reporting)}` },
    });
    expect(refused.status).toBe(400);
    const forbidden = await fetch(new URL(`/reports/referrals-and-closures.csv?period=${period}&rows=TEAM`, t.gatewayUrl), {
      headers: { authorization: `Bearer ${await t.token(hr)}` },
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('every report shows every label of its dimensions (invariant 12: absence is information too)', () => {
  it('every table, by every dimension the schema offers: the full label sets in order, counted cell by cell, the labels nobody has there and suppressed, the same in CSV', async () => {
    const period = currentQuarter();
    const records = await readRecords();
    let emptyListed = 0;
    for (const { query, csv } of everyReport(period)) {
      const table = await fetchTable(query);
      expectFullLabels(table, records.refs);
      const { status, text } = await csvOf(csv);
      expect(status, csv).toBe(200);
      expectCsvMatches(text, table);
      const truth = truthOf(table, period, records);
      checkAgainst(table, truth);
      // Each table has labels nobody has (the catch-alls at least): labels taken from the data
      // alone, as before, would leave them out, so the label check above sees that at once.
      const empty = emptyLabels(table, truth);
      expect(empty.rows.length + empty.columns.length, query).toBeGreaterThan(0);
      expectEmptyLabelsSuppressed(table, empty);
      const catchAll = /^(NOT_RECORDED|UNKNOWN( TEAM| SERVICE)?)$/;
      emptyListed += [...empty.rows, ...empty.columns].filter((label) => !catchAll.test(label)).length;
    }
    // Not just catch-alls: labels on the reference lists with nobody in the period (a team with
    // no clients, a legal basis never used) are there too.
    expect(emptyListed).toBeGreaterThan(0);
  });

  it('control: a table whose labels came from the data alone (the old behaviour) fails the label check', async () => {
    const period = currentQuarter();
    const records = await readRecords();
    for (const query of [
      `{ referralsAndClosuresReport(period: "${period.label}", rows: TEAM) { ${REPORT_FIELDS} } }`,
      `{ headcountReport { ${REPORT_FIELDS} } }`,
    ]) {
      const table = await fetchTable(query);
      const empty = emptyLabels(table, truthOf(table, period, records));
      const fromData: Table = {
        ...table,
        columns: table.columns.filter((column) => !empty.columns.includes(column)),
        rows: table.rows
          .filter((row) => !empty.rows.includes(row.label))
          .map((row) => ({ ...row, cells: row.cells.filter((_, j) => !empty.columns.includes(table.columns[j] as string)) })),
        columnTotals: table.columnTotals.filter((_, j) => !empty.columns.includes(table.columns[j] as string)),
      };
      expect(fromData.rows.length * fromData.columns.length, query).toBeLessThan(table.rows.length * table.columns.length);
      expect(() => expectFullLabels(fromData, records.refs), query).toThrow();
      expect(() => expectFullLabels(table, records.refs), query).not.toThrow();
    }
  });

  it('a label added to a reference list is in every table by that dimension at once, suppressed: a service, a team, an HR team and a post nobody has', async () => {
    const service = { _id: 'svc_befriending', name: 'Befriending, pilot' };
    const team = { _id: 'team_eastfield', name: 'Eastfield outreach team' };
    const hrTeam = { _id: 'team_eastfield', name: 'Eastfield outreach team', service: 'Befriending, pilot' };
    const post = { _id: 'post_volunteer_coordinator', title: 'Volunteer coordinator', grade: 'Grade 3' };
    await t.db('clients').collection<{ _id: string }>('services').insertOne(service);
    await t.db('clients').collection<{ _id: string }>('teams').insertOne(team);
    await t.db('hr').collection<{ _id: string }>('teams').insertOne(hrTeam);
    await t.db('hr').collection<{ _id: string }>('posts').insertOne(post);
    try {
      const period = currentQuarter();
      const records = await readRecords();
      const added = [service.name, team.name, post.title];
      let seen = 0;
      // The tables by a dimension with a reference list: the others cannot show these labels.
      for (const { query, csv } of everyReport(period, 'one').filter((report) => /SERVICE|TEAM|headcount/.test(report.query))) {
        const table = await fetchTable(query);
        expectFullLabels(table, records.refs);
        const present = {
          rows: table.rows.map((row) => row.label).filter((label) => added.includes(label)),
          columns: table.columns.filter((label) => added.includes(label)),
        };
        const empty = emptyLabels(table, truthOf(table, period, records));
        for (const label of present.rows) expect(empty.rows, query).toContain(label);
        for (const label of present.columns) expect(empty.columns, query).toContain(label);
        expectEmptyLabelsSuppressed(table, present);
        seen += present.rows.length + present.columns.length;
        if (present.rows.length + present.columns.length > 0) {
          const { status, text } = await csvOf(csv);
          expect(status).toBe(200);
          expectCsvMatches(text, table);
        }
      }
      // The service and the team in every client table by SERVICE or TEAM (4 caseload pairs and
      // the referrals by each), the HR team and the post in the headcount.
      expect(seen).toBe(2 * (4 + 1) + 2);
    } finally {
      await t.db('clients').collection<{ _id: string }>('services').deleteOne({ _id: service._id });
      await t.db('clients').collection<{ _id: string }>('teams').deleteOne({ _id: team._id });
      await t.db('hr').collection<{ _id: string }>('teams').deleteOne({ _id: hrTeam._id });
      await t.db('hr').collection<{ _id: string }>('posts').deleteOne({ _id: post._id });
    }
  });
});

// Last: it adds records, which the checks above count from the documents read at the start.
describe('values a reference list does not have', () => {
  it('count under catch-all labels, which every table shows anyway; a stored value is never a label', async () => {
    const period = currentQuarter();
    const unlisted = (i: number): ClientDoc => ({
      _id: `cli_unlisted${i}`,
      name: `Unlisted ${i}`,
      services: ['Unlisted service'],
      gender: 'OTHER_VALUE' as ClientDoc['gender'],
      status: 'OPEN',
      referredOn: period.firstDay,
      teamId: 'team_unlisted',
      keyworkerStaffIds: [],
    });
    const unrecorded = (i: number): ClientDoc => ({
      _id: `cli_unrecorded${i}`,
      name: `Unrecorded ${i}`,
      services: [],
      status: 'OPEN',
      referredOn: period.firstDay,
      keyworkerStaffIds: [],
    });
    const ghosts = [...Array.from({ length: 6 }, (_, i) => unlisted(i)), ...Array.from({ length: 6 }, (_, i) => unrecorded(i))];
    const consents = Array.from({ length: 6 }, (_, i) => ({
      _id: `con_unlisted${i}`,
      recipientType: 'CHARITY',
      signedAt: new Date(`${period.firstDay}T12:00:00.000Z`),
    }));
    const employees = Array.from({ length: 6 }, (_, i) => ({
      _id: `emp_unlisted${i}`,
      staffId: `stf_unlisted${i}`,
      payrollNumber: `UNLISTED${i}`,
      name: `Unlisted ${i}`,
      teamId: 'team_unlisted',
      postId: 'post_unlisted',
    }));
    await t.db('clients').collection<ClientDoc>('clients').insertMany(ghosts);
    await t.db('consent').collection<{ _id: string }>('consents').insertMany(consents);
    await t.db('hr').collection<{ _id: string }>('employees').insertMany(employees);
    try {
      const records = await readRecords();
      const raw = /Unlisted service|OTHER_VALUE|CHARITY|team_unlisted|post_unlisted|cli_|stf_|emp_/;
      for (const { query } of everyReport(period, 'one')) {
        const table = await fetchTable(query);
        expectFullLabels(table, records.refs);
        checkAgainst(table, truthOf(table, period, records));
        expect(JSON.stringify(table), query).not.toMatch(raw);
      }
      const referrals = async (rows: string) => fetchTable(`{ referralsAndClosuresReport(period: "${period.label}", rows: ${rows}) { ${REPORT_FIELDS} } }`);
      const referred = (table: Table, label: string) => table.rows.find((row) => row.label === label)?.cells[0];
      expect(referred(await referrals('TEAM'), 'UNKNOWN TEAM')).toEqual({ value: 6, suppressed: false });
      expect(referred(await referrals('TEAM'), 'NOT_RECORDED')).toEqual({ value: 6, suppressed: false });
      expect(referred(await referrals('SERVICE'), 'UNKNOWN SERVICE')).toEqual({ value: 6, suppressed: false });
      expect(referred(await referrals('SERVICE'), 'NOT_RECORDED')).toEqual({ value: 6, suppressed: false });
      expect(referred(await referrals('GENDER'), 'NOT_RECORDED')).toEqual({ value: 12, suppressed: false });
      const consentTable = await fetchTable(`{ consentActivityReport(period: "${period.label}") { ${REPORT_FIELDS} } }`);
      expect(referred(consentTable, 'NOT_RECORDED')).toEqual({ value: 6, suppressed: false });
      const headcount = await fetchTable(`{ headcountReport { ${REPORT_FIELDS} } }`);
      expect(headcount.rows.find((row) => row.label === 'NOT_RECORDED')?.cells.at(-1)).toEqual({ value: 6, suppressed: false });
    } finally {
      await t
        .db('clients')
        .collection<ClientDoc>('clients')
        .deleteMany({ _id: { $in: ghosts.map((g) => g._id) } });
      await t
        .db('consent')
        .collection<{ _id: string }>('consents')
        .deleteMany({ _id: { $in: consents.map((c) => c._id) } });
      await t
        .db('hr')
        .collection<{ _id: string }>('employees')
        .deleteMany({ _id: { $in: employees.map((e) => e._id) } });
    }
  });
});
