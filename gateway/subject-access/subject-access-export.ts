import type { ApolloServer } from '@apollo/server';
import type { Db } from 'mongodb';
import type { JsonRoute } from '../../platform/graphql-http-server.js';
import { audienceOf } from '../../shield/audience.js';
import type { IdCodec } from '../../shield/opaque-ids.js';
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

type Answer = { status: number; body: unknown };
type ExportData = Record<string, unknown>;
interface RequestData {
  subject: { id: string } | null;
  receivedOn: string | null;
  dueOn: string | null;
  status: string | null;
  export: ExportData | null;
}

function refused(status: number, code: string, message: string): Answer {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

export function subjectAccessRoutes(apollo: ApolloServer<GatewayContext>, auditDb: Db, audit: AuditLog, codec: IdCodec, alerts?: PrivacyAlerts): Record<string, JsonRoute<GatewayContext>> {
  const run = async (context: GatewayContext, query: string, variables?: Record<string, unknown>): Promise<{ failure: Answer } | { data: Record<string, unknown> }> => {
    const result = await runOperation(apollo, context, query, variables);
    if (!result) return { failure: refused(500, 'INTERNAL_SERVER_ERROR', 'the export could not be produced') };
    if (result.errors?.length) {
      const codes = result.errors.map((error) => error.extensions?.code);
      if (codes.includes('FORBIDDEN')) return { failure: refused(403, 'FORBIDDEN', 'Forbidden') };
      if (codes.includes('BAD_USER_INPUT') || codes.includes('GRAPHQL_VALIDATION_FAILED')) return { failure: refused(400, 'BAD_USER_INPUT', result.errors[0]?.message ?? 'bad request') };
      return { failure: refused(502, 'EXPORT_INCOMPLETE', 'a data source did not answer in full; no partial export is given') };
    }
    return { data: (result.data ?? {}) as Record<string, unknown> };
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
        if (!requestId) return refused(400, 'BAD_USER_INPUT', 'request must name a logged subject access request');
        const answer = await run(context, REQUESTED_EXPORT, { request: requestId });
        if ('failure' in answer) return answer.failure;
        const found = answer.data.request as RequestData | null;
        if (!found) return refused(404, 'NOT_FOUND', 'no such subject access request');
        const rawSubject = found.subject ? codec.decode(audienceOf(principal), 'Client', found.subject.id) : null;
        if (rawSubject === null) return refused(502, 'EXPORT_INCOMPLETE', 'the request names no subject the gateway can resolve');
        exported = found.export;
        subjectRef = codec.encode(AUDIT_AUDIENCE, 'Client', rawSubject);
        const rawRequest = codec.decode(audienceOf(principal), 'SubjectAccessRequest', requestId);
        requestRef = rawRequest === null ? null : codec.encode(AUDIT_AUDIENCE, 'SubjectAccessRequest', rawRequest);
        request = { receivedOn: found.receivedOn, dueOn: found.dueOn, status: found.status };
      } else {
        return refused(403, 'FORBIDDEN', 'Forbidden');
      }
      if (!exported) return refused(404, 'NOT_FOUND', 'the client database holds no record for this person');
      // Reading the trail for the export is itself on the trail, like any read of it; and every
      // export raises a privacy alert for the DPO (a stolen service-user token exports everything):
      // both written before the export leaves, or no export.
      const at = new Date();
      const actor = auditActor(principal, codec);
      try {
        await Promise.all([
          audit.append(
            auditRecord({ at, requestId: context.requestId, actor, action: 'read', why: [{ field: SUBJECT_ACCESS_EXPORT_PATH, argument: 'request', value: query.get('request') ?? 'own' }], subjects: [] }),
          ),
          alerts?.raise({
            actor,
            requestId: context.requestId,
            at,
            alerts: [{ alert: { kind: 'SUBJECT_ACCESS_EXPORTED', details: { by: principal.role === 'service_user' ? 'SUBJECT' : 'DPO', request: requestRef }, subject: { type: 'Client', ref: subjectRef }, team: null } }],
          }),
        ]);
      } catch {
        return refused(503, 'AUDIT_UNAVAILABLE', 'The audit trail is unavailable, so no export was produced. Try again shortly.');
      }
      const accesses = await accessHistoryOf(auditDb, subjectRef);
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
