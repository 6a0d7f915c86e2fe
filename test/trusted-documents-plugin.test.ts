import { ApolloServer, HeaderMap } from '@apollo/server';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../gateway/config.js';
import { documentHash, parseManifest } from '../gateway/trusted-documents/manifest.js';
import { clientIdOf, trustedDocumentsPlugin, type TrustedDocumentsSettings } from '../gateway/trusted-documents/trusted-documents-plugin.js';
import { ConfigError } from '../platform/env.js';

/**
 * The trusted-documents modes and their configuration, on a one-field Apollo server (the real
 * gateway is in test/trusted-documents.test.ts): `require` holds every caller, `first-party`
 * only the listed clients, `off` none; the gateway's own operations (no HTTP request) never.
 */

const TRUSTED = 'query Hello { hello }';
const manifest = parseManifest(JSON.stringify({ [documentHash(TRUSTED)]: TRUSTED }));
const servers = new Map<string, ApolloServer>();

async function bearer(claims: Record<string, string>): Promise<string> {
  // Signature unchecked here: the gateway verifies the token before Apollo runs.
  return `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)))}`;
}

beforeAll(async () => {
  const modes: Record<string, TrustedDocumentsSettings> = {
    off: { mode: 'off', clients: ['app'] },
    'first-party': { mode: 'first-party', clients: ['app'] },
    require: { mode: 'require', clients: [] },
  };
  for (const [name, settings] of Object.entries(modes)) {
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
      plugins: [trustedDocumentsPlugin(settings, manifest)],
      persistedQueries: false,
    });
    await server.start();
    servers.set(name, server);
  }
});
afterAll(async () => {
  for (const server of servers.values()) await server.stop();
});

async function ask(mode: string, query: string, authorization?: string): Promise<unknown> {
  const headers = new HeaderMap([['content-type', 'application/json']]);
  if (authorization) headers.set('authorization', authorization);
  const response = await servers
    .get(mode)!
    .executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query } }, context: async () => ({}) });
  if (response.body.kind !== 'complete') throw new Error('expected a complete answer');
  const body = JSON.parse(response.body.string) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return body.errors?.[0]?.extensions?.code ?? body.data;
}

describe('trusted-documents modes', () => {
  it('holds the callers each mode names, and only them', async () => {
    const app = await bearer({ azp: 'app' });
    const other = await bearer({ azp: 'partner' });
    const expected: Record<string, [string | undefined, unknown][]> = {
      off: [
        [app, { hello: 'hi' }],
        [other, { hello: 'hi' }],
        [undefined, { hello: 'hi' }],
      ],
      'first-party': [
        [app, 'OPERATION_NOT_TRUSTED'],
        [other, { hello: 'hi' }],
        [undefined, { hello: 'hi' }],
      ],
      require: [
        [app, 'OPERATION_NOT_TRUSTED'],
        [other, 'OPERATION_NOT_TRUSTED'],
        [undefined, 'OPERATION_NOT_TRUSTED'],
      ],
    };
    for (const [mode, cases] of Object.entries(expected)) {
      for (const [authorization, answer] of cases) {
        expect(await ask(mode, '{ hello }', authorization), `${mode} ${authorization?.slice(0, 20)}`).toEqual(answer);
        expect(await ask(mode, TRUSTED, authorization), `${mode}: the manifest operation`).toEqual({ hello: 'hi' });
      }
    }
  });

  it('never holds the gateway’s own operations (no HTTP request: CSV reports, subject access export)', async () => {
    const answer = await servers.get('require')!.executeOperation({ query: '{ hello }' });
    expect(answer.body.kind === 'single' ? answer.body.singleResult.data : undefined).toEqual({ hello: 'hi' });
  });

  it('names the client by azp, else client_id, and nothing from a malformed header', async () => {
    expect(clientIdOf(await bearer({ azp: 'a', client_id: 'b' }))).toBe('a');
    expect(clientIdOf(await bearer({ client_id: 'b' }))).toBe('b');
    expect(clientIdOf('Basic abc')).toBeUndefined();
    expect(clientIdOf('Bearer not-a-jwt')).toBeUndefined();
  });
});

describe('trusted-documents configuration', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'p'.repeat(48),
    JWT_ISSUER: 'https://idp.example/',
    SUBGRAPH_SIGNING_SECRET: 'q'.repeat(48),
    ID_TOKEN_SECRET: 'r'.repeat(48),
  };
  const problemsOf = (env: Record<string, string>) => {
    try {
      readGatewayConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('is off in development and first-party in production', () => {
    expect(readGatewayConfig({}).config.trustedDocuments).toMatchObject({ mode: 'off', clients: [] });
    expect(readGatewayConfig({ ...production, TRUSTED_DOCUMENTS_CLIENTS: 'console, mobile-app' }).config.trustedDocuments).toMatchObject({
      mode: 'first-party',
      clients: ['console', 'mobile-app'],
    });
    expect(readGatewayConfig({ ...production, TRUSTED_DOCUMENTS: 'require' }).config.trustedDocuments.mode).toBe('require');
    expect(readGatewayConfig({ ...production, TRUSTED_DOCUMENTS: 'off' }).config.trustedDocuments.mode).toBe('off');
  });

  it('refuses first-party without clients, a client id with spaces, and an unknown mode', () => {
    expect(problemsOf({ TRUSTED_DOCUMENTS: 'first-party' })).toEqual([expect.stringMatching(/needs TRUSTED_DOCUMENTS_CLIENTS/)]);
    expect(problemsOf({ TRUSTED_DOCUMENTS_CLIENTS: 'good,bad id' })).toEqual([expect.stringMatching(/"bad id" is not a client id/)]);
    expect(problemsOf({ TRUSTED_DOCUMENTS: 'apq' })).toEqual([expect.stringMatching(/TRUSTED_DOCUMENTS must be one of off, first-party, require/)]);
  });
});
