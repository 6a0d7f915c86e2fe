import { afterAll, beforeAll, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

it('a fourth subgraph from one registry entry: started, composed, routed, guarded, ready', async () => {
  await t.db('volunteers' as never).collection('volunteers').insertMany([{ _id: 'v1' }, { _id: 'v2' }] as never);
  const hr = await t.query(await t.token({ role: 'hr', sub: PERSONAS.hrOfficer }), '{ volunteerCount }');
  console.log(JSON.stringify(hr.body));
  expect(hr.body.data).toEqual({ volunteerCount: 2 });
  const worker = await t.query(await t.token({ role: 'support_worker', sub: PERSONAS.keyworkerOfSam }), '{ volunteerCount }');
  expect(worker.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const ready = await fetch(new URL('/health/ready', t.gatewayUrl));
  console.log(await ready.text());
  expect(ready.status).toBe(200);
  expect(t.subgraphRequests.volunteers).toBeGreaterThan(0);
});
