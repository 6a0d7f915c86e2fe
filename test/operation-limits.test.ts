import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { keyworkerOfSam as keyworker } from './support/principals.js';

/** DESIGN.md "Bad input": deep, wide, aliased or batched operations past the limits get a clear error and reach nothing. */

let t: TestStack;
let token: string;
beforeAll(async () => {
  t = await startTestStack({ env: { MAX_QUERY_DEPTH: '8', MAX_QUERY_FIELDS: '60', MAX_QUERY_ALIASES: '10' } });
  token = await t.token(keyworker);
});
afterAll(async () => {
  await t.close();
});

async function refused(query: string, message: RegExp): Promise<void> {
  t.resetCounters();
  const { status, body } = await t.query(token, query);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors?.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && message.test(e.message))).toBe(true);
  expect(t.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
}

/** client → consents → subject → consents → subject … `levels` deep. */
function nested(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i += 1) inner = `consents { subject { ${inner} } }`;
  return `{ myCaseload { ${inner} } }`;
}

describe('operation limits', () => {
  it('answers an operation within the limits (the control)', async () => {
    const { status, body } = await t.query(token, nested(3));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses one nested too deep, also when the depth hides in fragments', async () => {
    await refused(nested(4), /^Operation depth 10 exceeds the limit of 8$/);
    await refused(
      '{ myCaseload { ...A } } fragment A on Client { consents { subject { ...B } } } fragment B on Client { consents { subject { ...C } } } fragment C on Client { consents { subject { consents { subject { name } } } } }',
      /depth/,
    );
  });

  it('refuses one too wide, counting fragments every time they are spread', async () => {
    await refused(
      `{ myCaseload { ...F ...F ...F ...F ...F ...F ...F ...F } } fragment F on Client { ${'name '.repeat(1)} keyworkers { name workPhone team { name service } } caseNotes { text venue } dateOfBirth }`,
      /field count/,
    );
  });

  it('refuses one with too many aliases', async () => {
    await refused(`{ myCaseload { ${Array.from({ length: 11 }, (_, i) => `a${i}: name`).join(' ')} } }`, /^Operation alias count 11 exceeds the limit of 10$/);
  });

  it('refuses a batch of operations in one request', async () => {
    t.resetCounters();
    const response = await fetch(t.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ myCaseload { name } }' }, { query: '{ myCaseload { name } }' }]),
    });
    expect(response.status).toBe(400);
    expect(t.subgraphRequests).toEqual({ clients: 0, hr: 0, consent: 0 });
  });
});
