import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { GatewayContext } from '../context.js';
import { SUBJECT_ACCESS_EXPORT_PATH, subjectAccessRoutes } from './subject-access-export.js';

/**
 * How the export answers when its GraphQL operation fails: before anything else is touched,
 * so the trail, the database and the codec are stand-ins that fail the test if used.
 */

function unused<T>(what: string): T {
  return new Proxy(
    {},
    {
      get: () => {
        throw new Error(`${what} was used`);
      },
    },
  ) as T;
}

function exportAnswering(result: FormattedExecutionResult) {
  const apollo = {
    executeOperation: async () => ({ http: { status: undefined }, body: { kind: 'single' as const, singleResult: result } }),
  } as unknown as ApolloServer<GatewayContext>;
  const route = subjectAccessRoutes(apollo, unused<Db>('the audit database'), unused<AuditLog>('the audit log'), unused<IdCodec>('the codec'))[
    SUBJECT_ACCESS_EXPORT_PATH
  ];
  if (!route) throw new Error('no export route');
  return route({ principal: { role: 'service_user', sub: 'c-sam' }, requestId: 'test-request-id' }, new URLSearchParams());
}

const failing = (code: string, message = code) => exportAnswering({ data: { export: null }, errors: [{ message, extensions: { code } }] });

describe('a subject access export whose data cannot be read', () => {
  it('the audit trail down: 503 AUDIT_UNAVAILABLE with Retry-After, as /graphql answers, not a generic failure', async () => {
    expect(await failing('AUDIT_UNAVAILABLE', 'The audit trail is unavailable, so no personal data was returned. Try again shortly.')).toEqual({
      status: 503,
      body: {
        errors: [
          { message: 'The audit trail is unavailable, so no personal data was returned. Try again shortly.', extensions: { code: 'AUDIT_UNAVAILABLE' } },
        ],
      },
      headers: { 'retry-after': '1' },
    });
  });

  it('a data source down: 503 DOWNSTREAM_SERVICE_ERROR with Retry-After; no partial export', async () => {
    expect(await failing('DOWNSTREAM_SERVICE_ERROR', 'part of the answer is missing')).toMatchObject({
      status: 503,
      body: { errors: [{ extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } }] },
      headers: { 'retry-after': '1' },
    });
  });

  it('our own fault: 500, masked', async () => {
    expect(await failing('INTERNAL_SERVER_ERROR', 'TypeError at /srv/gateway.ts:12 for Sam Jones')).toEqual({
      status: 500,
      body: { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
  });

  it('a refusal: 403 FORBIDDEN, the one answer every door gives', async () => {
    expect(await failing('FORBIDDEN', 'Forbidden')).toEqual({ status: 403, body: { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] } });
  });
});
