import { describe, expect, it } from 'vitest';
import { buildSchema, isObjectType } from 'graphql';
import { composeSupergraph, readCommittedSupergraph } from '../gateway/supergraph/compose.js';

describe('the committed supergraph', () => {
  it('is what `npm run compose` produces from the subgraph schemas (run it after changing a schema)', () => {
    expect(readCommittedSupergraph()).toBe(composeSupergraph());
  });
});

describe('unlinkable identities in the schema (docs/INVARIANTS.md#1)', () => {
  const apiTypes = buildSchema(composeSupergraph(), { assumeValidSDL: true }).getTypeMap();
  const fieldsOf = (name: string) => {
    const type = apiTypes[name];
    if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
    return Object.values(type.getFields()).map((field) => ({ name: field.name, type: String(field.type).replace(/[[\]!]/g, '') }));
  };

  it('no field leads from an employee record to client data', () => {
    for (const type of ['Employee', 'StaffMember', 'Team', 'Post']) {
      const targets = fieldsOf(type).map((field) => field.type);
      expect(targets).not.toContain('Client');
      expect(targets).not.toContain('CaseNote');
      expect(targets).not.toContain('HomeVisit');
      expect(targets).not.toContain('Consent');
    }
  });

  it('no field leads from client data to an employee record', () => {
    for (const type of ['Client', 'CaseNote', 'HomeVisit', 'Restriction', 'Consent', 'Disclosure', 'ExceptionalDisclosure']) {
      expect(fieldsOf(type).map((field) => field.type)).not.toContain('Employee');
    }
  });

  it('staff appear on client data only through the minimal staff view', () => {
    expect(
      fieldsOf('StaffMember')
        .map((field) => field.name)
        .sort(),
    ).toEqual(['id', 'name', 'team', 'workPhone']);
  });
});
