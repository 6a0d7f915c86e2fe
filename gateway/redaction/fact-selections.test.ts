import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readFacts, selectionsFor } from './fact-selections.js';

describe('fact selections', () => {
  it('merges the selections of several fact kinds per type, each once', () => {
    const merged = selectionsFor(['circle', 'subject', 'visit', 'circle']);
    expect(Object.keys(merged).sort()).toEqual(['Client', 'HomeVisit']);
    expect(merged.Client?.match(/_ntk_keyworkers:/g)).toHaveLength(1);
    expect(selectionsFor([])).toEqual({});
  });

  it('every selection is valid GraphQL under an internal alias', () => {
    const all = selectionsFor(['subject', 'circle', 'sharing', 'grants', 'visit']);
    for (const selection of Object.values(all)) {
      const fields = parse(`{ ${selection} }`).definitions.flatMap((definition) =>
        definition.kind === Kind.OPERATION_DEFINITION ? definition.selectionSet.selections : [],
      );
      for (const field of fields) expect(field.kind === Kind.FIELD && field.alias?.value.startsWith('_ntk_')).toBe(true);
    }
  });
});

describe('reading facts back from a fetched object', () => {
  const client = {
    _ntk_id: 'cli_1',
    _ntk_keyworkers: [{ id: 'stf_1' }, null, { id: 7 }],
    _ntk_team: { id: 'team_north' },
    _ntk_consents: [{ recipientOrganisation: 'NHS Trust', purpose: 'CARE', dataCategories: ['CONTACT', 3], active: true }],
    _ntk_exceptional: [],
    _ntk_protection: { reason: 'REFUGE_RESIDENT' },
    _ntk_grants: [
      { trusteeId: 'tru_1', active: true },
      { trusteeId: 'tru_2', active: false },
    ],
  };

  it('reads the client facts from the nearest client above the object, ignoring malformed items', () => {
    const note = { text: 'x' };
    const facts = readFacts(note, [client]);
    expect(facts.client).toEqual({ id: 'cli_1', keyworkerIds: ['stf_1'], teamId: 'team_north' });
    expect(facts.sharing).toEqual({
      consents: [{ recipientOrganisation: 'NHS Trust', purpose: 'CARE', dataCategories: ['CONTACT'], active: true }],
      exceptional: [],
      addressProtected: true,
    });
    expect(facts.trusteesGranted).toEqual(['tru_1']);
    expect(facts.duringVisit).toBe(false);
  });

  it('knows nothing it was not fetched: no facts, not empty ones', () => {
    expect(readFacts({}, [])).toEqual({ client: undefined, sharing: undefined, trusteesGranted: undefined, duringVisit: false });
  });

  it('a visit in progress covers the visit and what hangs directly below it, not further down', () => {
    const visit = { _ntk_in_progress: true };
    expect(readFacts(visit, []).duringVisit).toBe(true);
    expect(readFacts({}, [visit]).duringVisit).toBe(true);
    expect(readFacts({}, [{}, visit]).duringVisit).toBe(false);
  });
});
