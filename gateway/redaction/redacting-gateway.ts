import { createHash, randomUUID } from 'node:crypto';
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
import { FACT_NEEDS } from '../../shield/circles.js';
import type { IdCodec } from '../../shield/opaque-ids.js';
import type { Needs } from '../../shield/policy-rule.js';
import type { Principal } from '../../shield/roles.js';
import { ID_ARGUMENTS, policyFor } from '../../shield/rules.js';
import type { GatewayContext } from '../context.js';
import { AccessRecorder, AUDIT_NEEDS } from '../audit/access-recorder.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditedSubject } from '../audit/audit-entry.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../audit/audit-record.js';
import { changeOutcomes, outcomeRecords, requestedChanges, UNCERTAIN_CODES } from '../audit/change-outcome.js';
import { isTemporaryFailure, markTemporaryFailure, withDeadline } from '../audit/request-deadline.js';
import { changeFingerprint, IDEMPOTENCY_KEY_HEADER, IdempotencyKeys, idempotencyKeyOf, InvalidIdempotencyKeyError } from '../audit/idempotency-keys.js';
import { idempotencyRefusal, replayedResult } from '../audit/idempotent-answer.js';
import { mergeErrors } from './merge-errors.js';
import { buildRedactionSchema, type RedactionContext } from './redaction-schema.js';
import { rewriteOperation, RewriteError, type FieldPolicy } from './rewrite-operation.js';
import { inlineFragments, selectOperation } from './inline-fragments.js';
import { asksForAnything, checkRootFields, withoutRefused, type RefusedRootField } from './root-field-checks.js';
import { FactsUnavailableError, type SubjectFactsSource } from './subject-facts.js';
import type { EmergencyLookupOversight } from '../alerts/emergency-lookup-oversight.js';
import { CHANGE_OVERSIGHT_NEEDS, type ChangeOversight } from '../alerts/change-oversight.js';

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
  needs: (typeName, fieldName, role) => mergeNeeds((policyFor(typeName, fieldName)?.readsFor(role) ?? []).map((kind) => FACT_NEEDS[kind])),
  idArgumentType: (owner, argumentPath) => {
    const ids = ID_ARGUMENTS[owner];
    return ids !== undefined && Object.hasOwn(ids, argumentPath) ? ids[argumentPath] : undefined;
  },
  alwaysNeeds: (typeName) => [AUDIT_NEEDS[typeName], CHANGE_OVERSIGHT_NEEDS[typeName]].filter((needs) => needs !== undefined).join(' ') || undefined,
};

/** The selections several fact kinds need, each once. */
function mergeNeeds(all: readonly Needs[]): Needs {
  const merged: Record<string, string> = {};
  for (const needs of all) {
    for (const [type, selection] of Object.entries(needs)) {
      if (!merged[type]?.includes(selection)) merged[type] = merged[type] ? `${merged[type]} ${selection}` : selection;
    }
  }
  return merged;
}

function factsUnavailable(): GraphQLError {
  return new GraphQLError('A service this request depends on is unavailable, so nothing was read or changed. Try again shortly.', {
    extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
}

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
  readonly #facts: SubjectFactsSource;
  readonly #lookups: EmergencyLookupOversight;
  readonly #changes: ChangeOversight | undefined;
  readonly #keys: IdempotencyKeys | undefined;
  #apiSchema: GraphQLSchema | undefined;
  #redactionSchema: GraphQLSchema | undefined;

  constructor(inner: ApolloGateway, codec: IdCodec, audit: AuditLog, facts: SubjectFactsSource, lookups: EmergencyLookupOversight, changes?: ChangeOversight, keys?: IdempotencyKeys) {
    this.#keys = keys;
    this.#inner = inner;
    this.#codec = codec;
    this.#audit = audit;
    this.#facts = facts;
    this.#lookups = lookups;
    this.#changes = changes;
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
    return {
      executor: async (requestContext) => {
        // Every request has a deadline, the audit queue's (gateway/audit/request-deadline.ts); temporary failures are 503.
        return markTemporaryFailure(await withDeadline(this.#execute(requestContext as RequestContext, executor), this.#audit.deadlineMs));
      },
    };
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }

  /** Puts a refusal on the trail: who tried what, about whom where known. False if the trail is down. */
  async #recordRefusal(principal: Principal, requestId: string, at: Date, code: string, refused: readonly RefusedRootField[]): Promise<boolean> {
    const subjects = [...new Set(refused.flatMap((each) => (each.subject ? [each.subject] : [])))].map((rawId) => ({
      type: 'Client' as const,
      ref: this.#codec.encode(AUDIT_AUDIENCE, 'Client', rawId),
      returned: [],
      denied: refused.filter((each) => each.subject === rawId).map((each) => each.coordinate).sort(),
    }));
    try {
      await this.#audit.append({
        ...auditRecord({ at, requestId, actor: auditActor(principal, this.#codec), action: 'refused', subjects }),
        refusal: code,
        asked: refused.map((each) => each.coordinate),
      });
      return true;
    } catch {
      return false;
    }
  }

  async #execute(requestContext: RequestContext, fetch: Executor) {
    const apiSchema = this.#apiSchema;
    const redactionSchema = this.#redactionSchema;
    if (!apiSchema || !redactionSchema) throw new Error('the gateway has no schema yet');
    const { principal } = requestContext.context;
    const audience = audienceOf(principal);
    const operationName = requestContext.operationName ?? requestContext.request.operationName;
    const requestId = requestContext.context.requestId;
    const now = new Date();
    const clientVariables = requestContext.request.variables ?? {};
    const selected = selectOperation(requestContext.document, operationName);
    const kind = selected?.operation ?? 'query';

    // 1. Rewrite for the role: fields it may never see removed, ids decoded, facts for rules added.
    let rewritten;
    try {
      rewritten = rewriteOperation({
        schema: apiSchema,
        document: requestContext.document,
        operationName,
        variables: clientVariables,
        role: principal.role,
        policy: SHIELD_POLICY,
        decodeId: (typeName, token) => this.#codec.decode(audience, typeName, token),
      });
    } catch (error) {
      if (!(error instanceof RewriteError)) throw error;
      // Refused before anything was fetched (an invalid id, a reserved alias): on the trail all the same.
      const asked = selected ? rootFields(selected.selectionSet).map((name) => ({ coordinate: `${kind === 'mutation' ? 'Mutation' : 'Query'}.${name}` })) : [];
      if (!(await this.#recordRefusal(principal, requestId, now, error.code, asked))) return { errors: [auditUnavailable()] };
      return { errors: [new GraphQLError(error.message, { extensions: { code: error.code } })] };
    }

    // 2. Check each root field's grant on its subject before anything is forwarded.
    const rootKind = rewritten.operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const rootType = rootKind === 'Mutation' ? apiSchema.getMutationType() : apiSchema.getQueryType();
    let refused: ReadonlyMap<string, RefusedRootField> = new Map();
    if (rootType && selected && (rewritten.operation.operation === 'query' || rewritten.operation.operation === 'mutation')) {
      try {
        ({ refused } = await checkRootFields({
          kind: rootKind,
          rootType,
          original: inlineFragments(requestContext.document, selected),
          originalVariables: clientVariables,
          rewritten: rewritten.operation,
          variables: rewritten.variables,
          principal,
          requestId,
          now,
          facts: this.#facts,
          decodeClientId: (token) => this.#codec.decode(audience, 'Client', token),
        }));
      } catch (error) {
        if (error instanceof FactsUnavailableError) return { errors: [factsUnavailable()] };
        throw error;
      }
    }
    if (refused.size > 0 && !(await this.#recordRefusal(principal, requestId, now, 'FORBIDDEN', [...refused.values()]))) {
      return { errors: [auditUnavailable()] };
    }
    const operation = withoutRefused(rewritten.operation, refused);
    const document = { kind: Kind.DOCUMENT, definitions: [operation] } as const;
    // Emergency lookups count against the duty officer's limit before anything is forwarded (gateway/alerts/).
    const lookups = await this.#lookups.admit({ principal, operation, variables: rewritten.variables, requestId, now });
    if ('refusal' in lookups) return { errors: [lookups.refusal] };

    const requested = operation.operation === 'mutation' ? requestedChanges(operation.selectionSet) : [];
    const changes = requested.map((change) => change.coordinate);
    // Each change gets a key of the gateway's own: on its trail entries, and stamped by the
    // subgraphs on the records it creates (the subgraphs see it as the request id), so the
    // reconciliation can ask the store whether a change without outcome was made.
    const requestKey = changes.length > 0 ? randomUUID() : undefined;
    let idempotency: { id: string } | undefined;
    if (requestKey && this.#keys) {
      // A retry with the same Idempotency-Key gets the first outcome (gateway/audit/idempotency-keys.ts).
      let key: string | undefined;
      try {
        key = idempotencyKeyOf(requestContext.request.http?.headers.get(IDEMPOTENCY_KEY_HEADER));
      } catch (error) {
        if (error instanceof InvalidIdempotencyKeyError) return { errors: [new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } })] };
        throw error;
      }
      if (key !== undefined) {
        const id = IdempotencyKeys.idOf(principal, key);
        let claim;
        try {
          claim = await this.#keys.claim(id, changeFingerprint(requestContext.source ?? print(requestContext.document), operationName, clientVariables), requestKey, now);
        } catch {
          return { errors: [auditUnavailable()] };
        }
        if (claim.kind === 'replay') {
          // The first answer again: personal data leaving, so a read on the trail first.
          try {
            await this.#audit.append(auditRecord({ at: now, requestId, actor: auditActor(principal, this.#codec), action: 'read', subjects: JSON.parse(claim.subjects) as AuditedSubject[] }));
          } catch {
            return { errors: [auditUnavailable()] };
          }
          return replayedResult(claim.response);
        }
        if (claim.kind !== 'claimed') return { errors: [idempotencyRefusal(claim.kind)] };
        idempotency = { id };
      }
    }
    if (requestKey) {
      // A change is on the record before it is made: if the trail cannot be written, nothing changes.
      try {
        await this.#audit.append({ ...auditRecord({ at: now, requestId, actor: auditActor(principal, this.#codec), action: 'change-requested', changes, subjects: [] }), requestKey });
      } catch {
        if (idempotency) await this.#keys?.release(idempotency.id, requestKey).catch(() => undefined);
        return { errors: [auditUnavailable()] };
      }
    }

    // 3. Fetch what is left, if anything.
    const source = print(document);
    const fetched = asksForAnything(operation)
      ? await fetch({
          ...requestContext,
          document,
          operation,
          source,
          // The plan cache is keyed by this hash: the rewritten text, so one role's plan never serves another's.
          queryHash: createHash('sha256').update(source).digest('hex'),
          request: { ...requestContext.request, query: source, variables: rewritten.variables },
          ...(requestKey ? { context: { ...requestContext.context, requestId: requestKey } } : {}),
        } as GatewayGraphQLRequestContext)
      : { data: {} };

    // 4. Redact: the operation as the client wrote it, over what was fetched, under the shield.
    const context: RedactionContext = {
      principal,
      now,
      refused: new Set(refused.keys()),
      encodeId: (typeName, rawId) => this.#codec.encode(audience, typeName, rawId),
      recorder: new AccessRecorder(),
    };
    const redacted = await execute({
      schema: redactionSchema,
      document: requestContext.document,
      rootValue: fetched.data ?? {},
      contextValue: context,
      variableValues: clientVariables,
      operationName,
    });

    // 5. Record the access before the response leaves.
    if (changes.length > 0 || !context.recorder.isEmpty) {
      // Fail closed: personal data leaves only once its reading is on the record.
      const subjects = context.recorder.subjects((type, rawId) => this.#codec.encode(AUDIT_AUDIENCE, type, rawId));
      try {
        const entry = { ...auditRecord({ at: now, requestId, actor: auditActor(principal, this.#codec), action: 'read', subjects, why: context.recorder.why }), ...(requestKey ? { requestKey } : {}) };
        // A change's outcome: `change` for what was made, `change-failed` with the code for what was not (gateway/audit/change-outcome.ts).
        const written = changes.length > 0 ? this.#audit.appendOutcome(outcomeRecords(entry, changeOutcomes(requested, fetched), subjects)) : this.#audit.append(entry);
        // A lookup that matched a restricted record raises its alert alongside (not after) this entry.
        // So do a break-glass or a trustee grant that succeeded (gateway/alerts/change-oversight.ts).
        const changeAlerts = changes.length > 0 && this.#changes ? this.#changes.afterChanges({ principal, operation, variables: rewritten.variables, fetched, requestId, now }) : Promise.resolve();
        await Promise.all([lookups.raiseAlerts(fetched), changeAlerts, written]);
      } catch {
        // An idempotency key stays pending: the reconciliation settles it from the trail and the store.
        return { errors: [auditUnavailable()] };
      }
    }
    const result = { ...(redacted.data !== undefined ? { data: redacted.data } : {}), errors: mergeErrors(redacted.errors ?? [], fetched.errors ?? []) };
    if (idempotency && requestKey && !isTemporaryFailure(result) && !changeOutcomes(requested, fetched).failed.some((each) => UNCERTAIN_CODES.has(each.code))) {
      // Kept for replays; if this fails the key stays pending and the reconciliation marks it made.
      // A temporary failure, or a change that may have been made after all (a subgraph timeout),
      // is not kept: the reconciliation asks the store and releases the key (a retry goes ahead)
      // or marks it made; replaying a 503 for a day would help nobody.
      const subjects = context.recorder.subjects((type, rawId) => this.#codec.encode(AUDIT_AUDIENCE, type, rawId));
      await this.#keys?.settle(idempotency.id, requestKey, result, subjects).catch(() => undefined);
    }
    return result;
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
