import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertCollection, type PrivacyAlert } from '../gateway/alerts/privacy-alert.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { readGatewayConfig } from '../gateway/config.js';
import { retryAfterMs } from '../gateway/limits/lookup-rate-limit.js';
import { formatGatewayError } from '../gateway/start-gateway.js';
import { ConfigError } from '../platform/env.js';
import { PERSONAS } from '../seed/personas.js';
import { ROLES, type Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { PRINCIPAL_BY_ROLE, dpo, teamManagerNorth as managerNorth, teamManagerSouth as managerSouth } from './support/principals.js';

/**
 * Issue 9, class 3 (docs/INVARIANTS.md#12 and the "Emergency call" scenario): the emergency
 * lookup says yes or no for restricted records too, so walking HR's staff list through it finds
 * the employees who are also clients. It must not be a quiet oracle: each duty officer has a
 * limit (counted in the database, so across replicas, with aliases and fragments counted one
 * by one), and every lookup that matches a restricted record raises an alert for the DPO and the
 * client's team manager, which the DPO closes with an outcome; both on the audit trail.
 */

const CALLER = { organisation: 'Northshire General A&E', name: 'Dr A. Example', reason: 'Patient brought in unconscious' };
const LOOKUP = `query L($name: String!, $dob: String!, $caller: EmergencyCallerInput!) {
  emergencyLookup(name: $name, dateOfBirth: $dob, caller: $caller) { known contact { name workPhone } }
}`;
/** Limits for the limited stack and its replica. */
const LIMITED = { EMERGENCY_LOOKUP_LIMIT: '5', EMERGENCY_LOOKUP_WINDOW_MINUTES: '60' };

const duty = (sub: string): Principal => ({ role: 'duty_officer', sub });

let open: TestStack;
let limited: TestStack;
let replica: TestStack;
let proxy: TcpProxy;

beforeAll(async () => {
  const target = new URL(inject('mongodbUri'));
  proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
  // "Effectively off": the control for the limit, and room to walk the whole staff list for the alerts.
  [open, limited] = await Promise.all([
    startTestStack({ env: { EMERGENCY_LOOKUP_LIMIT: '1000' } }),
    startTestStack({ env: LIMITED, auditMongoUri: `mongodb://127.0.0.1:${proxy.port}/` }),
  ]);
  replica = await startTestStack({ prefix: limited.prefix, env: LIMITED });
}, 120_000);
afterAll(async () => {
  await replica?.close();
  await Promise.all([open?.close(), limited?.close()]);
  await proxy?.close();
});

async function lookup(t: TestStack, principal: Principal, name: string, dob: string, caller = CALLER) {
  return t.query(await t.token(principal), LOOKUP, { name, dob, caller });
}

async function get(t: TestStack, principal: Principal | undefined, path: string) {
  const response = await fetch(new URL(path, t.gatewayUrl), { headers: principal ? { authorization: `Bearer ${await t.token(principal)}` } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function post(t: TestStack, principal: Principal | undefined, path: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(new URL(path, t.gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': contentType, ...(principal ? { authorization: `Bearer ${await t.token(principal)}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function entries(t: TestStack): Promise<AuditEntry[]> {
  return auditCollection(t.db('audit'))
    .find({}, { sort: { _id: 1 } })
    .toArray();
}

async function alertsBy(t: TestStack, sub: string): Promise<PrivacyAlert<'EMERGENCY_LOOKUP_RESTRICTED'>[]> {
  // Only lookups raise alerts in this file.
  return (await alertCollection(t.db('audit')).find({ 'actor.ref': sub }).toArray()) as PrivacyAlert<'EMERGENCY_LOOKUP_RESTRICTED'>[];
}

const normalise = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** HR's staff list (what the issue walked), and which of them the client database knows as current clients. */
async function staffList(t: TestStack) {
  const employees = await t
    .db('hr')
    .collection<EmployeeDoc>('employees')
    .find({}, { projection: { name: 1, dateOfBirth: 1 } })
    .toArray();
  const clients = await t.db('clients').collection<ClientDoc>('clients').find({ status: 'OPEN' }).toArray();
  const clientOf = (e: Pick<EmployeeDoc, 'name' | 'dateOfBirth'>) =>
    clients.find((c) => c.dateOfBirth === e.dateOfBirth && normalise(c.name) === normalise(e.name));
  return { employees, clientOf };
}

const codes = (body: GraphQLResponseBody) => (body.errors ?? []).map((error) => error.extensions?.code);

function expectRateLimited(status: number, body: GraphQLResponseBody) {
  expect(status).toBe(429);
  expect(body.data ?? null).toBeNull();
  expect(codes(body)).toEqual(['RATE_LIMITED']);
  const retry = body.errors?.[0]?.extensions?.retryAfterSeconds as number;
  // A sliding window: the full count can take up to two windows to fall below the limit again.
  expect(Number.isInteger(retry) && retry >= 1 && retry <= 2 * 3_600).toBe(true);
  expect(body.errors?.[0]?.message).toMatch(/at most 5 in any 60 minutes.*try again in \d+ seconds/);
}

/** Lookups the clients subgraph was asked for since the last reset. */
const lookupsSent = (t: TestStack) => t.subgraphOperations.filter((op) => op.query.includes('emergencyLookup')).length;

describe('configuration', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      readGatewayConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('defaults to 10 lookups in any 60 minutes, and refuses a limit that is off, absurd or not a number', () => {
    expect(readGatewayConfig({}).config.emergencyLookups).toEqual({ limit: 10, windowMinutes: 60 });
    expect(readGatewayConfig({ EMERGENCY_LOOKUP_LIMIT: '25', EMERGENCY_LOOKUP_WINDOW_MINUTES: '30' }).config.emergencyLookups).toEqual({
      limit: 25,
      windowMinutes: 30,
    });
    expect(problemsOf({ EMERGENCY_LOOKUP_LIMIT: '0' })).toEqual([expect.stringMatching(/EMERGENCY_LOOKUP_LIMIT must be between 1 and 1000/)]);
    expect(problemsOf({ EMERGENCY_LOOKUP_LIMIT: 'ten' })).toEqual([expect.stringMatching(/EMERGENCY_LOOKUP_LIMIT must be a whole number/)]);
    expect(problemsOf({ EMERGENCY_LOOKUP_WINDOW_MINUTES: '0' })).toEqual([expect.stringMatching(/EMERGENCY_LOOKUP_WINDOW_MINUTES must be between 1 and 1440/)]);
    expect(readGatewayConfig({}).variables).toEqual(expect.arrayContaining(['EMERGENCY_LOOKUP_LIMIT', 'EMERGENCY_LOOKUP_WINDOW_MINUTES']));
  });

  it('says when to retry: as the previous window fades, or once the current one has', () => {
    const hour = 3_600_000;
    const rate = { limit: 10, windowMs: hour };
    // 10 in the previous window, 2 in this one, a quarter in: 8 of the previous still count (7.5,
    // rounded against the caller); one more fits once at most 7 do, 30% in: 5% of an hour away.
    expect(retryAfterMs(rate, 10, 2, 1, 0.25)).toBeCloseTo(0.05 * hour, 3);
    // This window is full: wait for it to end, then for a tenth of it to fade.
    expect(retryAfterMs(rate, 0, 10, 1, 0.5)).toBeCloseTo(0.6 * hour, 3);
    // More than the limit never fits at once; a whole budget is free now.
    expect(retryAfterMs(rate, 0, 0, 11, 0.5)).toBe(0);
    expect(retryAfterMs(rate, 0, 4, 11, 0.5)).toBeCloseTo(0.5 * hour + hour, 3);
  });

  it('keeps when to retry in production error answers, which otherwise carry only the code', () => {
    const formatted = formatGatewayError(false)({ message: 'Too many', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42, stacktrace: ['at x'] } });
    expect(formatted).toEqual({ message: 'Too many', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42 } });
    expect(formatGatewayError(false)({ message: 'Forbidden', extensions: { code: 'FORBIDDEN', stacktrace: ['at x'] } })).toEqual({
      message: 'Forbidden',
      extensions: { code: 'FORBIDDEN' },
    });
  });
});

describe('the reported route: walking HR’s staff list through the emergency lookup', () => {
  it('control: with the limit effectively off, 80 lookups go through and the known answers pick out the service-user employees', async () => {
    const walker = duty('stf_9001');
    const { employees, clientOf } = await staffList(open);
    expect(employees.length).toBe(60);
    const known = new Set<string>();
    const shapes = new Set<string>();
    const list = [...employees, ...Array.from({ length: 80 - employees.length }, (_, i) => ({ name: `Nobody Known ${i}`, dateOfBirth: '1970-01-01' }))];
    for (const person of list) {
      const { status, body } = await lookup(open, walker, person.name, person.dateOfBirth);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const answer = (body.data as { emergencyLookup: { known: boolean; contact: unknown } }).emergencyLookup;
      if (answer.known) known.add(person.name);
      // The duty officer sees no difference between a restricted match and any other.
      shapes.add(JSON.stringify(body).replace(/"name":"[^"]*"|"workPhone":"[^"]*"/g, ''));
      expect(JSON.stringify(body)).not.toMatch(/restrict|SERVICE_USER|_ntk|team_/i);
    }
    const serviceUserEmployees = employees.filter((e) => clientOf(e)).map((e) => e.name);
    expect(serviceUserEmployees.length).toBeGreaterThanOrEqual(3);
    expect([...known].sort()).toEqual(serviceUserEmployees.sort());
    expect(shapes.size).toBe(2); // known (with a contact) and not known: nothing else
  }, 120_000);

  it('raises one alert per restricted match, with the caller’s details, for the DPO and the client’s team', async () => {
    const { employees, clientOf } = await staffList(open);
    const restricted = employees.map((e) => clientOf(e)).filter((c): c is ClientDoc => c?.restriction !== undefined);
    expect(restricted.map((c) => c._id)).toContain(PERSONAS.sam.clientId);
    const alerts = await alertsBy(open, 'stf_9001');
    expect(alerts).toHaveLength(restricted.length);
    expect(alerts.map((a) => a.subject.ref).sort()).toEqual(restricted.map((c) => open.idFor(dpo, 'Client', c._id)).sort());
    for (const alert of alerts) {
      const client = restricted.find((c) => open.idFor(dpo, 'Client', c._id) === alert.subject.ref) as ClientDoc;
      expect(alert).toMatchObject({
        kind: 'EMERGENCY_LOOKUP_RESTRICTED',
        actor: { role: 'duty_officer', ref: 'stf_9001' },
        details: { caller: CALLER },
        subject: { type: 'Client' },
        team: client.teamId,
        status: 'OPEN',
      });
      expect(alert._id).toMatch(/^alert_/);
      expect(Date.now() - Date.parse(alert.raisedAt)).toBeLessThan(600_000);
      // Never a raw id, never the reason.
      expect(JSON.stringify(alert)).not.toContain(client._id);
      expect(JSON.stringify(alert)).not.toContain(client.restriction?.reason ?? '-');
    }
  });

  it('raises none for a known unrestricted client or an unknown person', async () => {
    const caller = duty('stf_9002');
    const alex = await open.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.ordinaryClient.clientId });
    const known = await lookup(open, caller, PERSONAS.ordinaryClient.name, alex?.dateOfBirth ?? '');
    expect((known.body.data as { emergencyLookup: { known: boolean } }).emergencyLookup.known).toBe(true);
    await lookup(open, caller, 'Nobody Known', '1970-01-01');
    expect(await alertsBy(open, 'stf_9002')).toEqual([]);
  });

  it('costs a restricted match no extra round trip to the trail: its alert entry goes in the same write as the read (no timing tell)', async () => {
    const caller = duty('stf_9004');
    const auditInserts = () =>
      open.commands
        // A writer's slot claim (gateway/audit/writer-slots.ts) is one insert per process, not per request.
        .filter(
          (c) => c.commandName === 'insert' && c.databaseName === `${open.prefix}audit` && c.command.insert !== 'rate_limits' && c.command.insert !== 'slots',
        )
        .map((c) => `${String(c.command.insert)}:${(c.command.documents as unknown[]).length}`);
    const token = await open.token(caller);
    open.resetCounters();
    await open.query(token, LOOKUP, { name: PERSONAS.sam.name, dob: PERSONAS.sam.dateOfBirth, caller: CALLER });
    // Concurrent writes: one of the trail (the alert's entry and the read's, together), one of the alert.
    expect(auditInserts().sort()).toEqual(['alerts:1', 'entries:2']);
    const alex = await open.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.ordinaryClient.clientId });
    open.resetCounters();
    await open.query(token, LOOKUP, { name: PERSONAS.ordinaryClient.name, dob: alex?.dateOfBirth, caller: CALLER });
    expect(auditInserts()).toEqual(['entries:1']);
  });

  it('raises one alert per aliased or fragment lookup that matches, each with its own caller', async () => {
    const caller = duty('stf_9003');
    const sam = `name: "${PERSONAS.sam.name}", dateOfBirth: "${PERSONAS.sam.dateOfBirth}"`;
    const query = `query Q($police: EmergencyCallerInput! = { organisation: "Northshire Police", name: "PC Example", reason: "Welfare check" }) {
      ae: emergencyLookup(${sam}, caller: { organisation: "Northshire General A&E", name: "Nurse A", reason: "Collapsed" }) { known }
      ...F
      nobody: emergencyLookup(name: "Nobody Known", dateOfBirth: "1970-01-01", caller: $police) { known }
    }
    fragment F on Query { police: emergencyLookup(${sam}, caller: $police) { known } }`;
    const { body } = await open.query(await open.token(caller), query);
    expect(body).toEqual({ data: { ae: { known: true }, police: { known: true }, nobody: { known: false } } });
    const alerts = await alertsBy(open, 'stf_9003');
    expect(alerts.map((a) => a.details.caller.organisation).sort()).toEqual(['Northshire General A&E', 'Northshire Police']);
    expect(new Set(alerts.map((a) => a.subject.ref))).toEqual(new Set([open.idFor(dpo, 'Client', PERSONAS.sam.clientId)]));
  });
});

describe('the DPO’s oversight routes', () => {
  it('lists every alert to the DPO, newest first, with ids only the DPO’s audience knows', async () => {
    const { status, body } = await get(open, dpo, '/alerts');
    expect(status).toBe(200);
    const listed = body.alerts as Record<string, unknown>[];
    const stored = await alertCollection(open.db('audit')).find({}).toArray();
    expect(listed.map((a) => a.id).sort()).toEqual(stored.map((a) => a._id).sort());
    const raised = listed.map((a) => a.raisedAt as string);
    expect([...raised].sort().reverse()).toEqual(raised);
    const samAlert = listed.find((a) => a.subject === open.idFor(dpo, 'Client', PERSONAS.sam.clientId)) as Record<string, unknown>;
    expect(samAlert).toEqual({
      id: expect.stringMatching(/^alert_/),
      kind: 'EMERGENCY_LOOKUP_RESTRICTED',
      raisedAt: expect.any(String),
      actor: { role: 'duty_officer', ref: expect.stringMatching(/^stf_9/) },
      details: { caller: expect.objectContaining({ organisation: expect.any(String) }) },
      subject: open.idFor(dpo, 'Client', PERSONAS.sam.clientId),
      team: open.idFor(dpo, 'Team', PERSONAS.teams.north),
      status: 'OPEN',
    });
    expect(JSON.stringify(body)).not.toMatch(/cli_|team_north|team_south/);
  });

  it('closes alerts with each outcome and a note; closed ones leave the open list; a second close is refused', async () => {
    const open3 = ((await get(open, dpo, '/alerts?status=OPEN')).body.alerts as { id: string }[]).slice(0, 3);
    expect(open3).toHaveLength(3);
    const outcomes = ['JUSTIFIED', 'NOT_JUSTIFIED', 'REFERRED'] as const;
    for (const [i, outcome] of outcomes.entries()) {
      const { status, body } = await post(open, dpo, '/alerts/close', { id: open3[i]?.id, outcome, note: `  Checked with the caller (${outcome}).  ` });
      expect(status).toBe(200);
      expect(body.alert).toMatchObject({
        id: open3[i]?.id,
        status: 'CLOSED',
        outcome,
        note: `Checked with the caller (${outcome}).`,
        closedBy: { role: 'data_protection_officer', ref: dpo.sub },
        closedAt: expect.any(String),
      });
    }
    const again = await post(open, dpo, '/alerts/close', { id: open3[0]?.id, outcome: 'JUSTIFIED', note: 'again' });
    expect(again).toEqual({ status: 409, body: { errors: [{ message: 'this alert is already closed', extensions: { code: 'ALREADY_CLOSED' } }] } });

    const closed = (await get(open, dpo, '/alerts?status=CLOSED')).body.alerts as { id: string; outcome: string }[];
    expect(closed.map((a) => a.id).sort()).toEqual(open3.map((a) => a.id).sort());
    expect(closed.map((a) => a.outcome).sort()).toEqual([...outcomes].sort());
    const stillOpen = (await get(open, dpo, '/alerts?status=OPEN')).body.alerts as { id: string }[];
    expect(stillOpen.some((a) => open3.some((c) => c.id === a.id))).toBe(false);
  });

  it('refuses a close without an outcome, with an unknown outcome, without a note or with too long a note, and an unknown id, changing nothing', async () => {
    const [first] = (await get(open, dpo, '/alerts?status=OPEN')).body.alerts as { id: string }[];
    const id = first?.id as string;
    const bad = [
      { id, note: 'x' },
      { id, outcome: 'FINE', note: 'x' },
      { id, outcome: 'JUSTIFIED' },
      { id, outcome: 'JUSTIFIED', note: '   ' },
      { id, outcome: 'JUSTIFIED', note: 'x'.repeat(2_001) },
      { id, outcome: 'JUSTIFIED', note: 'x', status: 'CLOSED' },
      ['not', 'an', 'object'],
    ];
    for (const body of bad) {
      const answer = await post(open, dpo, '/alerts/close', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    expect((await post(open, dpo, '/alerts/close', { id: 'alert_nope', outcome: 'JUSTIFIED', note: 'x' })).status).toBe(404);
    expect((await alertCollection(open.db('audit')).findOne({ _id: id }))?.status).toBe('OPEN');
    // JSON only, and only by POST.
    expect((await post(open, dpo, '/alerts/close', { id, outcome: 'JUSTIFIED', note: 'x' }, 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await get(open, dpo, '/alerts/close')).status).toBe(405);
    expect((await alertCollection(open.db('audit')).findOne({ _id: id }))?.status).toBe('OPEN');
  });

  it('shows a team manager only the alerts about their own team’s clients, read-only, without the DPO’s working', async () => {
    const stored = await alertCollection(open.db('audit')).find({}).toArray();
    for (const manager of [managerNorth, managerSouth]) {
      const { status, body } = await get(open, manager, '/alerts');
      expect(status).toBe(200);
      const listed = body.alerts as Record<string, unknown>[];
      const theirs = stored.filter((a) => a.team === manager.team);
      expect(listed.map((a) => a.id).sort()).toEqual(theirs.map((a) => a._id).sort());
      for (const view of listed) {
        const alert = theirs.find((a) => a._id === view.id) as PrivacyAlert;
        const rawId = open.rawIdOf(dpo, 'Client', alert.subject.ref) as string;
        // The client by the id care staff use, so the manager can open the record.
        expect(view.subject).toBe(open.idFor(manager, 'Client', rawId));
        expect(Object.keys(view).sort()).toEqual(
          ['details', 'id', 'kind', 'raisedAt', 'status', 'subject', ...(alert.status === 'CLOSED' ? ['closedAt', 'outcome'] : [])].sort(),
        );
      }
      expect(JSON.stringify(body)).not.toMatch(/stf_9|cli_|Checked with the caller/);
    }
    const north = (await get(open, managerNorth, '/alerts')).body.alerts as { subject: string }[];
    expect(north.map((a) => a.subject)).toContain(open.idFor(managerNorth, 'Client', PERSONAS.sam.clientId));
    // Read-only.
    expect((await post(open, managerNorth, '/alerts/close', { id: stored[0]?._id, outcome: 'JUSTIFIED', note: 'x' })).status).toBe(403);
  });

  it('refuses every other role on both routes with the generic answer, and a caller without a token with 401', async () => {
    const forbidden = { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] };
    const [some] = await alertCollection(open.db('audit')).find({ status: 'OPEN' }).limit(1).toArray();
    for (const role of ROLES) {
      const principal = PRINCIPAL_BY_ROLE[role];
      const listing = await get(open, principal, '/alerts?status=OPEN');
      if (role === 'data_protection_officer' || role === 'team_manager') expect(listing.status).toBe(200);
      else expect(listing, role).toEqual({ status: 403, body: forbidden });
      if (role !== 'data_protection_officer') {
        expect(await post(open, principal, '/alerts/close', { id: some?._id, outcome: 'NOT_JUSTIFIED', note: 'not mine to close' }), role).toEqual({
          status: 403,
          body: forbidden,
        });
      }
    }
    expect((await get(open, undefined, '/alerts')).status).toBe(401);
    expect((await post(open, undefined, '/alerts/close', { id: some?._id, outcome: 'JUSTIFIED', note: 'x' })).status).toBe(401);
    expect((await alertCollection(open.db('audit')).findOne({ _id: some?._id }))?.status).toBe('OPEN');
  });

  it('puts raising, closing and reading alerts on the audit trail, and the chain still verifies (npm run audit:verify)', async () => {
    const trail = await entries(open);
    const stored = (await alertCollection(open.db('audit')).find({}).toArray()) as PrivacyAlert<'EMERGENCY_LOOKUP_RESTRICTED'>[];
    for (const alert of stored) {
      const raised = trail.filter((e) => e.action === 'alert-raised' && e.alert?.id === alert._id);
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({
        actor: alert.actor,
        requestId: alert.requestId,
        alert: { id: alert._id, kind: alert.kind },
        subjects: [{ type: 'Client', ref: alert.subject.ref, returned: [], denied: [] }],
        why: [{ field: 'Query.emergencyLookup', argument: 'caller', value: alert.details.caller }],
      });
      // Raised with the read that answered the lookup, in the same write.
      const read = trail.find((e) => e.action === 'read' && e.requestId === alert.requestId);
      expect(read && raised[0] && raised[0].segment === read.segment && Math.abs(raised[0].seq - read.seq) <= 2).toBe(true);
      if (alert.status === 'CLOSED') {
        const closing = trail.filter((e) => e.action === 'alert-closed' && e.alert?.id === alert._id);
        expect(closing).toHaveLength(1);
        expect(closing[0]).toMatchObject({
          actor: { role: 'data_protection_officer', ref: dpo.sub },
          alert: { outcome: alert.closure?.outcome, note: alert.closure?.note },
          subjects: [{ ref: alert.subject.ref }],
        });
      }
    }
    const reads = trail.filter((e) => e.action === 'read' && e.why?.some((w) => w.field === '/alerts'));
    expect(reads.some((e) => e.actor.role === 'team_manager' && e.subjects.length > 0)).toBe(true);
    expect(reads.some((e) => e.actor.role === 'data_protection_officer')).toBe(true);
    const byAction = await get(open, dpo, '/audit/entries?action=alert-raised&limit=500');
    expect((byAction.body.entries as AuditEntry[]).length).toBe(stored.length);

    expect(await verifyChain(await entries(open))).toMatchObject({ ok: true });
    const verify = await promisify(execFile)('npx', ['tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, NODE_ENV: 'test', MONGODB_URI: inject('mongodbUri'), MONGODB_DB_PREFIX: open.prefix },
    });
    expect(verify.stdout).toMatch(/audit trail intact: \d+ entries/);
  }, 60_000);
});

describe('the limit per duty officer', () => {
  it('refuses the reported walk past the limit with RATE_LIMITED and when to retry, forwarding nothing, on the trail', async () => {
    const walker = duty('stf_9101');
    const { employees } = await staffList(limited);
    let answered = 0;
    for (const [index, person] of employees.slice(0, 12).entries()) {
      limited.resetCounters();
      const { status, body } = await lookup(limited, walker, person.name, person.dateOfBirth);
      if (index < 5) {
        expect(body.errors).toBeUndefined();
        answered += 1;
        expect(lookupsSent(limited)).toBe(1);
      } else {
        expectRateLimited(status, body);
        expect(limited.subgraphRequests.clients).toBe(0);
        expect(lookupsSent(limited)).toBe(0);
      }
    }
    expect(answered).toBe(5);
    // The standard header too, for clients that honour it.
    const raw = await fetch(limited.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await limited.token(walker)}` },
      body: JSON.stringify({ query: LOOKUP, variables: { name: 'Anyone', dob: '1970-01-01', caller: CALLER } }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);

    const refusals = (await entries(limited)).filter((e) => e.action === 'refused' && e.actor.ref === 'stf_9101');
    expect(refusals).toHaveLength(12 - 5 + 1);
    expect(refusals[0]).toMatchObject({
      refusal: 'RATE_LIMITED',
      asked: ['Query.emergencyLookup'],
      why: [{ field: 'Query.emergencyLookup', argument: 'caller', value: CALLER }],
      subjects: [],
    });

    // Each duty officer has their own budget.
    const other = await lookup(limited, duty('stf_9102'), 'Nobody Known', '1970-01-01');
    expect(other.body.errors).toBeUndefined();
  });

  it('counts every aliased and fragment lookup in one request, and refuses the request whole', async () => {
    const officer = duty('stf_9103');
    const one = (alias: string) =>
      `${alias}: emergencyLookup(name: "Nobody ${alias}", dateOfBirth: "1970-01-01", caller: { organisation: "A&E", name: "Nurse", reason: "Emergency" }) { known }`;
    const six = `query { ${one('a')} ${one('b')} ${one('c')} ...F } fragment F on Query { ${one('d')} ... on Query { ${one('e')} ${one('f')} } }`;
    limited.resetCounters();
    const refused = await limited.query(await limited.token(officer), six);
    expectRateLimited(refused.status, refused.body);
    expect(refused.body.errors?.[0]?.message).toContain('This request asks for 6');
    expect(lookupsSent(limited)).toBe(0);

    const five = await limited.query(
      await limited.token(officer),
      `query { ${one('a')} ${one('b')} ${one('c')} ...F } fragment F on Query { ${one('d')} ${one('e')} }`,
    );
    expect(five.body.errors).toBeUndefined();
    expect(Object.keys(five.body.data ?? {})).toHaveLength(5);
    const sixth = await limited.query(await limited.token(officer), `query { ${one('z')} }`);
    expectRateLimited(sixth.status, sixth.body);
  });

  it('holds across two gateway replicas over the same databases, even when they are asked at once', async () => {
    const officer = duty('stf_9104');
    const tokens = await Promise.all([limited.token(officer), replica.token(officer)]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? limited : replica).query(tokens[i % 2] as string, LOOKUP, { name: `Nobody ${i}`, dob: '1970-01-01', caller: CALLER }),
      ),
    );
    expect(results.filter((r) => r.status === 200 && r.body.errors === undefined)).toHaveLength(5);
    for (const refused of results.filter((r) => r.status !== 200)) expectRateLimited(refused.status, refused.body);
    for (const t of [limited, replica]) {
      const later = await lookup(t, officer, 'Nobody Later', '1970-01-01');
      expectRateLimited(later.status, later.body);
    }
  });

  it('fails closed while the counters cannot be reached, and recovers', async () => {
    const officer = duty('stf_9105');
    await proxy.cut();
    try {
      limited.resetCounters();
      const during = await lookup(limited, officer, PERSONAS.sam.name, PERSONAS.sam.dateOfBirth);
      expect(during.status).toBe(503);
      expect(during.body.data ?? null).toBeNull();
      expect(codes(during.body)).toEqual(['RATE_LIMIT_UNAVAILABLE']);
      expect(lookupsSent(limited)).toBe(0);
    } finally {
      await proxy.restore();
    }
    let after = await lookup(limited, officer, PERSONAS.sam.name, PERSONAS.sam.dateOfBirth);
    for (let attempt = 0; attempt < 20 && after.body.errors; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await lookup(limited, officer, PERSONAS.sam.name, PERSONAS.sam.dateOfBirth);
    }
    expect(after.body.data).toEqual({ emergencyLookup: { known: true, contact: { name: 'Morgan Hale', workPhone: expect.any(String) } } });
    expect(await alertsBy(limited, 'stf_9105')).toHaveLength(1);
  });
});
