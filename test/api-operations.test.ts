import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  getNamedType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentHash, parseManifest, readManifest, ManifestError } from '../gateway/trusted-documents/manifest.js';
import { FIELDS, MUTATIONS, QUERIES, type Access } from '../shield/policy.js';
import { ROLES, type Role } from '../shield/roles.js';

/**
 * The client developers' kit (api/): the published API schema, the typed example operations
 * per role, and the trusted-documents manifest the gateway runs first-party apps from.
 */

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const schema = buildSchema(readFileSync(root('api/schema.graphql'), 'utf8'));
const operationsDir = root('api/operations');

interface Example {
  readonly role: Role;
  readonly file: string;
  readonly document: DocumentNode;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const role of readdirSync(operationsDir)) {
    const files = readdirSync(`${operationsDir}/${role}`).filter((file) => file.endsWith('.graphql'));
    // Fragments live beside the operations of their role: each operation is checked with them.
    const texts = files.map((file) => readFileSync(`${operationsDir}/${role}/${file}`, 'utf8'));
    const fragments = texts.flatMap((text) => parse(text).definitions.filter((each): each is FragmentDefinitionNode => each.kind === Kind.FRAGMENT_DEFINITION));
    files.forEach((file, index) => {
      const own = parse(texts[index] ?? '');
      if (!own.definitions.some((each) => each.kind === Kind.OPERATION_DEFINITION)) return;
      found.push({
        role: role as Role,
        file: `${role}/${file}`,
        document: { kind: Kind.DOCUMENT, definitions: [...own.definitions, ...fragments.filter((fragment) => !own.definitions.includes(fragment))] },
      });
    });
  }
  return found;
}

/** Every field the document selects that the policy never grants `role`, as Type.field. */
function fieldsNeverGranted(document: DocumentNode, role: Role): string[] {
  const typeInfo = new TypeInfo(schema);
  const refused: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value === '__typename') return;
        let access: Access | undefined;
        if (parent.name === 'Query') access = QUERIES[node.name.value]?.access;
        else if (parent.name === 'Mutation') access = MUTATIONS[node.name.value]?.access;
        else access = FIELDS[parent.name]?.[node.name.value];
        if (access?.[role] === undefined) refused.push(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return refused;
}

const all = examples();

describe('typed example operations per role (api/operations)', () => {
  it('has examples for every role, in a folder named for it', () => {
    expect(readdirSync(operationsDir).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(all.filter((each) => each.role === role).length, role).toBeGreaterThan(0);
  });

  it.each(all.map((each) => [each.file, each] as const))('%s is valid against the published API schema', (_file, example) => {
    expect(validate(schema, example.document).map((error) => error.message)).toEqual([]);
  });

  it.each(all.map((each) => [each.file, each] as const))('%s asks only for what the policy grants its role', (_file, example) => {
    expect(fieldsNeverGranted(example.document, example.role)).toEqual([]);
  });

  it('would catch an example that asks for what its role may never see (the control)', () => {
    const hrAsksForCaseNotes = parse('query X($id: ID!) { client(id: $id) { name caseNotes { text } } }');
    expect(fieldsNeverGranted(hrAsksForCaseNotes, 'hr')).toEqual(['Query.client', 'Client.name', 'Client.caseNotes', 'CaseNote.text']);
    expect(validate(schema, parse('{ myCaseload { niNumber } }'))).not.toEqual([]);
  });

  it('has unique operation names and a typed document for each (npm run codegen:api)', async () => {
    const names = all.flatMap((each) =>
      each.document.definitions.filter((def): def is OperationDefinitionNode => def.kind === Kind.OPERATION_DEFINITION).map((def) => def.name?.value),
    );
    expect(new Set(names).size).toBe(names.length);
    const generated = (await import('../api/generated/graphql.js')) as Record<string, unknown>;
    for (const name of names) expect(generated[`${name}Document`], `${name}Document`).toBeInstanceOf(String);
  });
});

describe('the published API schema (api/schema.graphql)', () => {
  it('is the API schema the console is built against, not the supergraph', () => {
    const published = readFileSync(root('api/schema.graphql'), 'utf8');
    expect(readFileSync(root('web/codegen.ts'), 'utf8')).toContain("schema: 'api/schema.graphql'");
    expect(published).not.toMatch(/@join__|@link|join__Graph/);
    for (const type of ['Query', 'Mutation', 'Client']) expect(getNamedType(schema.getType(type))).toBeDefined();
  });
});

describe('the trusted-documents manifest (api/trusted-documents.json)', () => {
  const manifest = readManifest();

  it('holds every console and example operation, each under the SHA-256 of the exact text it sends', async () => {
    for (const path of ['../web/src/generated/graphql.js', '../api/generated/graphql.js']) {
      const module = (await import(path)) as Record<string, unknown>;
      const documents = Object.entries(module).filter(([name, value]) => name.endsWith('Document') && value instanceof String);
      expect(documents.length).toBeGreaterThan(0);
      for (const [name, value] of documents) expect(manifest.textOf(documentHash(String(value))), name).toBe(String(value));
    }
  });

  it('refuses a manifest whose hash is not that of its text (a hand-edited entry cannot run another text)', () => {
    const text = 'query A { me { role } }';
    expect(parseManifest(JSON.stringify({ [documentHash(text)]: text })).size).toBe(1);
    expect(() => parseManifest(JSON.stringify({ [documentHash(text)]: 'query A { employees { niNumber } }' }))).toThrow(ManifestError);
    expect(() => parseManifest(JSON.stringify({ 'not-a-hash': text }))).toThrow(ManifestError);
    expect(() => parseManifest('[]')).toThrow(ManifestError);
  });
});
