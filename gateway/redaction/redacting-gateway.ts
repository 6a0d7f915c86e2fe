import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { execute, GraphQLError, Kind, print, type GraphQLSchema, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { audienceOf } from '../../shield/audience.js';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from '../../shield/circles.js';
import type { IdCodec } from '../../shield/opaque-ids.js';
import { ID_ARGUMENTS, policyFor } from '../../shield/rules.js';
import type { GatewayContext } from '../context.js';
import { AccessRecorder, AUDIT_NEEDS } from '../audit/access-recorder.js';
import type { AuditRecord } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../../shield/roles.js';
import { buildRedactionSchema, type RedactionContext } from './redaction-schema.js';
import { rewriteOperation, RewriteError, type FieldPolicy } from './rewrite-operation.js';

/**
 * Wraps @apollo/gateway so that the shield really applies: the gateway executes query plans
 * and never calls its schema's resolvers, so rules attached to its schema would do nothing.
 * Each request is (1) rewritten for the caller's role before planning, (2) planned and
 * fetched by the real gateway, (3) re-executed as the client wrote it over the fetched
 * result on a schema guarded by graphql-shield.
 */

const SHIELD_POLICY: FieldPolicy = {
  decide: (typeName, fieldName, role) => policyFor(typeName, fieldName)?.decide(role) ?? 'deny',
  needs: (typeName, fieldName, role) => policyFor(typeName, fieldName)?.needsFor(role) ?? {},
  idArgumentType: (typeName, fieldName, argumentName) => ID_ARGUMENTS[`${typeName}.${fieldName}`]?.[argumentName],
  alwaysNeeds: (typeName) => AUDIT_NEEDS[typeName],
};

/** The audit audience: subjects are recorded under the ids the DPO sees, never raw ids. */
const AUDIT_AUDIENCE = 'dpo';

function auditUnavailable(): GraphQLError {
  return new GraphQLError('The audit trail is unavailable, so no personal data was returned. Try again shortly.', {
    extensions: { code: 'AUDIT_UNAVAILABLE' },
  });
}

type Executor = GatewayExecutor;
type RequestContext = GatewayGraphQLRequestContext<GatewayContext>;
type ExecutionErrors = readonly (GraphQLError | GraphQLFormattedError)[];

function pathKey(path: readonly (string | number)[] | undefined): string {
  return path ? path.join('.') : '';
}

/** Errors about data fetched only for rules must not reveal that it was fetched. */
function isInternalError(error: GraphQLError | GraphQLFormattedError): boolean {
  return (error.path ?? []).some((segment) => typeof segment === 'string' && segment.startsWith(INTERNAL_ALIAS_PREFIX));
}

export class RedactingGateway implements GatewayInterface {
  readonly #inner: ApolloGateway;
  readonly #codec: IdCodec;
  readonly #audit: AuditLog;
  #apiSchema: GraphQLSchema | undefined;
  #redactionSchema: GraphQLSchema | undefined;

  constructor(inner: ApolloGateway, codec: IdCodec, audit: AuditLog) {
    this.#inner = inner;
    this.#codec = codec;
    this.#audit = audit;
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.#inner.onSchemaLoadOrUpdate((schemaContext) => {
      this.#apiSchema = schemaContext.apiSchema;
      this.#redactionSchema = buildRedactionSchema(schemaContext.apiSchema);
      callback(schemaContext);
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.#inner.load(options);
    if (!executor) return { executor: null };
    return { executor: (requestContext) => this.#execute(requestContext as RequestContext, executor) };
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }

  async #execute(requestContext: RequestContext, fetch: Executor) {
    const apiSchema = this.#apiSchema;
    const redactionSchema = this.#redactionSchema;
    if (!apiSchema || !redactionSchema) throw new Error('the gateway has no schema yet');
    const { principal } = requestContext.context;
    const audience = audienceOf(principal);
    const operationName = requestContext.operationName ?? requestContext.request.operationName;
    let rewritten;
    try {
      rewritten = rewriteOperation({
        schema: apiSchema,
        document: requestContext.document,
        operationName,
        variables: requestContext.request.variables ?? {},
        role: principal.role,
        policy: SHIELD_POLICY,
        decodeId: (typeName, token) => this.#codec.decode(audience, typeName, token),
      });
    } catch (error) {
      if (error instanceof RewriteError) return { errors: [new GraphQLError(error.message, { extensions: { code: error.code } })] };
      throw error;
    }
    const now = new Date();
    const requestId = requestContext.context.requestId;
    const changes = rewritten.operation.operation === 'mutation' ? rootFields(rewritten.operation.selectionSet).map((name) => `Mutation.${name}`) : [];
    if (changes.length > 0) {
      // A change is on the record before it is made: if the trail cannot be written, nothing changes.
      try {
        await this.#audit.append(this.#auditRecord(principal, requestId, now, 'change-requested', changes, []));
      } catch {
        return { errors: [auditUnavailable()] };
      }
    }
    const source = print(rewritten.document);
    const fetched = await fetch({
      ...requestContext,
      document: rewritten.document,
      operation: rewritten.operation,
      source,
      // The plan cache is keyed by this hash: the rewritten text, so one role's plan never serves another's.
      queryHash: createHash('sha256').update(source).digest('hex'),
      request: { ...requestContext.request, query: source, variables: rewritten.variables },
    } as GatewayGraphQLRequestContext);

    const context: RedactionContext = {
      principal,
      now,
      encodeId: (typeName, rawId) => this.#codec.encode(audience, typeName, rawId),
      recorder: new AccessRecorder(),
    };
    const redacted = await execute({
      schema: redactionSchema,
      document: requestContext.document,
      rootValue: fetched.data ?? {},
      contextValue: context,
      variableValues: requestContext.request.variables ?? {},
      operationName,
    });
    if (changes.length > 0 || !context.recorder.isEmpty) {
      // Fail closed: personal data leaves only once its reading is on the record.
      const subjects = context.recorder.subjects((type, rawId) => this.#codec.encode(AUDIT_AUDIENCE, type, rawId));
      try {
        const record = this.#auditRecord(principal, requestId, now, changes.length > 0 ? 'change' : 'read', changes, subjects);
        const why = context.recorder.why;
        await this.#audit.append(why ? { ...record, why } : record);
      } catch {
        return { errors: [auditUnavailable()] };
      }
    }
    return { ...(redacted.data !== undefined ? { data: redacted.data } : {}), errors: mergeErrors(redacted.errors ?? [], fetched.errors ?? []) };
  }

  #auditRecord(
    principal: Principal,
    requestId: string,
    now: Date,
    action: AuditRecord['action'],
    changes: readonly string[],
    subjects: AuditRecord['subjects'],
  ): AuditRecord {
    // A service user's own id is a client id: the trail names them the way it names subjects.
    const actorRef = principal.role === 'service_user' ? this.#codec.encode(AUDIT_AUDIENCE, 'Client', principal.sub) : principal.sub;
    return {
      at: now.toISOString(),
      requestId,
      actor: {
        role: principal.role,
        ref: actorRef,
        ...(principal.agency ? { agency: principal.agency } : {}),
        ...(principal.purpose ? { purpose: principal.purpose } : {}),
      },
      action,
      ...(changes.length > 0 ? { changes } : {}),
      subjects,
    };
  }
}

/** The root fields an operation asks for (fragments are already inlined). */
function rootFields(selectionSet: SelectionSetNode): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet);
    return [];
  });
}

/** Error codes whose messages were written for clients (by the subgraphs or the gateway); the rest are replaced. */
const CLIENT_SAFE_CODES = new Set(['FORBIDDEN', 'BAD_USER_INPUT']);

/**
 * An error from the fetch, as the client may see it: its path in the client's response keys,
 * and a generic message unless its code marks the message as written for clients (an
 * upstream message can quote the data it choked on).
 */
function clientFacing(error: GraphQLError | GraphQLFormattedError): GraphQLError {
  const path = error.path?.map((segment) => (typeof segment === 'string' && segment.startsWith(CLIENT_KEY_PREFIX) ? segment.slice(CLIENT_KEY_PREFIX.length) : segment));
  const code = error.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
    return new GraphQLError(error.message, { ...(path ? { path } : {}), extensions: { code } });
  }
  return new GraphQLError('Internal error', { ...(path ? { path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * The response's errors: the shield's denials, then what the gateway and subgraphs said,
 * once per path, minus anything about data fetched only for rules. Where the re-execution
 * only found the null a failed fetch left behind, the fetch's own error explains it better.
 */
function mergeErrors(redaction: ExecutionErrors, fetched: ExecutionErrors): GraphQLError[] | undefined {
  const visibleFetched = fetched.filter((error) => !isInternalError(error)).map(clientFacing);
  const fetchedPaths = visibleFetched.map((error) => pathKey(error.path)).filter((key) => key !== '');
  const explainedByFetch = (error: GraphQLError | GraphQLFormattedError) => {
    if (error.extensions?.code === 'FORBIDDEN') return false;
    const key = pathKey(error.path);
    return fetchedPaths.some((fetchedKey) => fetchedKey === key || fetchedKey.startsWith(`${key}.`));
  };
  const merged: GraphQLError[] = [];
  const seen = new Set<string>();
  const add = (error: GraphQLError | GraphQLFormattedError) => {
    const key = pathKey(error.path);
    if (key !== '' && seen.has(key)) return;
    seen.add(key);
    merged.push(error instanceof GraphQLError ? error : new GraphQLError(error.message, { path: error.path, extensions: error.extensions }));
  };
  for (const error of redaction) if (!explainedByFetch(error)) add(error);
  for (const error of visibleFetched) add(error);
  return merged.length > 0 ? merged : undefined;
}
