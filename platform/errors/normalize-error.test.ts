import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-body.js';
import { ErrorCode } from './error-codes.js';
import { DOWNSTREAM_MESSAGE, INTERNAL_MESSAGE, mostSignificantError, normalizeError } from './normalize-error.js';

describe('normalizeError', () => {
  it('keeps the code and message of a client-safe error, with the status of its code', () => {
    expect(normalizeError(new GraphQLError('period must be a whole month', { extensions: { code: 'BAD_USER_INPUT' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'period must be a whole month',
      status: 400,
    });
    expect(normalizeError({ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } })).toEqual({ code: 'FORBIDDEN', message: 'Forbidden', status: 403 });
    expect(normalizeError(new HttpError(413, 'PAYLOAD_TOO_LARGE', 'request body is larger than 10 bytes'))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
  });

  it('masks anything else to one fixed message: no driver text, no stack, no data', () => {
    const leaky = Object.assign(new Error('E11000 duplicate key: { name: "Sam Jones" }'), { code: 11000 });
    for (const error of [
      leaky,
      new Error('boom'),
      new GraphQLError('Cannot return null for Client.name'),
      'a string',
      42,
      null,
      undefined,
      { extensions: { code: 'SOMETHING_ELSE' } },
      new HttpError(500, 'INTERNAL_SERVER_ERROR', 'at Object.<anonymous> (/srv/x.ts:1)'),
    ]) {
      expect(normalizeError(error)).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_MESSAGE, status: 500 });
    }
  });

  it('never throws, even for an error whose properties throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    expect(normalizeError(hostile)).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_MESSAGE, status: 500 });
    const getter = Object.defineProperty({}, 'extensions', {
      get: () => {
        throw new Error('trap');
      },
    });
    expect(normalizeError(getter).code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('gives a temporary code its Retry-After: the error’s own, else the default', () => {
    expect(normalizeError(new GraphQLError('The audit trail is unavailable', { extensions: { code: 'AUDIT_UNAVAILABLE' } }))).toEqual({
      code: 'AUDIT_UNAVAILABLE',
      message: 'The audit trail is unavailable',
      status: 503,
      retryAfterSeconds: 1,
    });
    expect(normalizeError(new HttpError(429, 'RATE_LIMITED', 'too many', { 'retry-after': '17' })).retryAfterSeconds).toBe(17);
    expect(normalizeError({ message: 'Too many', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42 } })).toMatchObject({
      status: 429,
      retryAfterSeconds: 42,
    });
    expect(
      normalizeError({ message: 'x', extensions: { code: 'DEADLINE_EXCEEDED', http: { status: 503, headers: new HeaderMap([['retry-after', '3']]) } } })
        .retryAfterSeconds,
    ).toBe(3);
    expect(normalizeError({ message: 'x', extensions: { code: 'AUDIT_UNAVAILABLE', retryAfterSeconds: -5 } }).retryAfterSeconds).toBe(1);
    expect(normalizeError(new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN', retryAfterSeconds: 9 } }))).not.toHaveProperty('retryAfterSeconds');
  });

  it('passes on what a subgraph resolver wrote for clients, and nothing else a subgraph said', () => {
    const relayed = (code: string, message: string) => new GraphQLError(message, { extensions: { code, serviceName: 'clients' } });
    expect(normalizeError(relayed('BAD_USER_INPUT', 'first must be 1–100'))).toMatchObject({ code: 'BAD_USER_INPUT', message: 'first must be 1–100' });
    expect(normalizeError(relayed('FORBIDDEN', 'Forbidden'))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    // A validation error from a subgraph names the gateway's own rewritten query; a driver's quotes data.
    for (const error of [
      relayed('GRAPHQL_VALIDATION_FAILED', 'Cannot query field "__ntk_x"'),
      relayed('INTERNAL_SERVER_ERROR', 'Sam Jones'),
      relayed('DOWNSTREAM_SERVICE_ERROR', 'ECONNREFUSED 10.0.0.4'),
    ]) {
      expect(normalizeError(error)).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR', message: DOWNSTREAM_MESSAGE, status: 503, retryAfterSeconds: 1 });
    }
  });

  it('for errors of the fetch, masks what no resolver wrote even without a service name', () => {
    expect(normalizeError({ message: 'secret', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, { fetched: true })).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: INTERNAL_MESSAGE,
    });
    expect(normalizeError({ message: 'upstream words', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } }, { fetched: true })).toMatchObject({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      message: DOWNSTREAM_MESSAGE,
    });
    expect(normalizeError({ message: 'Invalid id', extensions: { code: 'BAD_USER_INPUT' } }, { fetched: true })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'Invalid id',
    });
  });

  it('reads the code a RewriteError-style error carries as a property', () => {
    const rewrite = Object.assign(new Error('Invalid id'), { code: ErrorCode.BAD_USER_INPUT });
    expect(normalizeError(rewrite)).toMatchObject({ code: 'BAD_USER_INPUT', message: 'Invalid id', status: 400 });
  });
});

describe('mostSignificantError', () => {
  const error = (code: string, message = code) => ({ message, extensions: { code } });

  it('a refusal first, then a failure that passes, then our fault, then the rest', () => {
    expect(mostSignificantError([error('BAD_USER_INPUT'), error('AUDIT_UNAVAILABLE'), error('FORBIDDEN')]).code).toBe('FORBIDDEN');
    expect(mostSignificantError([error('BAD_USER_INPUT'), error('INTERNAL_SERVER_ERROR'), error('AUDIT_UNAVAILABLE')]).code).toBe('AUDIT_UNAVAILABLE');
    expect(mostSignificantError([error('BAD_USER_INPUT'), new Error('boom')]).code).toBe('INTERNAL_SERVER_ERROR');
    expect(mostSignificantError([error('BAD_USER_INPUT', 'first'), error('BAD_USER_INPUT', 'second')]).message).toBe('first');
  });

  it('no errors at all is our fault, not the caller’s', () => {
    expect(mostSignificantError([])).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500 });
    expect(mostSignificantError(undefined)).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500 });
  });
});
