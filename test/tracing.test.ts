import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../platform/env.js';
import { scrubSpan, startTracing, tracingActive, tracingSettings, TRACER_NAME, type Tracing } from '../platform/tracing.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { hr, keyworkerOfSam as keyworker, nhsTrust as nhs, otherSupportWorker as otherWorker, reporting } from './support/principals.js';

/** The personal fields read back below to check that no log, metric or span carries them. */
type PersonalFields = {
  name?: unknown;
  dateOfBirth?: unknown;
  phone?: unknown;
  niNumber?: unknown;
  address?: { line1?: unknown; postcode?: unknown };
  homeAddress?: { line1?: unknown; postcode?: unknown };
};

/**
 * OpenTelemetry traces (issue 11): off unless the standard OTEL_* variables ask; when on, one
 * trace runs gateway → subgraph → database, and no span, attribute or event carries any seeded
 * name, date of birth, address, phone or NI number, nor GraphQL variables or query text.
 * An in-memory exporter stands in for the collector, behind the same scrubbing as a real one.
 */

const CLIENT_VIEW =
  'query ClientView($id: ID!) { client(id: $id) { name dateOfBirth phone address { line1 postcode } restriction { reason contact { name } } } }';
const EMPLOYEE = 'query EmployeeView($id: ID!) { employee(id: $id) { name niNumber dateOfBirth } }';
const NOTE =
  'mutation Note($client: ID!, $at: String!, $text: String!) { recordCaseNote(clientId: $client, occurredAt: $at, venue: "Client\'s home", text: $text) { id } }';
// A client's own trace id: the gateway is the public edge and must not join it.
const CLIENT_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('tracing is off by default', () => {
  it('starts nothing without an OTEL variable, with OTEL_SDK_DISABLED=true, or with OTEL_TRACES_EXPORTER=none', async () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeUndefined();
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeUndefined();
    expect(await startTracing('needtoknow-test', {})).toBeUndefined();
    expect(tracingActive()).toBe(false);
    // The API stays the no-op one: nothing recorded, no traceparent on any outgoing request.
    const span = trace.getTracer(TRACER_NAME).startSpan('probe');
    expect(span.isRecording()).toBe(false);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    expect(headers).toEqual({});
    span.end();
  });

  it('a stack started without OTEL variables sends no traceparent to its subgraphs, even when a client sends one', async () => {
    const off = await startTestStack();
    try {
      const seen: (string | undefined)[] = [];
      for (const running of Object.values(off.stack.subgraphs))
        running.server.on('request', (req: { headers: Record<string, string | undefined> }) => void seen.push(req.headers.traceparent));
      const answer = await fetch(off.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await off.token(keyworker)}`, traceparent: CLIENT_TRACEPARENT },
        body: JSON.stringify({ query: CLIENT_VIEW, variables: { id: off.idFor(keyworker, 'Client', PERSONAS.sam.clientId) } }),
      });
      expect(await answer.text()).toContain(PERSONAS.sam.name);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((header) => header !== undefined)).toEqual([]);
      expect(tracingActive()).toBe(false);
    } finally {
      await off.close();
    }
  }, 60_000);

  it('is switched on by the standard variables, and refuses what it cannot honour', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({ exporter: 'otlp', serviceName: undefined });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces', OTEL_SERVICE_NAME: 'gw' })).toEqual({
      exporter: 'otlp',
      serviceName: 'gw',
    });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ exporter: 'console', serviceName: undefined });
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(ConfigError);
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/http\/json/);
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | undefined;
  let t: TestStack;

  beforeAll(async () => {
    tracing = await startTracing('needtoknow-test', {}, { exporter });
    // Started after tracing, so its database client (shared by the subgraphs) reports commands.
    t = await startTestStack();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const idOf = (span: ReadableSpan) => span.spanContext().spanId;
  const parentOf = (span: ReadableSpan) => spans().find((other) => idOf(other) === span.parentSpanId);
  const descendsFrom = (span: ReadableSpan, ancestor: ReadableSpan): boolean => {
    for (let at = parentOf(span), hops = 0; at && hops < 20; at = parentOf(at), hops += 1) if (idOf(at) === idOf(ancestor)) return true;
    return false;
  };
  /** Everything an exporter sends of a span (what the OTLP transformer reads). */
  const exported = (span: ReadableSpan) =>
    JSON.stringify({
      name: span.name,
      kind: span.kind,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      links: span.links,
      resource: span.resource.attributes,
    });

  async function post(principal: Principal, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token(principal)}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, text: await response.text() };
  }

  /** The gateway's server span for one operation, once it has ended (bounded wait; the span, not the time, is asserted). */
  async function gatewaySpanOf(operation: string): Promise<ReadableSpan | undefined> {
    for (let i = 0; i < 50; i += 1) {
      const found = spans().find((span) => span.attributes['needtoknow.component'] === 'gateway' && span.attributes['graphql.operation.name'] === operation);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  it('links the gateway, the subgraph fetch, the subgraph and its database commands in one trace', async () => {
    exporter.reset();
    const sam = t.idFor(keyworker, 'Client', PERSONAS.sam.clientId);
    const answer = await post(keyworker, CLIENT_VIEW, { id: sam }, { traceparent: CLIENT_TRACEPARENT });
    expect(answer.text).toContain(PERSONAS.sam.name);

    const root = await gatewaySpanOf('ClientView');
    expect(root, 'the gateway span').toBeDefined();
    if (!root) return;
    const traceId = root.spanContext().traceId;
    expect(traceId, 'a client traceparent is not joined at the public edge').not.toBe(CLIENT_TRACEPARENT.split('-')[1]);
    expect(root.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200, 'graphql.operation.type': 'query' });
    const inTrace = spans().filter((span) => span.spanContext().traceId === traceId);

    const fetchSpan = inTrace.find((span) => span.attributes['needtoknow.subgraph'] === 'clients');
    expect(fetchSpan, 'the gateway → clients fetch').toBeDefined();
    const subgraphSpan = inTrace.find((span) => span.attributes['needtoknow.component'] === 'subgraph-clients');
    expect(subgraphSpan, 'the clients subgraph continued the trace (traceparent)').toBeDefined();
    if (!fetchSpan || !subgraphSpan) return;
    expect(descendsFrom(fetchSpan, root)).toBe(true);
    expect(subgraphSpan.parentSpanId).toBe(idOf(fetchSpan));
    const dbSpans = inTrace.filter((span) => span.attributes['db.system'] === 'mongodb' && descendsFrom(span, subgraphSpan));
    expect(dbSpans.map((span) => span.attributes['db.name'])).toContain(`${t.prefix}clients`);
    expect(dbSpans.some((span) => span.attributes['db.operation'] === 'find' && span.attributes['db.mongodb.collection'] === 'clients')).toBe(true);
  });

  it('no span attribute, event, status or name holds a seeded name, date of birth, address, phone, NI number, variable or query text', async () => {
    exporter.reset();
    // A scenario over every kind of request: reads (three roles, a denial among them), an HR
    // read with NI numbers, a write whose text quotes a name and an address, a route, a GET
    // with variables in its query string.
    const noteText = `Met ${PERSONAS.sam.name} at ${'14 Tanner Row'}`;
    for (const who of [keyworker, otherWorker, nhs]) await post(who, CLIENT_VIEW, { id: t.idFor(who, 'Client', PERSONAS.sam.clientId) });
    const employee = await post(hr, EMPLOYEE, { id: t.idFor(hr, 'Employee', PERSONAS.sam.employeeId) });
    expect(employee.text).toMatch(/niNumber":"[A-Z]{2}/);
    const note = await post(keyworker, NOTE, { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at: new Date().toISOString(), text: noteText });
    expect(note.text).toContain('recordCaseNote');
    const reporter = await t.token(reporting);
    expect((await fetch(`${new URL(t.gatewayUrl).origin}/reports/headcount.csv`, { headers: { authorization: `Bearer ${reporter}` } })).status).toBe(200);
    const get = new URL(t.gatewayUrl);
    get.searchParams.set('query', CLIENT_VIEW);
    get.searchParams.set('variables', JSON.stringify({ id: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) }));
    await fetch(get, { headers: { authorization: `Bearer ${await t.token(keyworker)}`, 'apollo-require-preflight': 'true' } });
    expect(await gatewaySpanOf('EmployeeView')).toBeDefined();
    // A careless attribute and an exception event added by code under a request: the exporter cuts them.
    const careless = trace.getTracer(TRACER_NAME).startSpan('careless');
    careless.setAttribute('client.name', PERSONAS.sam.name);
    careless.recordException(new Error(`duplicate key { name: "${PERSONAS.sam.name}" }`));
    careless.setStatus({ code: SpanStatusCode.ERROR, message: PERSONAS.sam.name });
    careless.end();

    const clients = await t
      .db('clients')
      .collection<PersonalFields>('clients')
      .find({}, { projection: { name: 1, dateOfBirth: 1, address: 1, phone: 1 } })
      .toArray();
    const employees = await t
      .db('hr')
      .collection<PersonalFields>('employees')
      .find({}, { projection: { name: 1, dateOfBirth: 1, homeAddress: 1, niNumber: 1 } })
      .toArray();
    const needles = new Set<string>([noteText.toLowerCase(), '14 tanner row', 'query clientview(', 'query employeeview(', 'recordcasenote(']);
    for (const person of [...clients, ...employees]) {
      for (const value of [
        person.name,
        person.dateOfBirth,
        person.phone,
        person.niNumber,
        person.address?.line1,
        person.address?.postcode,
        person.homeAddress?.line1,
        person.homeAddress?.postcode,
      ]) {
        if (typeof value === 'string' && value.length >= 5) needles.add(value.toLowerCase());
      }
    }
    expect(needles.size).toBeGreaterThan(100);
    const all = spans();
    const haystack = all.map(exported).join('\n').toLowerCase();
    const found = (text: string) => [...needles].filter((needle) => text.includes(needle));

    // The haystack is real: spans of every kind were exported.
    expect(all.some((span) => span.attributes['db.operation'] === 'insert')).toBe(true);
    expect(all.some((span) => span.attributes['needtoknow.component'] === 'subgraph-hr')).toBe(true);
    expect(all.some((span) => span.name === 'gateway.fetch')).toBe(true);
    expect(haystack).toContain('careless');
    // Control: without the scrubbing, the careless span would leak (so the search can find a leak).
    const raw = all.find((span) => span.name === 'careless');
    expect(raw).toBeDefined();
    if (raw) {
      const unscrubbed = Object.getPrototypeOf(raw) as ReadableSpan;
      expect(found(exported(unscrubbed).toLowerCase())).toContain(PERSONAS.sam.name.toLowerCase());
      expect(found(exported(scrubSpan(unscrubbed)).toLowerCase())).toEqual([]);
      expect(raw.events.map((event) => [event.name, event.attributes])).toEqual([['exception', {}]]);
    }
    expect(found(haystack)).toEqual([]);
    // No URL, no query string, no statement, no variables, whatever their key.
    expect(haystack).not.toMatch(/\?query=|variables|http\.url|url\.full|url\.query|db\.statement|graphql\.document/);
  });
});
