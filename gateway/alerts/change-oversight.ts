import { Kind, OperationTypeNode, valueFromASTUntyped, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { Principal } from '../../shield/roles.js';
import { AUDIT_AUDIENCE, auditActor } from '../audit/audit-record.js';
import type { FetchedResult } from './emergency-lookup-oversight.js';
import type { NewAlert } from './privacy-alert.js';
import type { PrivacyAlerts } from './privacy-alerts.js';

/**
 * Exceptional changes the DPO is told of (issue 10; the NHS Summary Care Record's privacy
 * officer alerts): a break-glass opened and a trustee granted access each raise an alert once
 * the change succeeded, before its answer leaves, with who (the actor), when, whose record (by
 * the DPO's id) and why (legal basis and reason, complaint reference). Closing a break-glass
 * or revoking a grant early shows on its alert. Expiry needs no write: the alert carries
 * `expiresAt`. The ids and expiry are read from the change's own answer under internal aliases
 * (CHANGE_OVERSIGHT_NEEDS), which the caller never sees.
 */

const RECORD_KEY = '_ntk_rid';
const EXPIRES_KEY = '_ntk_expires';
const SUBJECT_KEY = '_ntk_subject';
const ENDED_KEY = '_ntk_ended';

/** Added to every selection of these types, beside the audit's subject (gateway/audit/access-recorder.ts). */
export const CHANGE_OVERSIGHT_NEEDS: Readonly<Record<string, string>> = {
  ExceptionalDisclosure: `${RECORD_KEY}: id ${EXPIRES_KEY}: expiresAt ${ENDED_KEY}: closedAt`,
  TrusteeGrant: `${RECORD_KEY}: id ${EXPIRES_KEY}: expiresAt ${ENDED_KEY}: revokedAt`,
};

type Row = Record<string, unknown>;

const RAISING = { openExceptionalDisclosure: 'ExceptionalDisclosure', grantTrusteeAccess: 'TrusteeGrant' } as const;
const ENDING = { closeExceptionalDisclosure: 'ExceptionalDisclosure', revokeTrusteeAccess: 'TrusteeGrant' } as const;
type Watched = keyof typeof RAISING | keyof typeof ENDING;

interface Change {
  readonly field: Watched;
  readonly fetchedAs: string;
  readonly args: Row;
}

function isWatched(name: string): name is Watched {
  return Object.hasOwn(RAISING, name) || Object.hasOwn(ENDING, name);
}

function changesIn(selectionSet: SelectionSetNode, variables: Row): Change[] {
  return selectionSet.selections.flatMap((selection): Change[] => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return changesIn(selection.selectionSet, variables);
    if (selection.kind !== Kind.FIELD || !isWatched(selection.name.value)) return [];
    const args = Object.fromEntries((selection.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value, variables)]));
    return [{ field: selection.name.value, fetchedAs: selection.alias?.value ?? selection.name.value, args }];
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export class ChangeOversight {
  readonly #alerts: PrivacyAlerts;
  readonly #codec: IdCodec;

  constructor(alerts: PrivacyAlerts, codec: IdCodec) {
    this.#alerts = alerts;
    this.#codec = codec;
  }

  /**
   * The alerts (and alert updates) a change operation's answers call for. Rejects if any cannot
   * be written: the caller then answers AUDIT_UNAVAILABLE, as for the change's own trail entry.
   */
  async afterChanges(input: {
    principal: Principal;
    operation: OperationDefinitionNode;
    variables: Readonly<Row>;
    fetched: FetchedResult;
    requestId: string;
    now: Date;
  }): Promise<void> {
    const { principal, operation, fetched, requestId, now } = input;
    if (operation.operation !== OperationTypeNode.MUTATION) return;
    const actor = auditActor(principal, this.#codec);
    const raised: { alert: NewAlert }[] = [];
    const ended: Promise<void>[] = [];
    for (const change of changesIn(operation.selectionSet, { ...input.variables })) {
      const answer = fetched.data?.[change.fetchedAs] as Row | null | undefined;
      const rawRecord = answer?.[RECORD_KEY];
      if (!answer || typeof rawRecord !== 'string') continue; // refused or failed: nothing happened
      const type = (RAISING as Record<string, string>)[change.field] ?? (ENDING as Record<string, string>)[change.field] ?? '';
      const record = this.#codec.encode(AUDIT_AUDIENCE, type, rawRecord);
      if (Object.hasOwn(ENDING, change.field)) {
        // The store's own time of closing, as the record shows it (the gateway's clock may differ by a moment).
        const endedAt = typeof answer[ENDED_KEY] === 'string' ? new Date(answer[ENDED_KEY]) : now;
        ended.push(this.#alerts.recordEnded(record, endedAt, actor));
        continue;
      }
      const subjectId = (answer[SUBJECT_KEY] as Row | null | undefined)?.id;
      if (typeof subjectId !== 'string') continue;
      const subject = { type: 'Client' as const, ref: this.#codec.encode(AUDIT_AUDIENCE, 'Client', subjectId) };
      const expiresAt = typeof answer[EXPIRES_KEY] === 'string' ? answer[EXPIRES_KEY] : null;
      // The client's team manager is not told: the break-glass reason and a complaint are the DPO's and the safeguarding lead's.
      raised.push({
        alert:
          change.field === 'openExceptionalDisclosure'
            ? {
                kind: 'EXCEPTIONAL_DISCLOSURE_OPENED',
                details: {
                  record,
                  expiresAt,
                  recipientOrganisation: text(change.args.recipientOrganisation),
                  legalBasis: text(change.args.legalBasis),
                  reason: text(change.args.reason),
                },
                subject,
                team: null,
              }
            : {
                kind: 'TRUSTEE_ACCESS_GRANTED',
                details: { record, expiresAt, trusteeId: text(change.args.trusteeId), complaintReference: text(change.args.complaintReference) },
                subject,
                team: null,
              },
      });
    }
    await Promise.all([this.#alerts.raise({ actor, requestId, at: now, alerts: raised }), ...ended]);
  }
}
