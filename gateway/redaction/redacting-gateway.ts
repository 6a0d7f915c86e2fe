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
import { execute, GraphQLError, Kind, print, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { audienceOf } from '../../shield/audience.js';
import type { IdCodec } from '../../shield/opaque-ids.js';
import { ID_ARGUMENTS, policyFor } from '../../shield/rules.js';
import type { GatewayContext } from '../context.js';
import { AccessRecorder, AUDIT_NEEDS } from '../audit/access-recorder.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../audit/audit-record.js';
import { mergeErrors } from './merge-errors.js';
import { buildRedactionSchema, type RedactionContext } from './redaction-schema.js';
import { rewriteOperation, RewriteError, type FieldPolicy } from './rewrite-operation.js';

/**
 * Wraps @apollo/gateway so that the shield really applies: the gateway executes query plans
 * and never calls its schema's resolvers, so rules attached to its schema would do nothing.
 * Each request is (1) rewritten for the caller's role before planning, (2) planned and
 * fetched by the real gateway, (3) re-executed as the client wrote it over the fetched
 * result on a schema guarded by graphql-shield, and (4) put on the audit trail before the
 * response leaves (a change also before it is forwarded).
 */

const SHIELD_POLICY: FieldPolicy = {
  decide: (typeName, fieldName, role) => policyFor(typeName, fieldName)?.decide(role) ?? 'deny',
  needs: (typeName, fieldName, role) => policyFor(typeName, fieldName)?.needsFor(role) ?? {},
  idArgumentType: (typeName, fieldName, argumentName) => ID_ARGUMENTS[`${typeName}.${fieldName}`]?.[argumentName],
  alwaysNeeds: (typeName) => AUDIT_NEEDS[typeName],
};

function auditUnavailable(): GraphQLError {
  return new GraphQLError('The audit trail is unavailable, so no personal data was returned. Try again shortly.', {
    extensions: { code: 'AUDIT_UNAVAILABLE' },
  });
}

type Executor = GatewayExecutor;
type RequestContext = GatewayGraphQLRequestContext<GatewayContext>;

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
        await this.#audit.append(auditRecord({ at: now, requestId, actor: auditActor(principal, this.#codec), action: 'change-requested', changes, subjects: [] }));
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
        const action = changes.length > 0 ? 'change' : 'read';
        await this.#audit.append(auditRecord({ at: now, requestId, actor: auditActor(principal, this.#codec), action, changes, subjects, why: context.recorder.why }));
      } catch {
        return { errors: [auditUnavailable()] };
      }
    }
    return { ...(redacted.data !== undefined ? { data: redacted.data } : {}), errors: mergeErrors(redacted.errors ?? [], fetched.errors ?? []) };
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
