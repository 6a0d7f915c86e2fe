import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.js';
import { readCommittedSupergraph } from '../supergraph/compose.js';
import { reportCsvRoutes } from './report-csv.js';
import { supergraphReports } from './report-descriptors.js';

/** A server that answers every operation with `result` (or throws it): only `executeOperation` is used by the route. */
function serverAnswering(result: FormattedExecutionResult | Error): ApolloServer<GatewayContext> {
  const executeOperation = async () => {
    if (result instanceof Error) throw result;
    return { http: { status: undefined }, body: { kind: 'single' as const, singleResult: result } };
  };
  // A stand-in: the route calls nothing else on the server.
  return { executeOperation } as unknown as ApolloServer<GatewayContext>;
}

const context: GatewayContext = { principal: { role: 'reporting', sub: 'reporting-account' }, requestId: 'test-request-id' };

async function headcount(result: FormattedExecutionResult | Error) {
  const route = reportCsvRoutes(serverAnswering(result), supergraphReports(readCommittedSupergraph()))['/reports/headcount.csv'];
  if (!route) throw new Error('no headcount route');
  return route(context, new URLSearchParams());
}

describe('a CSV report that fails', () => {
  it('answers an internal error 500, masked: never 400, never the words it failed with', async () => {
    const answer = await headcount({
      data: { report: null },
      errors: [{ message: 'Cannot read properties of undefined; client Sam Jones', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(answer).toEqual({ status: 500, body: { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
  });

  it('answers a report that came back empty without saying why as our fault, not the caller’s', async () => {
    expect((await headcount({ data: { report: null } })).status).toBe(500);
  });

  it('answers each code with its status, as /graphql would, and Retry-After for one that passes', async () => {
    const failing = (code: string, message = code) => headcount({ errors: [{ message, extensions: { code } }] });
    expect(await failing('FORBIDDEN', 'Forbidden')).toEqual({ status: 403, body: { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] } });
    expect((await failing('BAD_USER_INPUT', 'period must be a whole month')).status).toBe(400);
    expect(await failing('AUDIT_UNAVAILABLE', 'The audit trail is unavailable')).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(await failing('DOWNSTREAM_SERVICE_ERROR')).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
  });

  it('gives the table as CSV when the report came back', async () => {
    const table = {
      rowDimension: 'TEAM',
      columns: ['A'],
      rows: [{ label: 'North', cells: [{ value: 12, suppressed: false }], total: { value: 12, suppressed: false } }],
      columnTotals: [{ value: 12, suppressed: false }],
      grandTotal: { value: 12, suppressed: false },
    };
    expect(await headcount({ data: { report: table } })).toMatchObject({ status: 200, text: 'TEAM,A,Total\r\nNorth,12,12\r\nTotal,12,12\r\n' });
  });
});
