import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtectedCell } from '../shield/disclosure-control.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import type { ConsentDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { ageBandOn, checkAgainst, quarterOf, REPORT_FIELDS, REPORTING as reporting, type ReportTable as Table } from './support/report-tables.js';

/**
 * DESIGN.md scenario "Reporting" and invariant 8: predefined aggregates only, computed in the
 * database, small cells suppressed with secondary suppression, checked cell by cell against
 * counts computed here from the seeded data.
 */

let t: TestStack;
let clients: ClientDoc[];
beforeAll(async () => {
  // Exact counts, so every shown count can be compared with the seeded data and every table
  // checked for recoverable cells exactly; the default rounding is covered by report-differencing.
  t = await startTestStack({ env: { REPORT_ROUNDING_BASE: 'none' } });
  clients = await t.db('clients').collection<ClientDoc>('clients').find({}).toArray();
});
afterAll(async () => {
  await t.close();
});

function currentQuarter() {
  return quarterOf(new Date());
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

/** Team names by id, from the client database's own reference list. */
async function teamNames(): Promise<Map<string, string>> {
  return new Map((await t.db('clients').collection<{ _id: string; name: string }>('teams').find({}).toArray()).map((team) => [team._id, team.name]));
}

const ID_PATTERN = /team_|cli_|stf_|emp_|post_/;

describe('the team dimension', () => {
  it('counts the caseload by team, labelled with team names from the client database, never ids', async () => {
    const period = currentQuarter();
    const names = await teamNames();
    expect(names.size).toBeGreaterThan(0);
    const onCaseload = clients.filter((c) => c.referredOn <= period.lastDay && (c.closedOn == null || c.closedOn >= period.firstDay));
    const teamOf = (c: ClientDoc) => (c.teamId ? (names.get(c.teamId) ?? 'UNKNOWN TEAM') : 'NOT_RECORDED');
    for (const other of ['GENDER', 'SERVICE', 'OUTCOME'] as const) {
      const { body } = await t.query(await t.token(reporting), `{ caseloadReport(period: "${period.label}", rows: TEAM, columns: ${other}) { ${REPORT_FIELDS} } }`);
      expect(body.errors).toBeUndefined();
      const table = (body.data as { caseloadReport: Table }).caseloadReport;
      const value = (c: ClientDoc, column: string) =>
        other === 'GENDER' ? (c.gender ?? 'NOT_RECORDED') === column : other === 'SERVICE' ? c.services.includes(column) : (c.closedOn != null && c.closedOn <= period.lastDay ? 'CLOSED_IN_PERIOD' : 'ONGOING') === column;
      checkAgainst(table, (team, column) => onCaseload.filter((c) => teamOf(c) === team && value(c, column)).length);
      expect(table.rows.map((row) => row.label).sort()).toEqual([...new Set(onCaseload.map(teamOf))].sort());
      expect(JSON.stringify(table)).not.toMatch(ID_PATTERN);
    }
    // Teams as columns too.
    const { body } = await t.query(await t.token(reporting), `{ caseloadReport(period: "${period.label}", rows: AGE_BAND, columns: TEAM) { ${REPORT_FIELDS} } }`);
    const table = (body.data as { caseloadReport: Table }).caseloadReport;
    checkAgainst(table, (band, team) => onCaseload.filter((c) => ageBandOn(c.dateOfBirth, period.lastDay) === band && teamOf(c) === team).length);
    expect(JSON.stringify(table)).not.toMatch(ID_PATTERN);
  });

  it('reads the team names only when teams are a dimension: the aggregation, then one small read', async () => {
    t.resetCounters();
    await t.query(await t.token(reporting), `{ caseloadReport(period: "${currentQuarter().label}", rows: TEAM, columns: GENDER) { grandTotal { value } } }`);
    const reads = t.commands.filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && !c.databaseName.endsWith('audit'));
    expect(reads.map((c) => `${c.commandName} ${String((c.command as Record<string, unknown>)[c.commandName])}`).sort()).toEqual(['aggregate clients', 'find teams']);
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
    return { label: `${start.getUTCFullYear()}-Q${Math.floor(start.getUTCMonth() / 3) + 1}`, firstDay: start.toISOString().slice(0, 10), lastDay: end.toISOString().slice(0, 10) };
  }

  it('counts referrals and closures in the period by service, gender, age band on the day, and team, cell by cell', async () => {
    const names = await teamNames();
    const rowOf: Record<string, (c: ClientDoc, day: string) => string[]> = {
      SERVICE: (c) => c.services,
      GENDER: (c) => [c.gender ?? 'NOT_RECORDED'],
      AGE_BAND: (c, day) => [ageBandOn(c.dateOfBirth, day)],
      TEAM: (c) => [c.teamId ? (names.get(c.teamId) ?? 'UNKNOWN TEAM') : 'NOT_RECORDED'],
    };
    let suppressedSomewhere = false;
    let countedSomething = false;
    for (const period of [currentQuarter(), previousQuarter()]) {
      for (const dimension of Object.keys(rowOf)) {
        const { body } = await t.query(await t.token(reporting), `{ referralsAndClosuresReport(period: "${period.label}", rows: ${dimension}) { ${REPORT_FIELDS} } }`);
        expect(body.errors).toBeUndefined();
        const table = (body.data as { referralsAndClosuresReport: Table }).referralsAndClosuresReport;
        expect(table.columns).toEqual(['REFERRED', 'CLOSED']);
        const rowsOf = rowOf[dimension] as (c: ClientDoc, day: string) => string[];
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

  it('answers in one database round trip (and the team names read when teams are the rows)', async () => {
    const token = await t.token(reporting);
    const reads = () => t.commands.filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && !c.databaseName.endsWith('audit')).map((c) => c.commandName);
    for (const dimension of ['SERVICE', 'GENDER', 'AGE_BAND']) {
      t.resetCounters();
      await t.query(token, `{ referralsAndClosuresReport(period: "${currentQuarter().label}", rows: ${dimension}) { grandTotal { value } } }`);
      expect(reads()).toEqual(['aggregate']);
    }
    t.resetCounters();
    await t.query(token, `{ referralsAndClosuresReport(period: "${currentQuarter().label}", rows: TEAM) { grandTotal { value } } }`);
    expect(reads().sort()).toEqual(['aggregate', 'find']);
  });

  it('takes whole months and quarters only', async () => {
    const token = await t.token(reporting);
    for (const period of ['2026-01-05', '2026-Q5', '2026', '2026-13', '']) {
      const { body } = await t.query(token, `{ referralsAndClosuresReport(period: "${period}", rows: SERVICE) { name } }`);
      expect(body.errors?.[0]?.extensions?.code, period).toBe('BAD_USER_INPUT');
    }
  });

  it('is for the reporting role only', async () => {
    for (const principal of [
      { role: 'support_worker', sub: PERSONAS.keyworkerOfSam },
      { role: 'team_manager', sub: PERSONAS.teamManagerNorth, team: PERSONAS.teams.north },
      { role: 'hr', sub: PERSONAS.hrOfficer },
      { role: 'data_protection_officer', sub: PERSONAS.dataProtectionOfficer },
    ] satisfies Principal[]) {
      const { body } = await t.query(await t.token(principal), `{ referralsAndClosuresReport(period: "${currentQuarter().label}", rows: SERVICE) { name } }`);
      expect(body.data, principal.role).toEqual({ referralsAndClosuresReport: null });
      expect(body.errors?.[0]?.extensions?.code, principal.role).toBe('FORBIDDEN');
    }
  });

  it('comes as CSV too, the same table as the GraphQL report', async () => {
    const period = currentQuarter().label;
    const response = await fetch(new URL(`/reports/referrals-and-closures.csv?period=${period}&rows=TEAM`, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(reporting)}` } });
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
    const refused = await fetch(new URL(`/reports/referrals-and-closures.csv?period=2026-Q9&rows=TEAM`, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(reporting)}` } });
    expect(refused.status).toBe(400);
    const forbidden = await fetch(new URL(`/reports/referrals-and-closures.csv?period=${period}&rows=TEAM`, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token({ role: 'hr', sub: PERSONAS.hrOfficer })}` } });
    expect(forbidden.status).toBe(403);
  });
});

// Last: it adds clients, which the checks above count from the documents read at the start.
describe('a team the reference list does not name', () => {
  it('is labelled UNKNOWN TEAM, never by its id', async () => {
    const period = currentQuarter();
    const ghosts: ClientDoc[] = Array.from({ length: 6 }, (_, i) => ({
      _id: `cli_ghost${i}`,
      name: `Ghost ${i}`,
      services: ['Housing support'],
      status: 'OPEN',
      referredOn: period.firstDay,
      teamId: 'team_unlisted',
      keyworkerStaffIds: [],
    }));
    await t.db('clients').collection<ClientDoc>('clients').insertMany(ghosts);
    try {
      const token = await t.token(reporting);
      const caseload = (await t.query(token, `{ caseloadReport(period: "${period.label}", rows: TEAM, columns: SERVICE) { ${REPORT_FIELDS} } }`)).body;
      const referrals = (await t.query(token, `{ referralsAndClosuresReport(period: "${period.label}", rows: TEAM) { ${REPORT_FIELDS} } }`)).body;
      const caseloadTable = (caseload.data as { caseloadReport: Table }).caseloadReport;
      const referralTable = (referrals.data as { referralsAndClosuresReport: Table }).referralsAndClosuresReport;
      for (const table of [caseloadTable, referralTable]) {
        expect(table.rows.map((row) => row.label)).toContain('UNKNOWN TEAM');
        expect(JSON.stringify(table)).not.toMatch(ID_PATTERN);
      }
      const unknown = referralTable.rows.find((row) => row.label === 'UNKNOWN TEAM');
      expect(unknown?.cells[0]).toEqual({ value: 6, suppressed: false });
    } finally {
      await t.db('clients').collection<ClientDoc>('clients').deleteMany({ _id: { $in: ghosts.map((g) => g._id) } });
    }
  });
});
