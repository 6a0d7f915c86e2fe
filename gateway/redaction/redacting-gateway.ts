import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { print, type GraphQLSchema } from 'graphql';
import { audienceOf } from '../../shield/audience.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import { ID_ARGUMENTS, policyFor } from '../../shield/rules.js';
import type { GatewayContext } from '../context.js';
import { AUDIT_NEEDS } from '../audit/access-recorder.js';
import type { AuditLog } from '../audit/audit-log.js';
import { markTemporaryFailure, withDeadline } from '../audit/request-deadline.js';
import { IDEMPOTENCY_KEY_HEADER, type IdempotencyKeys } from '../audit/idempotency-keys.js';
import type { EmergencyLookupOversight } from '../alerts/emergency-lookup-oversight.js';
import { CHANGE_OVERSIGHT_NEEDS, type ChangeOversight } from '../alerts/change-oversight.js';
import { selectionsFor } from './fact-selections.js';
import { buildRedactionSchema } from './redaction-schema.js';
import type { FieldPolicy } from './rewrite-operation.js';
import { selectOperation } from './inline-fragments.js';
import type { SubjectFactsSource } from './subject-facts.js';
import { answer } from './stages/answer.js';
import { checkSubjects } from './stages/check-subjects.js';
import { fetchRewritten } from './stages/fetch-rewritten.js';
import { recordAccess } from './stages/record-access.js';
import { recordIntent } from './stages/record-intent.js';
import { redactResult } from './stages/redact-result.js';
import { rewriteForRole } from './stages/rewrite-for-role.js';
import { ended, type RequestFacts } from './stages/stage.js';
import { auditUnavailable } from './stages/stage-errors.js';

/**
 * Wraps @apollo/gateway so that the shield really applies: the gateway executes query plans
 * and never calls its schema's resolvers, so rules attached to its schema would do nothing.
 * Each request goes through named stages (stages/, one module each): rewrite for role →
 * check subjects → admit emergency lookups → record intent (a change is on the trail before
 * it is forwarded) → fetch (the real gateway plans and fetches the rewritten operation) →
 * redact (the client's operation re-executed over the fetched result under graphql-shield) →
 * record access (on the trail before the response leaves) → answer.
 */

const SHIELD_POLICY: FieldPolicy = {
  decide: (typeName, fieldName, role) => policyFor(typeName, fieldName)?.decide(role) ?? 'deny',
  needs: (typeName, fieldName, role) => selectionsFor(policyFor(typeName, fieldName)?.readsFor(role) ?? []),
  idArgumentType: (owner, argumentPath) => {
    const ids = ID_ARGUMENTS[owner];
    return ids !== undefined && Object.hasOwn(ids, argumentPath) ? ids[argumentPath] : undefined;
  },
  alwaysNeeds: (typeName) => [AUDIT_NEEDS[typeName], CHANGE_OVERSIGHT_NEEDS[typeName]].filter((needs) => needs !== undefined).join(' ') || undefined,
};

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

  constructor(
    inner: ApolloGateway,
    codec: IdCodec,
    audit: AuditLog,
    facts: SubjectFactsSource,
    lookups: EmergencyLookupOversight,
    changes?: ChangeOversight,
    keys?: IdempotencyKeys,
  ) {
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

  async #execute(requestContext: RequestContext, fetch: Executor) {
    const schema = this.#apiSchema;
    const redactionSchema = this.#redactionSchema;
    if (!schema || !redactionSchema) throw new Error('the gateway has no schema yet');
    const { principal, requestId } = requestContext.context;
    const operationName = requestContext.operationName ?? requestContext.request.operationName;
    const request: RequestFacts = {
      principal,
      audience: audienceOf(principal),
      requestId,
      now: new Date(),
      operationName,
      clientVariables: requestContext.request.variables ?? {},
    };
    const { document } = requestContext;
    const selected = selectOperation(document, operationName);
    const services = { schema, policy: SHIELD_POLICY, codec: this.#codec, audit: this.#audit, facts: this.#facts, keys: this.#keys, changes: this.#changes };

    const rewritten = await rewriteForRole(services, request, document, selected);
    if (ended(rewritten)) return rewritten.answer;
    const checked = await checkSubjects(services, request, document, selected, rewritten.next);
    if (ended(checked)) return checked.answer;
    // Emergency lookups count against the duty officer's limit before anything is forwarded (gateway/alerts/).
    const lookups = await this.#lookups.admit({ principal, operation: checked.next.operation, variables: checked.next.variables, requestId, now: request.now });
    if ('refusal' in lookups) return { errors: [lookups.refusal] };
    const client = { idempotencyHeader: requestContext.request.http?.headers.get(IDEMPOTENCY_KEY_HEADER), source: requestContext.source ?? print(document) };
    const plan = await recordIntent(services, request, client, checked.next.operation);
    if (ended(plan)) return plan.answer;
    const fetched = await fetchRewritten(fetch, requestContext, checked.next, plan.next.requestKey);
    const redacted = await redactResult({ schema: redactionSchema, codec: this.#codec }, request, document, checked.next, fetched);
    if (!(await recordAccess(services, request, checked.next, plan.next, lookups, fetched, redacted))) return { errors: [auditUnavailable()] };
    return answer(services, plan.next, fetched, redacted);
  }
}
