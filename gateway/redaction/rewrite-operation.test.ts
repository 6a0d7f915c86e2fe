import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from './aliases.js';
import type { Decision } from '../../shield/policy-rule.js';
import { rewriteOperation, RewriteError, type FieldPolicy, type Needs } from './rewrite-operation.js';

const schema = buildSchema(`
  type Query { client(id: ID!): Client, clients: [Client!]! }
  type Client { id: ID! name: String secret: String keyworker: Staff keyworkerIds: [ID!]! }
  type Staff { name: String }
`);

/** A policy small enough to read: secrets never, names only after a check that reads the client's keyworkers. */
const DECISIONS: Record<string, Decision> = { 'Client.secret': 'deny', 'Client.name': 'check', 'Staff.name': 'check' };
const NEEDS: Record<string, Needs> = {
  'Client.name': { Client: `${INTERNAL_ALIAS_PREFIX}kw: keyworkerIds` },
  'Staff.name': { Client: `${INTERNAL_ALIAS_PREFIX}kw: keyworkerIds` },
};
const policy: FieldPolicy = {
  decide: (type, field) => DECISIONS[`${type}.${field}`] ?? 'allow',
  needs: (type, field) => NEEDS[`${type}.${field}`] ?? {},
  idArgumentType: (owner, path) => (owner === 'Query.client' && path === 'id' ? 'Client' : undefined),
  alwaysNeeds: () => undefined,
};

function rewrite(source: string, variables: Record<string, unknown> = {}) {
  return rewriteOperation({
    schema,
    document: parse(source),
    operationName: undefined,
    variables,
    role: 'support_worker',
    policy,
    decodeId: (type, token) => (token.startsWith('tok-') ? `raw-${type}-${token.slice(4)}` : null),
  });
}

describe('rewriteOperation', () => {
  it('never asks the subgraphs for a field the role may not see, wherever it is written', () => {
    const printed = print(rewrite('{ clients { secret ...F } } fragment F on Client { secret other: secret }').document);
    expect(printed).not.toContain('secret');
  });

  it('fetches every kept field under the client key prefix, aliases included', () => {
    const printed = print(rewrite('{ clients { id mine: id } }').document);
    expect(printed).toContain(`${CLIENT_KEY_PREFIX}clients: clients`);
    expect(printed).toContain(`${CLIENT_KEY_PREFIX}mine: id`);
  });

  it('adds what a checked field needs to the selection set of the type it is about, an ancestor included', () => {
    const printed = print(rewrite('{ clients { keyworker { name } } }').document);
    // Staff.name needs a fact of the Client above it: fetched beside `keyworker`, not inside it.
    expect(printed).toMatch(new RegExp(`${CLIENT_KEY_PREFIX}keyworker: keyworker \\{[^}]*\\}\\s*${INTERNAL_ALIAS_PREFIX}kw: keyworkerIds`));
  });

  it('refuses an alias in the internal namespace, so no client field can pass for a fact', () => {
    expect(() => rewrite(`{ clients { ${INTERNAL_ALIAS_PREFIX}kw: id } }`)).toThrow(RewriteError);
  });

  it('decodes an id literal into a variable, so the rewritten text holds no id', () => {
    const rewritten = rewrite('{ client(id: "tok-7") { id } }');
    expect(print(rewritten.document)).not.toContain('tok-7');
    expect(Object.values(rewritten.variables)).toContain('raw-Client-7');
  });

  it('refuses an id it cannot decode', () => {
    expect(() => rewrite('query($id: ID!) { client(id: $id) { id } }', { id: 'forged' })).toThrow(RewriteError);
  });

  it('keeps a selection set valid when every field in it was dropped', () => {
    const printed = print(rewrite('{ clients { secret } }').document);
    expect(printed).toMatch(new RegExp(`${CLIENT_KEY_PREFIX}clients: clients \\{\\s*__typename\\s*\\}`));
  });
});
