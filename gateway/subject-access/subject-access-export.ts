import type { ApolloServer } from '@apollo/server';
import type { Db } from 'mongodb';
import { forbiddenError } from '../../platform/errors/coded-error.js';
import { errorAnswer, errorsAnswer, refusal, type ErrorAnswer } from '../../platform/errors/error-answer.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import type { JsonRoute } from '../../platform/graphql-http-server.js';
import { audienceOf } from '../../shield/audience.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import { accessHistoryOf } from '../audit/access-history.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AUDIT_AUDIENCE, auditActor, auditRecord } from '../audit/audit-record.js';
import type { GatewayContext } from '../context.js';
import { runOperation } from '../run-operation.js';
import type { PrivacyAlerts } from '../alerts/privacy-alerts.js';

/**
 * `GET /subject-access/export`: a right-of-access export (UK GDPR Article 15) as one JSON
 * document. A service user gets their own; the DPO gets the subject's for a logged request
 * (`?request=<id>`). The data comes from one GraphQL operation run through the gateway with
 * the caller's own token, so the same rules, redaction and audit apply, and the access history
 * from the audit trail. Any error refuses the whole export: a partial one would be read as
 * complete.
 */

export const SUBJECT_ACCESS_EXPORT_PATH = '/subject-access/export';

const ADDRESS = 'address { line1 line2 town postcode }';
const EXPORT_SELECTION = [
  `record { name dateOfBirth gender ${ADDRESS} phone services status referredOn closedOn restricted }`,
  'caseNotes { occurredAt venue recordedAt text correction }',
  `homeVisits { startedAt endedAt ${ADDRESS} }`,
  'consents { recipientOrganisation recipientType purpose dataCategories signedBy signedHow signedAt validFrom validUntil withdrawnAt }',
  'disclosures { recipientOrganisation dataCategories madeAt basis }',
  'exceptionalDisclosures { recipientOrganisation legalBasis dataCategories openedAt expiresAt closedAt }',
  'decisionsNotToShare { requestingOrganisation purpose dataCategories decidedAt }',
].join(' ');

const OWN_EXPORT = `query SubjectAccessExport { export: mySubjectAccessExport { ${EXPORT_SELECTION} } }`;
const REQUESTED_EXPORT = `query SubjectAccessExport($request: ID!) {
  request: subjectAccessRequest(id: $request) { subject { id } receivedOn dueOn status export { ${EXPORT_SELECTION} } }
}`;

type ExportData = Record<string, unknown>;
interface RequestData {
  subject: { id: string } | null;
  receivedOn: string | null;
  dueOn: string | null;
  status: string | null;
  export: ExportData | null;
}

const auditUnavailable = (): ErrorAnswer =>
  refusal(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable, so no export was produced. Try again shortly.');

export function subjectAccessRoutes(
  apollo: ApolloServer<GatewayContext>,
  auditDb: Db,
  audit: AuditLog,
  codec: IdCodec,
  alerts?: PrivacyAlerts,
): Record<string, JsonRoute<GatewayContext>> {
  // Any error refuses the whole export, with the code and status /graphql gives for it (the
  // audit trail down is AUDIT_UNAVAILABLE, 503 and Retry-After, at both doors).
  const run = async (
    context: GatewayContext,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ failure: ErrorAnswer } | { data: Record<string, unknown> }> => {
    const result = await runOperation(apollo, context, query, variables);
    if (!result || result.errors?.length) return { failure: errorsAnswer(result?.errors) };
    return { data: result.data ?? {} };
  };

  return {
    [SUBJECT_ACCESS_EXPORT_PATH]: async (context, query) => {
      const { principal } = context;
      let exported: ExportData | null;
      let subjectRef: string;
      let request: Omit<RequestData, 'subject' | 'export'> | undefined;
      let requestRef: string | null = null;
      if (principal.role === 'service_user') {
        const answer = await run(context, OWN_EXPORT);
        if ('failure' in answer) return answer.failure;
        exported = (answer.data.export as ExportData | null) ?? null;
        subjectRef = codec.encode(AUDIT_AUDIENCE, 'Client', principal.sub);
      } else if (principal.role === 'data_protection_officer') {
        const requestId = query.get('request');
        if (!requestId) return refusal(ErrorCode.BAD_USER_INPUT, 'request must name a logged subject access request');
        const answer = await run(context, REQUESTED_EXPORT, { request: requestId });
        if ('failure' in answer) return answer.failure;
        const found = answer.data.request as RequestData | null;
        if (!found) return refusal(ErrorCode.NOT_FOUND, 'no such subject access request');
        const rawSubject = found.subject ? codec.decode(audienceOf(principal), 'Client', found.subject.id) : null;
        if (rawSubject === null) return refusal(ErrorCode.EXPORT_INCOMPLETE, 'the request names no subject the gateway can resolve');
        exported = found.export;
        subjectRef = codec.encode(AUDIT_AUDIENCE, 'Client', rawSubject);
        const rawRequest = codec.decode(audienceOf(principal), 'SubjectAccessRequest', requestId);
        requestRef = rawRequest === null ? null : codec.encode(AUDIT_AUDIENCE, 'SubjectAccessRequest', rawRequest);
        request = { receivedOn: found.receivedOn, dueOn: found.dueOn, status: found.status };
      } else {
        return errorAnswer(forbiddenError());
      }
      if (!exported) return refusal(ErrorCode.NOT_FOUND, 'the client database holds no record for this person');
      // Reading the trail for the export is itself on the trail, like any read of it; and every
      // export raises a privacy alert for the DPO (a stolen service-user token exports everything):
      // both written before the export leaves, or no export.
      const at = new Date();
      const actor = auditActor(principal, codec);
      try {
        await Promise.all([
          audit.append(
            auditRecord({
              at,
              requestId: context.requestId,
              actor,
              action: 'read',
              why: [{ field: SUBJECT_ACCESS_EXPORT_PATH, argument: 'request', value: query.get('request') ?? 'own' }],
              subjects: [],
            }),
          ),
          alerts?.raise({
            actor,
            requestId: context.requestId,
            at,
            alerts: [
              {
                alert: {
                  kind: 'SUBJECT_ACCESS_EXPORTED',
                  details: { by: principal.role === 'service_user' ? 'SUBJECT' : 'DPO', request: requestRef },
                  subject: { type: 'Client', ref: subjectRef },
                  team: null,
                },
              },
            ],
          }),
        ]);
      } catch {
        return auditUnavailable();
      }
      // The access history is read from the trail too: down between the two, the same answer.
      let accesses: Awaited<ReturnType<typeof accessHistoryOf>>;
      try {
        accesses = await accessHistoryOf(auditDb, subjectRef);
      } catch {
        return auditUnavailable();
      }
      return {
        status: 200,
        body: {
          subjectAccessExport: {
            producedAt: new Date().toISOString(),
            ...(request ? { request } : {}),
            ...exported,
            accesses,
          },
        },
      };
    },
  };
}
