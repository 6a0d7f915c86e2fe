import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createLogger } from '../platform/logger.js';
import { PERSONAS } from '../seed/personas.js';
import { readConsoleConfig } from '../stack/console/console-config.js';
import { startConsoleServer, type RunningConsole } from '../stack/console-server.js';
import { buildConsole, launchBrowser } from './support/console-browser.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { dpo as DPO, safeguardingOfficer, teamManagerNorth as NORTH_MANAGER, trustee } from './support/principals.js';

/**
 * The web console end to end: the console server in front of a real stack, the console built
 * with Vite, driven in Debian's Chromium. Each browser test saves a screenshot for the README.
 */

const SHOTS = 'docs/screenshots';

let t: TestStack;
let built: Awaited<ReturnType<typeof buildConsole>>;
let devConsole: RunningConsole;
let prodConsole: RunningConsole;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

const logger = createLogger('console-test', 'silent');

beforeAll(async () => {
  [t, built] = await Promise.all([startTestStack(), buildConsole()]);
  devConsole = await startConsoleServer(readConsoleConfig({ NODE_ENV: 'test', CONSOLE_PORT: '0' }, { gatewayUrl: t.gatewayUrl, distDir: built.dir }), logger);
  // Production needs no secrets of the console: it mints nothing.
  prodConsole = await startConsoleServer(
    readConsoleConfig({ NODE_ENV: 'production', CONSOLE_PORT: '0' }, { gatewayUrl: t.gatewayUrl, distDir: built.dir }),
    logger,
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await devConsole?.close();
  await prodConsole?.close();
  await t?.close();
  await built?.remove();
});

async function openPage(path = ''): Promise<Page> {
  const page = await browser.context.newPage();
  // Well inside the test's own timeout, so a stuck step fails with Playwright's account of it.
  page.setDefaultTimeout(15_000);
  await page.goto(new URL(path, devConsole.url).toString());
  return page;
}

async function signInAs(page: Page, personaLabel: RegExp): Promise<void> {
  await page.goto(new URL('#/sign-in', devConsole.url).toString());
  const select = page.getByLabel('Demo persona');
  const option = (await select.locator('option').allTextContents()).find((text) => personaLabel.test(text));
  expect(option, `a demo persona matching ${personaLabel}`).toBeDefined();
  await select.selectOption({ label: option ?? '' });
  await page.getByRole('button', { name: 'Sign in as this persona' }).click();
  await expect.poll(() => page.locator('#who').textContent()).toContain('Signed in');
  await page.locator('#main[aria-busy="false"]').waitFor();
}

/** A seeded client's date of birth, read as the DPO would find it: from the seed, not the console. */
async function dateOfBirthOf(clientId: string): Promise<string> {
  const doc = await t.db('clients').collection<{ _id: string; dateOfBirth: string }>('clients').findOne({ _id: clientId });
  return doc?.dateOfBirth ?? '';
}

/** Values shown in a lens column, without the person's own name and date of birth. */
async function columnValues(column: Locator): Promise<Set<string>> {
  const values = [...(await column.locator('dd').allTextContents()), ...(await column.locator('.ref').allTextContents())];
  return new Set(
    values.map((v) => v.trim()).filter((v) => v !== '' && v !== 'none' && v !== 'withheld' && v !== PERSONAS.sam.name && v !== PERSONAS.sam.dateOfBirth),
  );
}

describe('the console server', () => {
  it('serves the console with a strict content security policy, on one origin with the API', async () => {
    const index = await fetch(devConsole.url);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<main id="main"');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');

    // The API passes through with the caller's own token, and refuses without one as the gateway does.
    const token = await t.token(DPO);
    const alerts = await fetch(new URL('/alerts?status=OPEN', devConsole.url), { headers: { authorization: `Bearer ${token}` } });
    expect(alerts.status).toBe(200);
    expect(await alerts.json()).toHaveProperty('alerts');
    expect((await fetch(new URL('/alerts', devConsole.url))).status).toBe(401);
    // Only /graphql and the routes the policy names pass: nothing else of the gateway.
    expect((await fetch(new URL('/health', devConsole.url))).status).toBe(404);
    expect((await fetch(new URL('/audit/entries/../../health', devConsole.url))).status).toBe(404);
  });

  it('offers demo sign-in outside production only, and only to a loopback host', async () => {
    // Control: in development the routes exist and mint a token the gateway accepts.
    const personas = await fetch(new URL('/dev/personas', devConsole.url));
    expect(personas.status).toBe(200);
    const body = (await personas.json()) as { personas: { key: string }[]; lens: { people: Record<string, unknown>[] } };
    expect(body.personas.map((p) => p.key)).toContain('dpo');
    // Names only: no raw id reaches the browser.
    expect(JSON.stringify(body)).not.toMatch(/cli_|stf_|emp_/);
    const minted = await fetch(new URL('/dev/token', devConsole.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'dpo' }),
    });
    const { token } = (await minted.json()) as { token: string };
    expect((await t.query(token, '{ subjectAccessRequests { id } }')).status).toBe(200);
    // Only the fixed personas: a made-up principal gets nothing.
    const madeUp = await fetch(new URL('/dev/token', devConsole.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'admin', role: 'data_protection_officer' }),
    });
    expect(madeUp.status).toBe(400);

    for (const [method, path] of [
      ['GET', '/dev/personas'],
      ['POST', '/dev/token'],
      ['POST', '/dev/agency-reference'],
    ] as const) {
      const init = {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify({ persona: 'nhs', person: 'sam' }) } : {}),
      };
      const production = await fetch(new URL(path, prodConsole.url), init);
      expect(production.status, `${method} ${path} in production`).toBe(404);
      expect(await production.text()).not.toContain('token');
    }
    // A page served from another host name (DNS rebinding to 127.0.0.1) cannot reach them either.
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(new URL('/dev/personas', devConsole.url), { headers: { host: 'attacker.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(rebound).toBe(404);
  });
});

describe('the console in a browser', () => {
  it('the DPO closes an alert raised by a restricted emergency lookup', async () => {
    const page = await openPage();
    // The duty officer's lookup of Sam (restricted) through the console raises the alert.
    await signInAs(page, /duty officer/);
    await page.getByLabel('Name', { exact: true }).fill(PERSONAS.sam.name);
    await page.getByLabel('Date of birth').fill(PERSONAS.sam.dateOfBirth);
    await page.getByLabel('Caller’s organisation').fill('Northshire General A&E');
    await page.getByLabel('Caller’s name').fill('Dr Priya Nair');
    await page.getByLabel('Reason given').fill('Patient unconscious, asked who to contact');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.locator('.answer').textContent()).toMatch(/^Yes, a current service user\. Contact /);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, /data protection officer/);
    await page.goto(new URL('#/alerts', devConsole.url).toString());
    const card = page.locator('article.alert-open', { hasText: 'Northshire General A&E' });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('Emergency lookup restricted');
    await card.getByLabel('Note (required)').fill('Checked with the A&E duty consultant: a genuine emergency call.');
    await page.screenshot({ path: `${SHOTS}/dpo-alerts.png`, fullPage: true });
    const alertId = await card.getAttribute('data-alert-id');
    await card.getByRole('button', { name: 'Justified', exact: true }).click();
    await expect.poll(() => page.locator(`article[data-alert-id="${alertId}"]`).count()).toBe(0);

    // Closed on the gateway, with the outcome and note the DPO gave, by the DPO.
    const closed = await fetch(new URL('/alerts?status=CLOSED', t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(DPO)}` } });
    const { alerts } = (await closed.json()) as { alerts: { id: string; outcome: string; note: string; closedBy: { role: string } }[] };
    expect(alerts.find((a) => a.id === alertId)).toMatchObject({
      outcome: 'JUSTIFIED',
      note: 'Checked with the A&E duty consultant: a genuine emergency call.',
      closedBy: { role: 'data_protection_officer' },
    });
    await page.getByLabel('Show').selectOption('CLOSED');
    await expect.poll(() => page.locator(`article[data-alert-id="${alertId}"]`).textContent()).toContain('Justified');
    await page.close();
  });

  it('the DPO closes an alert raised by a break-glass, its expiry and early closure shown on it', async () => {
    // The safeguarding lead opens a break-glass through the API, then closes it early.
    const safeguarding = safeguardingOfficer;
    const lead = await t.token(safeguarding);
    const reason = 'Console test: police report a credible threat and need to locate the client.';
    const opened = await t.query(
      lead,
      `mutation O($s: ID!, $reason: String!) { openExceptionalDisclosure(subjectId: $s, recipientOrganisation: "${PERSONAS.agencies.police}", legalBasis: SERIOUS_HARM, reason: $reason) { id expiresAt } }`,
      { s: t.idFor(safeguarding, 'Client', PERSONAS.ordinaryClient.clientId), reason },
    );
    const glass = (opened.body.data as { openExceptionalDisclosure: { id: string } | null } | null)?.openExceptionalDisclosure;
    expect(glass, JSON.stringify(opened.body.errors)).toBeTruthy();
    const closedGlass = await t.query(lead, 'mutation C($id: ID!) { closeExceptionalDisclosure(id: $id) { closedAt } }', { id: glass?.id });
    expect(closedGlass.body.errors).toBeUndefined();

    const page = await openPage();
    await signInAs(page, /data protection officer/);
    await page.goto(new URL('#/alerts', devConsole.url).toString());
    await page.getByLabel('Kind').selectOption({ label: 'Exceptional disclosure opened' });
    // The filtered list, not the first one still in flight (a note typed there would be redrawn away).
    await page.locator('#alert-list[aria-busy="false"]').waitFor();
    const card = page.locator('article.alert-open', { hasText: reason });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(PERSONAS.agencies.police);
    expect(text).toMatch(/Expires at/);
    expect(text).toMatch(/Ended at/);
    expect(text).toMatch(/Record nowEnded early/);
    expect(text).toContain(PERSONAS.ordinaryClient.name);
    await card.getByLabel('Note (required)').fill('Police confirmed the threat; disclosure proportionate. Referred to the Caldicott guardian for the record.');
    await page.screenshot({ path: `${SHOTS}/dpo-break-glass-alert.png`, fullPage: true });
    const alertId = await card.getAttribute('data-alert-id');
    await card.getByRole('button', { name: 'Referred', exact: true }).click();
    await expect.poll(() => page.locator(`article.alert-open[data-alert-id="${alertId}"]`).count()).toBe(0);
    const closed = await fetch(new URL('/alerts?status=CLOSED&kind=EXCEPTIONAL_DISCLOSURE_OPENED', t.gatewayUrl), {
      headers: { authorization: `Bearer ${await t.token(DPO)}` },
    });
    const { alerts } = (await closed.json()) as { alerts: { id: string; outcome: string; details: { status: string } }[] };
    expect(alerts.find((a) => a.id === alertId)).toMatchObject({ outcome: 'REFERRED', details: { status: 'ENDED' } });
    await page.close();
  });

  it('the DPO logs a request for a person found by name, extends it, and reads the audit trail by name', async () => {
    const page = await openPage();
    await signInAs(page, /data protection officer/);
    await page.goto(new URL('#/subject-access', devConsole.url).toString());
    const rows = page.locator('tr[data-request-id]');
    await rows.first().waitFor();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- runs in the page; the root tsconfig has no DOM types
    const before = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-request-id'))));
    // No id typed: the person is found by name and date of birth, and their one record picked.
    await page.getByLabel('Name', { exact: true }).fill(PERSONAS.sam.name.toUpperCase());
    await page.getByLabel('Date of birth').fill(PERSONAS.sam.dateOfBirth);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => page.locator('.person-search').textContent()).toContain('One record matches');
    await page.getByRole('button', { name: 'Log request' }).click();
    await expect.poll(async () => (await rows.count()) > before.size).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- runs in the page; the root tsconfig has no DOM types
    const added = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-request-id')))).filter((id) => !before.has(id));
    expect(added).toHaveLength(1);
    const row = page.locator(`tr[data-request-id="${added[0]}"]`);
    expect(await row.locator('.ref').textContent()).toBe(t.idFor(DPO, 'Client', PERSONAS.sam.clientId));
    expect(await row.locator('.subject-name').textContent()).toBe(PERSONAS.sam.name);

    await row.locator('summary', { hasText: 'Extend' }).click();
    await row.getByLabel('Further months').selectOption('2');
    await row.getByLabel('Reason').fill('Twelve years of records across three services to review.');
    await row.getByRole('button', { name: 'Extend the deadline' }).click();
    await page.getByLabel('Show').selectOption('EXTENDED');
    const extended = page.locator(`tr[data-request-id="${added[0]}"]`);
    await expect.poll(() => extended.textContent()).toMatch(/extended 2 mo\./);
    await page.screenshot({ path: `${SHOTS}/subject-access.png`, fullPage: true });

    // The trail shows the search for Sam, with Sam's name beside the id.
    await page.goto(new URL('#/audit', devConsole.url).toString());
    await page.locator('.subject-name', { hasText: PERSONAS.sam.name }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/audit-names.png` });
    await page.close();
  });

  it('a team manager records a decision not to share for their client; the DPO lists it; the DPO grants and revokes a trustee’s access', async () => {
    const page = await openPage();
    await signInAs(page, /team manager \(North\)/);
    await page.goto(new URL('#/decisions', devConsole.url).toString());
    await page.getByLabel('Client', { exact: true }).selectOption({ label: PERSONAS.ordinaryClient.name });
    await page.getByLabel('Requesting organisation').fill('Northshire Tenancy Services');
    await page.getByLabel('Purpose they gave').fill('Tenancy review');
    await page.getByLabel('Contact').check();
    await page.getByLabel('Case notes').check();
    await page.getByLabel('Why it was refused').fill('No consent and no lawful basis; the tenancy review does not need case notes.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.locator('[role="status"].answer').textContent()).toMatch(/^Recorded /);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, /data protection officer/);
    await page.goto(new URL('#/decisions', devConsole.url).toString());
    const decision = page.locator('tr[data-decision-id]', { hasText: 'Northshire Tenancy Services' });
    await decision.waitFor();
    expect(await decision.textContent()).toContain('Contact, Case notes');
    await page.screenshot({ path: `${SHOTS}/decisions-not-to-share.png`, fullPage: true });

    await page.goto(new URL('#/trustee-grants', devConsole.url).toString());
    await page.getByLabel('Name', { exact: true }).fill(PERSONAS.ordinaryClient.name);
    await page.getByLabel('Date of birth').fill(await dateOfBirthOf(PERSONAS.ordinaryClient.clientId));
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => page.locator('.person-search').textContent()).toContain('One record matches');
    await page.getByLabel('Trustee id').fill(PERSONAS.trustee);
    await page.getByLabel('Complaint reference').fill('CMP-CONSOLE-1');
    await page.getByRole('button', { name: 'Grant access' }).click();
    const grant = page.locator('tr[data-grant-id]', { hasText: 'CMP-CONSOLE-1' });
    await expect.poll(() => grant.textContent()).toContain('Active');
    await page.screenshot({ path: `${SHOTS}/trustee-grants.png`, fullPage: true });
    await grant.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => grant.textContent()).toContain('Revoked');
    // The trustee's grant is really gone: their list of granted records no longer has Alex.
    const granted = await t.query(await t.token(trustee), '{ myGrantedRecords { name } }');
    expect(JSON.stringify(granted.body.data)).not.toContain(PERSONAS.ordinaryClient.name);
    await page.close();
  });

  it('a team manager sees their team’s caseload, restricted notices as the policy shows them', async () => {
    const page = await openPage();
    await signInAs(page, /team manager \(North\)/);
    await page.goto(new URL('#/team-caseload', devConsole.url).toString());
    // No id to type in: the page learns the manager's team from `me` and opens it.
    const table = page.locator('table.caseload');
    await table.waitFor();
    expect(await page.getByLabel('Team').locator('option:checked').textContent()).toBe('North housing team');

    // Exactly the clients the API gives this manager.
    const token = await t.token(NORTH_MANAGER);
    const teamId = t.idFor(NORTH_MANAGER, 'Team', PERSONAS.teams.north);
    const api = await t.query(token, 'query Q($id: ID!) { teamCaseload(teamId: $id) { name } }', { id: teamId });
    const names = (api.body.data as { teamCaseload: { name: string }[] }).teamCaseload.map((c) => c.name);
    expect(names.length).toBeGreaterThan(2);
    expect((await table.locator('tbody th').allTextContents()).sort()).toEqual([...names].sort());

    const sam = table.locator('tr', { hasText: PERSONAS.sam.name });
    await expect.poll(() => sam.textContent()).toMatch(/Restricted — contact Morgan Hale/);
    expect(await table.locator('tr', { hasText: PERSONAS.ordinaryClient.name }).textContent()).toContain('None');
    await page.screenshot({ path: `${SHOTS}/team-caseload.png`, fullPage: true });

    // Control: another team's caseload is refused, and the page says so.
    await page.getByLabel('Team').selectOption({ label: 'South mental health team' });
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('Forbidden');
    await page.close();
  });

  it('the role lens shows Sam’s two records side by side with nothing linking them', async () => {
    const page = await openPage('#/lens');
    const pair = page.locator('.lens-pair');
    await pair.waitFor({ timeout: 30_000 });
    const hr = pair.locator('[data-lens-column="hr"]');
    const care = pair.locator('[data-lens-column="keyworker"]');
    const hrText = (await hr.textContent()) ?? '';
    const careText = (await care.textContent()) ?? '';

    // Both records really are there: HR's with employment data, the keyworker's with the case.
    expect(hrText).toContain(PERSONAS.sam.name);
    expect(hrText).toMatch(/Payroll number\s*\S/);
    expect(hrText).toContain('Trainee support worker');
    expect(careText).toContain(PERSONAS.sam.name);
    expect(careText).toContain('Restricted — contact Morgan Hale');
    expect(careText).toContain('Riley Ashdown');

    // Nothing links them: different ids, neither mentions the other's id, no link, no hint.
    const hrId = ((await hr.locator('dd.ref').textContent()) ?? '').trim();
    const careId = ((await care.locator('dd.ref').textContent()) ?? '').trim();
    expect(hrId).not.toBe('none');
    expect(careId).not.toBe('none');
    expect(hrId).not.toBe(careId);
    expect(careText).not.toContain(hrId);
    expect(hrText).not.toContain(careId);
    expect(await pair.locator('a').count()).toBe(0);
    expect(hrText).not.toMatch(/client|service user|restrict|keyworker|case note|consent/i);
    // The keyworker is in the designated circle, so the sealed reason is theirs to see; no
    // employment data, and nothing of HR's record, is.
    expect(careText).not.toMatch(/payroll|post\b|line manager|contract|DBS|trainee|South mental health/i);
    const hrValues = await columnValues(hr);
    const careValues = await columnValues(care);
    expect([...hrValues].filter((v) => careText.includes(v))).toEqual([]);
    expect([...careValues].filter((v) => hrText.includes(v))).toEqual([]);
    expect(await pair.locator('[data-verdict]').getAttribute('data-verdict')).toBe('unlinked');

    // Control: the same check finds what two care views of one client share (the manager to contact).
    const other = page.locator('[data-lens-column="other-worker"]');
    const otherValues = await columnValues(other);
    expect([...(await columnValues(care))].filter((v) => otherValues.has(v)).length).toBeGreaterThan(0);
    expect(await other.textContent()).toContain('withheld');
    // The agency with Sam's consent sees what it releases; the one without sees nothing of Sam.
    expect(await page.locator('[data-lens-column="nhs"]').textContent()).toMatch(/Phone\s*\S/);
    expect(await page.locator('[data-lens-column="council"]').textContent()).not.toContain(PERSONAS.sam.name);
    await page.screenshot({ path: `${SHOTS}/role-lens-sam.png`, fullPage: true });

    // Usable on a phone: the two records stack, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    // A string, so this file needs no DOM types: it runs in the page.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/role-lens-sam-phone.png` });
    await page.close();
  });
});
