import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from './aliases.js';
import { mergeErrors } from './merge-errors.js';

const json = (errors: GraphQLError[] | undefined) => errors?.map((error) => error.toJSON());

describe('mergeErrors', () => {
  it('passes what a subgraph resolver wrote for clients, at the client’s own path', () => {
    const fetched = [
      { message: 'first must be 1–100', path: [`${CLIENT_KEY_PREFIX}caseNotes`], extensions: { code: 'BAD_USER_INPUT', serviceName: 'clients' } },
    ];
    expect(json(mergeErrors([], fetched))).toEqual([{ message: 'first must be 1–100', path: ['caseNotes'], extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('turns anything else a subgraph said into DOWNSTREAM_SERVICE_ERROR, never its words', () => {
    const fetched = [
      { message: 'E11000 duplicate key { name: "Sam Jones" }', path: ['client'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'clients' } },
    ];
    const [merged] = json(mergeErrors([], fetched)) ?? [];
    expect(merged?.extensions).toEqual({ code: 'DOWNSTREAM_SERVICE_ERROR' });
    expect(merged?.message).not.toContain('Sam');
  });

  it('masks an error of the fetch with no subgraph behind it as internal', () => {
    expect(json(mergeErrors([], [{ message: 'Cannot return null for non-nullable field Client.name', path: ['client'] }]))).toEqual([
      { message: 'Internal error', path: ['client'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });

  it('says nothing about data fetched only for the rules', () => {
    expect(
      mergeErrors(
        [],
        [{ message: 'x', path: ['client', `${INTERNAL_ALIAS_PREFIX}keyworkers`], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'hr' } }],
      ),
    ).toBeUndefined();
  });

  it('keeps a denial even where the fetch failed below it, and the null a failed fetch left is explained by the fetch', () => {
    const forbidden = new GraphQLError('Forbidden', { path: ['client', 'phone'], extensions: { code: 'FORBIDDEN' } });
    const nullLeft = new GraphQLError('Cannot return null', { path: ['client', 'name'] });
    const fetched = [{ message: 'down', path: ['client', 'name'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'clients' } }];
    expect(json(mergeErrors([forbidden, nullLeft], fetched))?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([
      ['client.phone', 'FORBIDDEN'],
      ['client.name', 'DOWNSTREAM_SERVICE_ERROR'],
    ]);
  });
});
