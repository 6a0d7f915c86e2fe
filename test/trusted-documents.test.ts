import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash, readManifest } from '../gateway/trusted-documents/manifest.js';
import { DEV_JWT_SECRET } from '../platform/secrets.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { ConsoleMyCaseloadDocument } from '../web/src/generated/graphql.js';
import { DpoSubjectAccessRegisterDocument, KeyworkerCaseloadDocument, KeyworkerRecordCaseNoteDocument } from '../api/generated/graphql.js';
import { startTestStack, TEST_AUDIENCE, TEST_ISSUER, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { dpo as DPO, keyworkerOfSam as KEYWORKER } from './support/principals.js';

/**
 * Trusted documents (issue 11): in production a first-party app (its token's `azp` or
 * `client_id` listed in TRUSTED_DOCUMENTS_CLIENTS) runs only the manifest's operations, by
 * text or by hash; anything else is refused before a subgraph is asked. Other callers, and
 * every caller in development, run any operation (the control: the very requests refused in
 * production run there). Nothing is registered at run time, so a hash confirms nothing.
 */

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(48),
  JWT_ISSUER: 'https://idp.needtoknow.test/',
  SUBGRAPH_SIGNING_SECRET: 'q'.repeat(48),
  ID_TOKEN_SECRET: 'r'.repeat(48),
  TRUSTED_DOCUMENTS_CLIENTS: 'needtoknow-console, needtoknow-mobile',
};

const ARBITRARY = '{ myCaseload { id name dateOfBirth } }';
const CASELOAD = KeyworkerCaseloadDocument.toString();
const CASELOAD_HASH = documentHash(CASELOAD);

let prod: TestStack;
let dev: TestStack;
beforeAll(async () => {
  prod = await startTestStack({ env: PRODUCTION });
  // Development over the same data: arbitrary operations stay available there.
  dev = await startTestStack({ prefix: prod.prefix });
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

function mint(stack: 'prod' | 'dev', principal: Principal, client: Record<string, string> = {}): Promise<string> {
  const production = stack === 'prod';
  return new SignJWT({ role: principal.role, ...client })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuer(production ? PRODUCTION.JWT_ISSUER : TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(production ? PRODUCTION.JWT_SECRET : DEV_JWT_SECRET));
}

async function send(stack: TestStack, token: string, body: Record<string, unknown>): Promise<{ status: number; body: GraphQLResponseBody }> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponseBody };
}

const byHash = (hash: string, rest: Record<string, unknown> = {}) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, ...rest });
const codeOf = (body: GraphQLResponseBody) => body.errors?.[0]?.extensions?.code;
const caseload = (body: GraphQLResponseBody) => (body.data as { myCaseload?: { name: string }[] } | undefined)?.myCaseload?.map((each) => each.name).sort();

describe('production: a first-party app runs only the manifest', () => {
  it('refuses an arbitrary operation, for a token naming the app in azp or client_id, before any subgraph is asked', async () => {
    for (const claim of [{ azp: 'needtoknow-mobile' }, { client_id: 'needtoknow-console' }] as Record<string, string>[]) {
      const token = await mint('prod', KEYWORKER, claim);
      prod.resetCounters();
      const { status, body } = await send(prod, token, { query: ARBITRARY });
      expect(status, JSON.stringify(claim)).toBe(403);
      expect(codeOf(body)).toBe('OPERATION_NOT_TRUSTED');
      expect(body.data ?? null).toBeNull();
      expect(prod.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
    }
  });

  it('refuses every variation of a manifest operation: other whitespace, a second operation, an added field, a mutation', async () => {
    const token = await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' });
    const variations = [
      CASELOAD.trim(),
      `${CASELOAD}\nquery Extra { me { role } }`,
      CASELOAD.replace('status', 'status dateOfBirth'),
      'mutation { startHomeVisit(clientId: "x") { id } }',
    ];
    for (const query of variations) {
      const { status, body } = await send(prod, token, { query, operationName: 'KeyworkerCaseload' });
      expect([status, codeOf(body)], query).toEqual([403, 'OPERATION_NOT_TRUSTED']);
    }
  });

  it('runs a manifest operation by its text, by extensions.persistedQuery, by documentId, and by GET', async () => {
    const token = await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' });
    const byText = await send(prod, token, { query: CASELOAD });
    expect(byText.body.errors).toBeUndefined();
    expect(caseload(byText.body)).toEqual(expect.arrayContaining([PERSONAS.ordinaryClient.name, PERSONAS.refugeResident.name]));
    for (const body of [byHash(CASELOAD_HASH), { documentId: `sha256:${CASELOAD_HASH}` }, { query: CASELOAD, ...byHash(CASELOAD_HASH) }]) {
      const answer = await send(prod, token, body);
      expect(answer.body, JSON.stringify(body)).toEqual(byText.body);
    }
    const search = new URLSearchParams({ extensions: JSON.stringify(byHash(CASELOAD_HASH).extensions) });
    const get = await fetch(`${prod.gatewayUrl}?${search.toString()}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual(byText.body);
    // The console's own operations are in the manifest too.
    const console = await send(prod, await mint('prod', KEYWORKER, { azp: 'needtoknow-console' }), { query: ConsoleMyCaseloadDocument.toString() });
    expect(console.body.errors).toBeUndefined();
  });

  it('writes only through a manifest mutation: a refused one stores nothing', async () => {
    const token = await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' });
    const clientId = prod.idFor(KEYWORKER, 'Client', PERSONAS.ordinaryClient.clientId);
    const notes = () => prod.db('clients').collection('caseNotes').countDocuments({ clientId: PERSONAS.ordinaryClient.clientId });
    const before = await notes();
    const variables = { clientId, occurredAt: new Date().toISOString(), venue: 'Home', text: 'Discussed the week ahead.' };
    const text = KeyworkerRecordCaseNoteDocument.toString();
    const refused = await send(prod, token, { query: text.replace('recordedAt', 'recordedAt text'), variables });
    expect(codeOf(refused.body)).toBe('OPERATION_NOT_TRUSTED');
    expect(await notes()).toBe(before);
    const stored = await send(prod, token, { ...byHash(documentHash(text)), variables });
    expect(stored.body.errors).toBeUndefined();
    expect(await notes()).toBe(before + 1);
  });

  it('refuses a hash not in the manifest, and a hash sent with another text', async () => {
    const token = await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' });
    const unknown = await send(prod, token, byHash(documentHash(ARBITRARY)));
    expect(codeOf(unknown.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.body.data ?? null).toBeNull();
    const hijack = await send(prod, token, { query: ARBITRARY, ...byHash(CASELOAD_HASH) });
    expect([hijack.status, codeOf(hijack.body)]).toEqual([400, 'BAD_REQUEST']);
    expect(hijack.body.data ?? null).toBeNull();
    for (const body of [{ extensions: { persistedQuery: { version: 2, sha256Hash: CASELOAD_HASH } } }, { documentId: 'md5:abc' }]) {
      expect(codeOf((await send(prod, token, body)).body), JSON.stringify(body)).toBe('BAD_REQUEST');
    }
  });
});

describe('production: callers that are not first-party apps', () => {
  it('run any operation (an outside organisation’s or another client), and manifest operations by hash', async () => {
    for (const claim of [{}, { azp: 'northshire-nhs-portal' }] as Record<string, string>[]) {
      const token = await mint('prod', KEYWORKER, claim);
      const arbitrary = await send(prod, token, { query: ARBITRARY });
      expect(arbitrary.body.errors, JSON.stringify(claim)).toBeUndefined();
      expect(caseload(arbitrary.body)).toContain(PERSONAS.ordinaryClient.name);
      expect(caseload((await send(prod, token, byHash(CASELOAD_HASH))).body)).toContain(PERSONAS.ordinaryClient.name);
    }
  });

  it('never register a text: a hash another caller sent with its text is still unknown to everyone', async () => {
    const outsider = await mint('prod', KEYWORKER);
    const text = '{ myCaseload { id status } }';
    expect((await send(prod, outsider, { query: text, ...byHash(documentHash(text)) })).body.errors).toBeUndefined();
    for (const token of [outsider, await mint('prod', DPO), await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' })]) {
      expect(codeOf((await send(prod, token, byHash(documentHash(text)))).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('learn nothing from another role’s manifest operation: its hash runs as the caller, under the caller’s policy', async () => {
    // The manifest is public (it ships inside the apps): knowing a hash is knowing the text.
    const register = DpoSubjectAccessRegisterDocument.toString();
    expect(readManifest().textOf(documentHash(register))).toBe(register);
    const variables = { filter: 'ALL', first: 10 };
    const keyworker = await send(prod, await mint('prod', KEYWORKER, { azp: 'needtoknow-mobile' }), byHash(documentHash(register), { variables }));
    expect(keyworker.body.data).toEqual({ subjectAccessRegister: null });
    expect(keyworker.body.errors).toEqual([expect.objectContaining({ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } })]);
    const dpo = await send(prod, await mint('prod', DPO, { azp: 'needtoknow-console' }), byHash(documentHash(register), { variables }));
    expect(dpo.body.errors).toBeUndefined();
  });
});

describe('development: arbitrary operations stay available (the control)', () => {
  it('runs the very operations production refuses, and manifest operations by hash', async () => {
    const token = await mint('dev', KEYWORKER, { azp: 'needtoknow-mobile' });
    for (const query of [ARBITRARY, CASELOAD.replace('status', 'status dateOfBirth')]) {
      const answer = await send(dev, token, { query });
      expect(answer.body.errors, query).toBeUndefined();
      expect(caseload(answer.body)).toContain(PERSONAS.ordinaryClient.name);
    }
    expect(caseload((await send(dev, token, byHash(CASELOAD_HASH))).body)).toContain(PERSONAS.ordinaryClient.name);
    expect(codeOf((await send(dev, token, byHash(documentHash(ARBITRARY)))).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
