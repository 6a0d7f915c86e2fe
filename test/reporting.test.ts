import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecoverable, type ProtectedCell, type ProtectedTable } from '../shield/disclosure-control.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import type { ConsentDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * DESIGN.md scenario "Reporting" and invariant 8: predefined aggregates only, computed in the
 * database, small cells suppressed with secondary suppression, checked cell by cell against
 * counts computed here from the seeded data.
 */

const reporting: Principal = { role: 'reporting', sub: PERSONAS.reportingAccount };
const REPORT_FIELDS = 'name period rowDimension columnDimension columns threshold rows { label cells { value suppressed } total { value suppressed } } columnTotals { value suppressed } grandTotal { value suppressed }';

interface Table {
  columns: string[];
  threshold: number;
  rows: { label: string; cells: ProtectedCell[]; total: ProtectedCell }[];
  columnTotals: ProtectedCell[];
  grandTotal: ProtectedCell;
}

let t: TestStack;
let clients: ClientDoc[];
beforeAll(async () => {
  t = await startTestStack();
  clients = await t.db('clients').collection<ClientDoc>('clients').find({}).toArray();
});
afterAll(async () => {
  await t.close();
});

function currentQuarter(): { label: string; firstDay: string; lastDay: string } {
  const now = new Date();
  const q = Math.floor(now.getUTCMonth() / 3);
  const start = new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), q * 3 + 3, 1) - 86_400_000);
  return { label: `${now.getUTCFullYear()}-Q${q + 1}`, firstDay: start.toISOString().slice(0, 10), lastDay: end.toISOString().slice(0, 10) };
}

function asProtected(table: Table): ProtectedTable {
  return {
    rows: table.rows.map((r) => r.label),
    columns: table.columns,
    cells: table.rows.map((r) => r.cells),
    rowTotals: table.rows.map((r) => r.total),
    columnTotals: table.columnTotals,
    grandTotal: table.grandTotal,
    threshold: table.threshold,
    roundingBase: null,
  };
}

function checkAgainst(table: Table, truth: (row: string, column: string) => number): void {
  table.rows.forEach((row, r) => {
    table.columns.forEach((column, c) => {
      const cell = row.cells[c] as ProtectedCell;
      const count = truth(row.label, column);
      if (count > 0 && count < table.threshold) expect(cell, `${row.label}/${column} = ${count}`).toEqual({ value: null, suppressed: true });
      if (!cell.suppressed) expect(cell.value, `${row.label}/${column}`).toBe(count);
      void r;
    });
  });
  expect(isRecoverable(asProtected(table))).toEqual([]);
}

describe('the caseload report', () => {
  it('counts the caseload by service and gender in the database, suppressing small cells so none can be worked back', async () => {
    const period = currentQuarter();
    const { body } = await t.query(await t.token(reporting), `{ caseloadReport(period: "${period.label}", rows: SERVICE, columns: GENDER) { ${REPORT_FIELDS} } }`);
    expect(body.errors).toBeUndefined();
    const table = (body.data as { caseloadReport: Table }).caseloadReport;
    const onCaseload = clients.filter((c) => c.referredOn <= period.lastDay && (c.closedOn == null || c.closedOn >= period.firstDay));
    checkAgainst(table, (service, gender) => onCaseload.filter((c) => c.services.includes(service) && (c.gender ?? 'NOT_RECORDED') === gender).length);
    expect(table.rows.some((row) => row.cells.some((cell) => cell.suppressed))).toBe(true);
  });

  it('answers in one database round trip', async () => {
    t.resetCounters();
    await t.query(await t.token(reporting), `{ caseloadReport(period: "${currentQuarter().label}", rows: SERVICE, columns: AGE_BAND) { grandTotal { value } } }`);
    const reads = t.commands.filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && !c.databaseName.endsWith('audit'));
    expect(reads.map((c) => c.commandName)).toEqual(['aggregate']);
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
    const employees = await t.db('hr').collection<EmployeeDoc>('employees').find({}).toArray();
    const teams = new Map((await t.db('hr').collection<{ _id: string; name: string }>('teams').find({}).toArray()).map((team) => [team.name, team._id]));
    const posts = new Map((await t.db('hr').collection<{ _id: string; title: string }>('posts').find({}).toArray()).map((post) => [post.title, post._id]));
    checkAgainst(table, (team, post) => employees.filter((e) => e.teamId === teams.get(team) && e.postId === posts.get(post)).length);
    // Labels are names and titles, never internal ids.
    expect(JSON.stringify(table)).not.toMatch(/team_|post_/);
    expect(JSON.stringify(table)).not.toMatch(/SERVICE_USER|client/i);
  });
});

describe('reports are for the reporting role, and the reporting role gets nothing else', () => {
  it('refuses reports to other roles', async () => {
    const worker: Principal = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam };
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
    expect((await csv({ role: 'hr', sub: PERSONAS.hrOfficer }, '/reports/headcount.csv')).status).toBe(403);
    expect((await csv(reporting, '/reports/caseload.csv?period=2026-02-30&rows=SERVICE&columns=GENDER')).status).toBe(400);
    expect((await csv(reporting, '/reports/headcount.csv')).status).toBe(200);
    expect((await csv(reporting, `/reports/consent-activity.csv?period=${currentQuarter().label}`)).status).toBe(200);
    expect((await csv(reporting, `/reports/exceptional-disclosures.csv?period=${currentQuarter().label}`)).status).toBe(200);
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
    checkAgainst(table, (type, activity) =>
      consents.filter((c) => c.recipientType === type && (activity === 'GIVEN' ? within(c.signedAt) : within(c.withdrawnAt))).length,
    );
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
  });
});
