import type { IncomingMessage } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { ConfigError, type Env } from './env.js';

/**
 * OpenTelemetry traces (gateway → subgraph → database), off unless the standard `OTEL_*`
 * variables ask for them. Everything here goes through the OpenTelemetry API, which is a no-op
 * until `startTracing` registers a provider, so with tracing off nothing is loaded or recorded.
 *
 * The threat is a trace backend (run by someone else, kept for months) holding personal data:
 * GraphQL variables, query text, database commands with their values, URLs with query strings,
 * error messages quoting a stored value (a duplicate key error names the key). So spans are
 * made from fixed names and labels only, and every span passes `scrubSpan` on its way out:
 * attributes on an allow-list (values checked), events reduced to their names, status messages
 * dropped. A library that later adds an attribute (Apollo's `graphql.document`, say) is cut there.
 */

export const TRACER_NAME = 'needtoknow';

export type TracesExporterName = 'otlp' | 'console';

/** What the environment asks for: nothing, or which exporter. Standard semantics, off by default. */
export function tracingSettings(env: Env): { exporter: TracesExporterName; serviceName: string | undefined } | undefined {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  if (value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const named = value('OTEL_TRACES_EXPORTER')?.toLowerCase();
  const endpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (named === undefined && endpoint === undefined) return undefined;
  const exporter = named ?? 'otlp';
  if (exporter === 'none') return undefined;
  const problems: string[] = [];
  if (exporter !== 'otlp' && exporter !== 'console') problems.push(`OTEL_TRACES_EXPORTER must be otlp, console or none, got "${exporter}"`);
  const protocol = value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol !== undefined && protocol !== 'http/json') problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL: only http/json is supported, got "${protocol}"`);
  if (problems.length > 0) throw new ConfigError('tracing', problems);
  return { exporter: exporter as TracesExporterName, serviceName: value('OTEL_SERVICE_NAME') };
}

export interface Tracing {
  /** Flushes what is buffered and stops; spans after this are dropped. */
  shutdown(): Promise<void>;
}

let active = false;

/** True once `startTracing` registered a provider: database clients then report their commands. */
export function tracingActive(): boolean {
  return active;
}

/**
 * Starts tracing when the environment asks for it (or a test passes its own exporter), and
 * registers the W3C trace-context propagator. Returns undefined, having loaded nothing, otherwise.
 */
export async function startTracing(defaultServiceName: string, env: Env, options: { exporter?: SpanExporter } = {}): Promise<Tracing | undefined> {
  const settings = options.exporter ? { exporter: 'otlp' as const, serviceName: undefined } : tracingSettings(env);
  if (!settings) return undefined;
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter } = await import('@opentelemetry/sdk-trace-base');
  const { Resource } = await import('@opentelemetry/resources');
  let processor;
  if (options.exporter) {
    // A test's exporter sees each span as it ends, scrubbed exactly as a real export would be.
    processor = new SimpleSpanProcessor(new ScrubbingExporter(options.exporter));
  } else if (settings.exporter === 'console') {
    processor = new SimpleSpanProcessor(new ScrubbingExporter(new ConsoleSpanExporter()));
  } else {
    // Endpoint, headers and timeout come from the standard OTEL_EXPORTER_OTLP_* variables.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new ScrubbingExporter(new OTLPTraceExporter()));
  }
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': settings.serviceName ?? defaultServiceName }),
    spanProcessors: [processor],
  });
  // AsyncLocalStorage context and the W3C `traceparent` propagator (the SDK's defaults).
  provider.register();
  active = true;
  return {
    async shutdown() {
      active = false;
      // A collector that is down costs the last spans, never a clean exit.
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

// ---------------------------------------------------------------------------------------------
// HTTP: one server span per request, one client span per subgraph fetch.

/**
 * Opens the span for one incoming request. Only a subgraph continues the caller's trace: the
 * gateway is the public edge and starts its own (a client's `traceparent` is not trusted to
 * join our traces). The URL is never recorded: its path is labelled later and its query string
 * (GET GraphQL variables) is the caller's to fill.
 */
export function startServerSpan(req: IncomingMessage, options: { component: string; trustIncomingContext: boolean }): { span: Span; context: Context } {
  const parent = options.trustIncomingContext ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
  const method = httpMethodLabel(req.method);
  const span = tracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'needtoknow.component': options.component } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Closes the server span with the route label, status and operation (as the access log has them). */
export function endServerSpan(
  span: Span,
  facts: { method: string | undefined; route: string; status: number; operation?: { name?: string; type?: string } | undefined },
): void {
  const method = httpMethodLabel(facts.method);
  span.updateName(`${method} ${facts.route}`);
  span.setAttributes({ 'http.route': facts.route, 'http.response.status_code': facts.status });
  if (facts.operation?.name) span.setAttribute('graphql.operation.name', facts.operation.name);
  if (facts.operation?.type) span.setAttribute('graphql.operation.type', facts.operation.type);
  if (facts.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** A client span for one subgraph fetch; `traceparent` goes in `headers` from inside `run`. */
export async function withSubgraphFetchSpan<T>(subgraph: string, operationName: string | undefined, run: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(`subgraph ${subgraph}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'needtoknow.subgraph': subgraph, ...(operationName ? { 'graphql.operation.name': operationName } : {}) },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), run);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** Adds `traceparent` (and `tracestate`) for the active span; nothing when tracing is off. */
export function injectTraceContext(headers: { set(name: string, value: string): unknown }): void {
  propagation.inject(context.active(), headers, { set: (carrier, key, value) => void carrier.set(key, value) });
}

function httpMethodLabel(method: string | undefined): string {
  return method && /^(GET|POST|OPTIONS|HEAD|PUT|DELETE|PATCH)$/.test(method) ? method : 'OTHER';
}

// ---------------------------------------------------------------------------------------------
// Database: a span per command from the driver's command monitoring, named by the command only.

/** Commands whose first value is the collection name (a schema name, never data). */
const COLLECTION_COMMANDS = new Set([
  'find',
  'insert',
  'update',
  'delete',
  'aggregate',
  'count',
  'distinct',
  'findAndModify',
  'createIndexes',
  'listIndexes',
  'drop',
]);
/** Credentials and handshakes are nobody's business in a trace. */
const UNTRACED_COMMANDS = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'saslStart',
  'saslContinue',
  'authenticate',
  'getnonce',
  'copydbgetnonce',
  'createUser',
  'updateUser',
]);

/**
 * Reports `client`'s commands as spans under whatever span is active when the command is sent
 * (the driver emits `commandStarted` in the caller's async context). The command document,
 * its reply and its failure message are never read: only the command's name, the database's
 * and the collection's, and the server's error code name. The client must have been made with
 * `monitorCommands` (connectMongo does that while tracing is active).
 */
export function traceMongoCommands(client: MongoClient): void {
  if (!active) return;
  const open = new Map<string, Span>();
  const key = (event: { requestId: number; address: string }) => `${event.address}#${event.requestId}`;
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (!active || UNTRACED_COMMANDS.has(event.commandName)) return;
    const target = (event.command as Record<string, unknown>)[event.commandName];
    const collection = COLLECTION_COMMANDS.has(event.commandName) && typeof target === 'string' && /^[\w.-]{1,64}$/.test(target) ? target : undefined;
    const span = tracer().startSpan(`mongodb ${event.commandName}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'mongodb',
        'db.operation': event.commandName,
        'db.name': event.databaseName,
        ...(collection ? { 'db.mongodb.collection': collection } : {}),
      },
    });
    open.set(key(event), span);
  });
  const finish = (event: CommandSucceededEvent | CommandFailedEvent, failed: boolean) => {
    const span = open.get(key(event));
    if (!span) return;
    open.delete(key(event));
    if (failed) {
      const codeName =
        (event as CommandFailedEvent).failure instanceof Error ? ((event as CommandFailedEvent).failure as { codeName?: unknown }).codeName : undefined;
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', typeof codeName === 'string' && /^\w{1,64}$/.test(codeName) ? codeName : 'failed');
    }
    span.end();
  };
  client.on('commandSucceeded', (event) => finish(event, false));
  client.on('commandFailed', (event) => finish(event, true));
}

// ---------------------------------------------------------------------------------------------
// The last gate: only allow-listed attributes with checked values leave the process.

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const LABEL = /^[\w./ -]{1,100}$/;
type AttributeCheck = (value: unknown) => boolean;
const isString =
  (pattern: RegExp): AttributeCheck =>
  (value) =>
    typeof value === 'string' && pattern.test(value);
const isNumber: AttributeCheck = (value) => typeof value === 'number' && Number.isFinite(value);

const ALLOWED_ATTRIBUTES: Readonly<Record<string, AttributeCheck>> = {
  'http.request.method': isString(/^[A-Z]{1,10}$/),
  'http.route': isString(/^\/[\w./-]{0,100}$|^other$/),
  'http.response.status_code': isNumber,
  // Operation names are client-chosen: a GraphQL name or nothing (as the access log has them).
  'graphql.operation.name': isString(NAME),
  'graphql.operation.type': isString(/^(query|mutation|subscription|unknown)$/),
  'needtoknow.component': isString(LABEL),
  'needtoknow.subgraph': isString(NAME),
  service: isString(NAME), // Apollo's gateway.fetch names the subgraph
  'db.system': isString(/^mongodb$/),
  'db.operation': isString(NAME),
  'db.name': isString(/^[\w-]{1,64}$/),
  'db.mongodb.collection': isString(/^[\w.-]{1,64}$/),
  'error.type': isString(NAME),
};

/** What of a span may be exported: allow-listed attributes, event names, no status message. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const attributes: Record<string, ReadableSpan['attributes'][string]> = {};
  for (const [name, value] of Object.entries(span.attributes)) {
    const check = ALLOWED_ATTRIBUTES[name];
    if (check?.(value)) attributes[name] = value;
  }
  // The prototype keeps the span's context, times, resource and links; own fields shadow the rest.
  const scrubbed = Object.create(span, {
    name: { value: LABEL.test(span.name) ? span.name : 'span', enumerable: true },
    attributes: { value: attributes, enumerable: true },
    // An exception event carries the error's message and stack: keep that it happened, not what it said.
    events: { value: span.events.map((event) => ({ name: NAME.test(event.name) ? event.name : 'event', time: event.time, attributes: {} })), enumerable: true },
    status: { value: { code: span.status.code }, enumerable: true },
    links: { value: span.links.map((link) => ({ context: link.context })), enumerable: true },
  }) as ReadableSpan;
  return scrubbed;
}

class ScrubbingExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  constructor(inner: SpanExporter) {
    this.#inner = inner;
  }
  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.#inner.export(spans.map(scrubSpan), resultCallback);
  }
  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
