import { requestRefusal } from '../../platform/errors/coded-error.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import type { GraphQLError } from 'graphql';
import { Kind, OperationTypeNode, valueFromASTUntyped, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { Principal } from '../../shield/roles.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../audit/audit-record.js';
import { RateLimitUnavailableError, type SlidingWindowLimiter } from '../limits/lookup-rate-limit.js';
import type { EmergencyCaller, NewAlert } from './privacy-alert.js';
import type { PrivacyAlerts } from './privacy-alerts.js';

/**
 * The emergency lookup answers "is this person our service user?" for anyone, restricted
 * records included (policy 000), so it is also an oracle: walk HR's staff list through it and
 * the `known: true` answers are the employees who are also clients. It stays, but misuse is made
 * costly and visible (docs/INVARIANTS.md#12), as the NHS Summary Care Record does:
 * - each duty officer has a budget of lookups per sliding window, counted in the audit database
 *   across replicas, before anything is forwarded (50 aliases in one request are 50 lookups);
 * - a lookup that matches a restricted record raises an alert for the DPO and the client's team
 *   manager, carrying the caller's details, written with the audit entry before the answer
 *   leaves. The match is seen only in data fetched for the gateway under internal aliases
 *   (AUDIT_NEEDS in gateway/audit/access-recorder.ts); the duty officer never sees it.
 */

const LOOKUP_FIELD = 'emergencyLookup';
const LOOKUP_COORDINATE = `Query.${LOOKUP_FIELD}`;
const CALLER_ARGUMENT = 'caller';
/** Internal aliases the audit's needs put on every lookup answer (see AUDIT_NEEDS). */
const SUBJECT_KEY = '_ntk_subject';
const RESTRICTED_KEY = '_ntk_restricted';
const TEAM_KEY = '_ntk_team';

type Row = Record<string, unknown>;

/** One lookup in an operation: where its answer is fetched, and who asked for it. */
interface Lookup {
  readonly fetchedAs: string;
  readonly caller: EmergencyCaller;
}

export interface FetchedResult {
  readonly data?: Row | null;
  readonly errors?: readonly { readonly path?: readonly (string | number)[] }[];
}

/** What `admit` lets through: raise the alerts its answers call for, with the read's audit entry. */
export interface AdmittedLookups {
  /** Rejects if an alert cannot be raised or a match cannot be checked: the caller must not answer. */
  raiseAlerts(fetched: FetchedResult): Promise<void>;
}

export type LookupAdmission = { readonly refusal: GraphQLError } | AdmittedLookups;

const NOTHING_TO_RAISE: AdmittedLookups = { raiseAlerts: () => Promise.resolve() };

/** An operation's variables with the defaults its definitions give (the caller may come from either). */
function withDefaults(operation: OperationDefinitionNode, variables: Readonly<Row>): Row {
  const values: Row = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Every lookup among the root fields, inline fragments included (named ones are inlined by the rewrite). */
function lookupsIn(selectionSet: SelectionSetNode, variables: Row): Lookup[] {
  return selectionSet.selections.flatMap((selection): Lookup[] => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return lookupsIn(selection.selectionSet, variables);
    if (selection.kind !== Kind.FIELD || selection.name.value !== LOOKUP_FIELD) return [];
    const argument = selection.arguments?.find((each) => each.name.value === CALLER_ARGUMENT);
    const caller = (argument ? valueFromASTUntyped(argument.value, variables) : undefined) as Row | undefined;
    return [
      {
        fetchedAs: selection.alias?.value ?? selection.name.value,
        caller: { organisation: text(caller?.organisation), name: text(caller?.name), reason: text(caller?.reason) },
      },
    ];
  });
}

function callerWhy(caller: EmergencyCaller) {
  return [{ field: LOOKUP_COORDINATE, argument: CALLER_ARGUMENT, value: { ...caller } }];
}

function rateLimited(limit: number, windowMinutes: number, asked: number, retryAfterSeconds: number): GraphQLError {
  const tooMany = asked > limit ? ` This request asks for ${asked}.` : '';
  return requestRefusal(
    ErrorCode.RATE_LIMITED,
    `Too many emergency lookups: at most ${limit} in any ${windowMinutes} minutes per duty officer.${tooMany} Nothing was looked up; try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
  );
}

function limitUnavailable(): GraphQLError {
  return requestRefusal(
    ErrorCode.RATE_LIMIT_UNAVAILABLE,
    'The emergency lookup limit cannot be checked just now, so nothing was looked up. Try again shortly.',
  );
}

/** A matched record whose restriction the gateway could not see: it must not answer as if it were unrestricted. */
class LookupUncheckedError extends Error {
  constructor() {
    super('an emergency lookup matched a record whose restriction could not be checked');
    this.name = 'LookupUncheckedError';
  }
}

export class EmergencyLookupOversight {
  readonly #limiter: SlidingWindowLimiter;
  readonly #alerts: PrivacyAlerts;
  readonly #audit: AuditLog;
  readonly #codec: IdCodec;

  constructor(deps: { limiter: SlidingWindowLimiter; alerts: PrivacyAlerts; audit: AuditLog; codec: IdCodec }) {
    this.#limiter = deps.limiter;
    this.#alerts = deps.alerts;
    this.#audit = deps.audit;
    this.#codec = deps.codec;
  }

  /**
   * Before anything is forwarded: counts the lookups in the operation about to be sent against
   * the caller's budget. Refused past it (RATE_LIMITED, and when to retry), or when the counters
   * cannot be reached (fail closed); either refusal goes on the trail.
   */
  async admit(input: {
    principal: Principal;
    operation: OperationDefinitionNode;
    variables: Readonly<Row>;
    requestId: string;
    now: Date;
  }): Promise<LookupAdmission> {
    const { principal, operation, requestId, now } = input;
    if (operation.operation !== OperationTypeNode.QUERY) return NOTHING_TO_RAISE;
    const lookups = lookupsIn(operation.selectionSet, withDefaults(operation, input.variables));
    if (lookups.length === 0) return NOTHING_TO_RAISE;

    let refusal: GraphQLError;
    try {
      const admission = await this.#limiter.take(principal.sub, lookups.length, now);
      if (admission.admitted) return { raiseAlerts: (fetched) => this.#raise(principal, requestId, now, lookups, fetched) };
      const { limit, windowMs } = this.#limiter.rate;
      refusal = rateLimited(limit, Math.round(windowMs / 60_000), lookups.length, admission.retryAfterSeconds);
    } catch (error) {
      if (!(error instanceof RateLimitUnavailableError)) throw error;
      refusal = limitUnavailable();
    }
    // Nothing was looked up, so nothing is lost if this cannot be written; the refusal stands either way.
    await this.#audit
      .append({
        ...auditRecord({
          at: now,
          requestId,
          actor: auditActor(principal, this.#codec),
          action: 'refused',
          subjects: [],
          why: lookups.flatMap((lookup) => callerWhy(lookup.caller)),
        }),
        refusal: String(refusal.extensions.code),
        asked: lookups.map(() => LOOKUP_COORDINATE),
      })
      .catch(() => undefined);
    return { refusal };
  }

  /** The alerts the fetched answers call for: one per lookup that matched a restricted record. */
  #raise(principal: Principal, requestId: string, at: Date, lookups: readonly Lookup[], fetched: FetchedResult): Promise<void> {
    const alerts: { alert: NewAlert<'EMERGENCY_LOOKUP_RESTRICTED'>; why: ReturnType<typeof callerWhy> }[] = [];
    for (const lookup of lookups) {
      const unchecked = (fetched.errors ?? []).some((error) => error.path?.[0] === lookup.fetchedAs && error.path.includes(SUBJECT_KEY));
      if (unchecked) return Promise.reject(new LookupUncheckedError());
      const answer = fetched.data?.[lookup.fetchedAs] as Row | null | undefined;
      const subject = answer?.[SUBJECT_KEY] as Row | null | undefined;
      if (!subject || typeof subject.id !== 'string') continue;
      if (!(RESTRICTED_KEY in subject)) return Promise.reject(new LookupUncheckedError());
      if (subject[RESTRICTED_KEY] === null) continue;
      const team = subject[TEAM_KEY] as Row | null | undefined;
      alerts.push({
        alert: {
          kind: 'EMERGENCY_LOOKUP_RESTRICTED',
          details: { caller: lookup.caller },
          subject: { type: 'Client', ref: this.#codec.encode(AUDIT_AUDIENCE, 'Client', subject.id) },
          team: typeof team?.id === 'string' ? team.id : null,
        },
        why: callerWhy(lookup.caller),
      });
    }
    return this.#alerts.raise({ actor: auditActor(principal, this.#codec), requestId, at, alerts });
  }
}
