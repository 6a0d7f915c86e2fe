import { forbiddenError } from '../../platform/errors/coded-error.js';
import { errorAnswer, refusal, type ErrorAnswer } from '../../platform/errors/error-answer.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import type { JsonPostRoute, JsonRoute } from '../../platform/graphql-http-server.js';
import { audienceOf } from '../../shield/audience.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { Principal } from '../../shield/roles.js';
import type { AuditedSubject } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../audit/audit-record.js';
import type { GatewayContext } from '../context.js';
import {
  ALERT_KINDS,
  ALERT_OUTCOMES,
  ALERT_STATUSES,
  MAX_ALERT_NOTE_LENGTH,
  type AlertedRecord,
  type AlertKind,
  type AlertOutcome,
  type AlertStatus,
  type PrivacyAlert,
} from './privacy-alert.js';
import type { PrivacyAlerts } from './privacy-alerts.js';

/**
 * The oversight routes, plain JSON beside the GraphQL API:
 * - `GET /alerts?status=OPEN|CLOSED&kind=&first=&after=` — the DPO sees every alert; a team manager sees,
 *   read-only, the alerts about their own team's clients, with what they need to act on them
 *   (who called and why, the client by the id care staff use) and not the DPO's working (which
 *   member of staff looked the client up, the closing note). Newest first, a page at a time:
 *   `first` (1–500, default 100; `limit` is its older name) and `after`, the `endCursor` of the
 *   page before (the last alert's id, random, naming no one).
 * - `POST /alerts/close` `{ id, outcome, note }` — the DPO closes an alert with an outcome.
 * Everyone else gets the generic 403. Reading alerts is put on the audit trail before the
 * answer leaves, as reading the trail is; closing is on it before the alert is closed.
 */

export const ALERTS_PATH = '/alerts';
export const CLOSE_ALERT_PATH = '/alerts/close';

const MAX_LIMIT = 500;
const MAX_ID_LENGTH = 100;
const CLOSE_FIELDS = ['id', 'outcome', 'note'] as const;

const FORBIDDEN = (): ErrorAnswer => errorAnswer(forbiddenError());
const AUDIT_UNAVAILABLE = (): ErrorAnswer =>
  refusal(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable, so nothing was read or changed. Try again shortly.');

/** Where a break-glass or a trustee grant stands now: its alert shows expiry and early closure. */
function recordStatus(details: PrivacyAlert['details'], now: Date): 'ACTIVE' | 'EXPIRED' | 'ENDED' | undefined {
  if (!('record' in details)) return undefined;
  const record: AlertedRecord = details;
  if (record.endedAt !== undefined) return 'ENDED';
  return record.expiresAt !== null && new Date(record.expiresAt) <= now ? 'EXPIRED' : 'ACTIVE';
}

/** The whole alert, for the DPO: ids as the DPO's audience sees them. */
function dpoView(alert: PrivacyAlert, codec: IdCodec, now = new Date()) {
  const closed = alert.closure;
  const status = recordStatus(alert.details, now);
  return {
    id: alert._id,
    kind: alert.kind,
    raisedAt: alert.raisedAt,
    actor: alert.actor,
    details: status === undefined ? alert.details : { ...alert.details, status },
    subject: alert.subject.ref,
    team: alert.team === null ? null : codec.encode(AUDIT_AUDIENCE, 'Team', alert.team),
    status: alert.status,
    ...(closed ? { outcome: closed.outcome, note: closed.note, closedBy: closed.closedBy, closedAt: closed.closedAt } : {}),
  };
}

/** What a team manager needs about an alert on one of their clients, the client by the id care staff see. */
function teamManagerView(alert: PrivacyAlert, codec: IdCodec, principal: Principal) {
  const rawId = codec.decode(AUDIT_AUDIENCE, alert.subject.type, alert.subject.ref);
  const closed = alert.closure;
  return {
    id: alert._id,
    kind: alert.kind,
    raisedAt: alert.raisedAt,
    details: alert.details,
    subject: rawId === null ? null : codec.encode(audienceOf(principal), alert.subject.type, rawId),
    status: alert.status,
    ...(closed ? { outcome: closed.outcome, closedAt: closed.closedAt } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The close request, or what is wrong with it. */
function closeRequestOf(body: unknown): { id: string; outcome: AlertOutcome; note: string } | string {
  if (!isRecord(body)) return 'send a JSON object { id, outcome, note }';
  const unknown = Object.keys(body).filter((key) => !(CLOSE_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) return `unknown field(s): ${unknown.join(', ')}; send { id, outcome, note }`;
  const { id, outcome, note } = body;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return 'id must be the id of an alert';
  if (typeof outcome !== 'string' || !(ALERT_OUTCOMES as readonly string[]).includes(outcome)) return `outcome must be one of ${ALERT_OUTCOMES.join(', ')}`;
  const trimmed = typeof note === 'string' ? note.trim() : '';
  if (trimmed.length === 0 || trimmed.length > MAX_ALERT_NOTE_LENGTH) return `note is required: 1–${MAX_ALERT_NOTE_LENGTH} characters saying why`;
  return { id, outcome: outcome as AlertOutcome, note: trimmed };
}

export function alertRoutes(
  alerts: PrivacyAlerts,
  audit: AuditLog,
  codec: IdCodec,
): { get: Record<string, JsonRoute<GatewayContext>>; post: Record<string, JsonPostRoute<GatewayContext>> } {
  return {
    get: {
      [ALERTS_PATH]: async (context, query) => {
        const { principal } = context;
        if (principal.role !== 'data_protection_officer' && principal.role !== 'team_manager') return FORBIDDEN();
        // A team manager's token always names the team (shield/roles.ts); without it they see nothing.
        if (principal.role === 'team_manager' && !principal.team) return FORBIDDEN();
        const status = query.get('status');
        const kind = query.get('kind');
        const limit = Number(query.get('first') ?? query.get('limit') ?? 100);
        const afterId = query.get('after');
        if (status !== null && !(ALERT_STATUSES as readonly string[]).includes(status))
          return refusal(ErrorCode.BAD_USER_INPUT, `status must be one of ${ALERT_STATUSES.join(', ')}`);
        if (kind !== null && !(ALERT_KINDS as readonly string[]).includes(kind))
          return refusal(ErrorCode.BAD_USER_INPUT, `kind must be one of ${ALERT_KINDS.join(', ')}`);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return refusal(ErrorCode.BAD_USER_INPUT, `first must be 1–${MAX_LIMIT}`);
        if (afterId !== null && (afterId.length === 0 || afterId.length > MAX_ID_LENGTH))
          return refusal(ErrorCode.BAD_USER_INPUT, 'after must be the endCursor of the page before');

        let found: PrivacyAlert[];
        let hasNextPage: boolean;
        try {
          const after = afterId === null ? undefined : await alerts.find(afterId);
          // A cursor a team manager could not have been given (another team's alert) is as unknown as a made-up one.
          if (after === null || (after && principal.role === 'team_manager' && after.team !== principal.team))
            return refusal(ErrorCode.BAD_USER_INPUT, 'after must be the endCursor of the page before');
          const page = await alerts.list({
            ...(status ? { status: status as AlertStatus } : {}),
            ...(kind ? { kind: kind as AlertKind } : {}),
            ...(principal.role === 'team_manager' ? { team: principal.team } : {}),
            ...(after ? { after } : {}),
            limit: limit + 1,
          });
          hasNextPage = page.length > limit;
          found = page.slice(0, limit);
        } catch {
          return AUDIT_UNAVAILABLE();
        }
        const views = found.map((alert) => (principal.role === 'data_protection_officer' ? dpoView(alert, codec) : teamManagerView(alert, codec, principal)));
        const subjects = new Map<string, AuditedSubject>();
        for (const [index, alert] of found.entries()) {
          const returned = Object.keys(views[index] ?? {}).map((field) => `PrivacyAlert.${field}`);
          subjects.set(alert.subject.ref, {
            ...alert.subject,
            returned: [...new Set([...(subjects.get(alert.subject.ref)?.returned ?? []), ...returned])].sort(),
            denied: [],
          });
        }
        const filters = Object.fromEntries(
          ['status', 'kind', 'first', 'limit', 'after'].flatMap((name) => (query.has(name) ? [[name, String(query.get(name))]] : [])),
        );
        try {
          await audit.append(
            auditRecord({
              at: new Date(),
              requestId: context.requestId,
              actor: auditActor(principal, codec),
              action: 'read',
              why: [{ field: ALERTS_PATH, argument: 'query', value: filters }],
              subjects: [...subjects.values()],
            }),
          );
        } catch {
          return AUDIT_UNAVAILABLE();
        }
        return { status: 200, body: { alerts: views, pageInfo: { hasNextPage, endCursor: found.at(-1)?._id ?? null } } };
      },
    },
    post: {
      [CLOSE_ALERT_PATH]: async (context, body) => {
        const { principal } = context;
        if (principal.role !== 'data_protection_officer') return FORBIDDEN();
        const request = closeRequestOf(body);
        if (typeof request === 'string') return refusal(ErrorCode.BAD_USER_INPUT, request);
        let result;
        try {
          result = await alerts.close({ ...request, by: auditActor(principal, codec), requestId: context.requestId, at: new Date() });
        } catch {
          return AUDIT_UNAVAILABLE();
        }
        if ('problem' in result) {
          return result.problem === 'NOT_FOUND'
            ? refusal(ErrorCode.NOT_FOUND, 'no alert has this id')
            : refusal(ErrorCode.ALREADY_CLOSED, 'this alert is already closed');
        }
        return { status: 200, body: { alert: dpoView(result.closed, codec) } };
      },
    },
  };
}
