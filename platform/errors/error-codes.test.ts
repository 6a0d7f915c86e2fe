import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, errorCodeTable, isTemporary } from './error-codes.js';
import { errorAnswer, errorsAnswer, refusal } from './error-answer.js';
import { forbiddenError } from './coded-error.js';

describe('the error codes', () => {
  it('every code of the enum has exactly one definition, under its own name', () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const [name, value] of Object.entries(ErrorCode)) expect(name).toBe(value);
  });

  it('a temporary code answers 503 or 429 (what clients and proxies retry); no other code does', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) expect(isTemporary(code), code).toBe(status === 503 || status === 429);
    expect(isTemporary('NOT_A_CODE')).toBe(false);
  });

  it('only an internal error hides its message', () => {
    const masked = Object.entries(ERROR_CODES)
      .filter(([, definition]) => !definition.clientSafe)
      .map(([code]) => code);
    expect(masked).toEqual(['INTERNAL_SERVER_ERROR']);
  });

  it('the README lists every code, with its status and retry, as the enum says', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- error-codes:start -->');
    const end = readme.indexOf('<!-- error-codes:end -->');
    expect(start, 'README has the error-codes markers').toBeGreaterThan(0);
    expect(
      readme.slice(start + '<!-- error-codes:start -->'.length, end).trim(),
      'README error codes table is stale: paste errorCodeTable() between the markers',
    ).toBe(errorCodeTable());
  });
});

describe('a route’s answer', () => {
  it('is the status of the code, GraphQL’s error shape, and Retry-After only when it passes', () => {
    expect(errorAnswer(forbiddenError())).toEqual({ status: 403, body: { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] } });
    expect(refusal(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable')).toEqual({
      status: 503,
      body: { errors: [{ message: 'The audit trail is unavailable', extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
      headers: { 'retry-after': '1' },
    });
    expect(errorAnswer(new Error('Sam Jones, 12 High St'))).toEqual({
      status: 500,
      body: { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
  });

  it('for a GraphQL result, answers for its most significant error', () => {
    expect(errorsAnswer([{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]).status).toBe(500);
    expect(errorsAnswer([{ message: 'The audit trail is unavailable', extensions: { code: 'AUDIT_UNAVAILABLE' } }])).toMatchObject({
      status: 503,
      headers: { 'retry-after': '1' },
    });
  });
});
