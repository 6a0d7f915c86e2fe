import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetFingerprint, fingerprint, FINGERPRINT_NOW } from './fingerprint.js';
import { DEFAULT_SEED, generateDataset, type BatchSource } from './generate.js';
import { PERSONAS } from './personas.js';
import { loadVocabulary, VOCABULARY, type VocabularyFile } from './vocabulary.js';

/**
 * Taken from the generator as it stood before it was split per store (one 1,280-line file with
 * the vocabulary inline). A different hash means different records: intended when a draw, a
 * list or a persona changes on purpose (then record the new hash here and say why in the
 * commit), a regression when code was only meant to move. The generator also reads
 * subgraphs/clients/third-party-names.ts, subgraphs/consent/subject-access-due-date.ts and
 * shield/policy.ts (RELEASED_BY_BASIS), so a change there can move these hashes too.
 * `npx tsx seed/fingerprint.ts bench` gave 719f15da1c8c83d7dab9c7332c755095d226ed60435b8fcd7f1787060cdffb56
 * for the bench size, both before and after the split; it takes too long for a unit test.
 */
const RECORDED = {
  demoDefaultSeed: 'acddea093dc382f4e4d8120b4322781b0c52b25e0c0a0fcc03de14a8d30fff32',
  demoSeed7: '161697c7ad58eaa669431e4ef920dbef7e3072555e20d79dbb0f74a6c9a223b5',
};

describe('the generated demo dataset', () => {
  it('is the one recorded before the generator was split', () => {
    expect(fingerprint('demo', DEFAULT_SEED)).toBe(RECORDED.demoDefaultSeed);
    expect(fingerprint('demo', 7)).toBe(RECORDED.demoSeed7);
  });

  it('is the same on a second run, whatever the batch size', () => {
    const first = fingerprint('demo', 7);
    expect(fingerprint('demo', 7)).toBe(first);
    expect(fingerprint('demo', 7, 1)).toBe(first);
    expect(fingerprint('demo', 7, 333)).toBe(first);
  });

  it('does not depend on which store is read first', () => {
    const dataset = generateDataset({ size: 'demo', seed: 7, now: FINGERPRINT_NOW });
    // Consent first: it builds the shared world and looks clients up before anyone lists them.
    for (const source of Object.values(dataset.consent) as BatchSource<unknown>[]) for (const batch of source()) void batch;
    expect(datasetFingerprint(dataset)).toBe(RECORDED.demoSeed7);
  });

  it('changes with the seed', () => {
    expect(fingerprint('demo', 8)).not.toBe(RECORDED.demoSeed7);
  });
});

// ---------------------------------------------------------------------------------------------

const original = (file: VocabularyFile): unknown => JSON.parse(readFileSync(new URL(`./vocabulary/${file}`, import.meta.url), 'utf8'));

// `any`: each case below reaches into its own file's shape to break it; checking that shape is
// the loader's job, and the loader is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- on purpose, as said above
type EditableJson = Record<string, any>;

/** Loads the vocabulary with one file edited by `edit`. */
function loadWith(file: VocabularyFile, edit: (json: EditableJson) => void): void {
  loadVocabulary((name) => {
    const json = original(name);
    if (name === file) edit(json as EditableJson);
    return json;
  });
}

describe('the vocabulary files', () => {
  it('load and validate', () => {
    const loaded = loadVocabulary();
    expect(Object.keys(loaded.sealedNotes).sort()).toEqual(['OTHER', 'REFUGE_RESIDENT', 'SERVICE_USER_EMPLOYEE', 'WITNESS_PROTECTION']);
    expect(Object.keys(loaded.sharing.organisations).sort()).toEqual(['LOCAL_AUTHORITY', 'NHS', 'OTHER', 'POLICE']);
    expect(loaded.places.towns.every((t) => /^Q[A-Z]$/.test(t.postcodeArea))).toBe(true);
  });

  it('fill note opener templates with the topic', () => {
    expect(VOCABULARY.caseNotes.openers.map((open) => open('budgeting'))).toContain('Discussed budgeting.');
  });

  it('resolve agency placeholders to the personas’ agencies', () => {
    expect(VOCABULARY.sharing.organisations.NHS[0]).toBe(PERSONAS.agencies.nhsTrust);
    expect(VOCABULARY.sharing.exceptionalDisclosures.SERIOUS_HARM.recipients).toContain(PERSONAS.agencies.police);
    expect(JSON.stringify(VOCABULARY.sharing)).not.toContain('{agencies.');
  });

  it('read training courses without an expiry as never expiring', () => {
    const loneWorking = VOCABULARY.trainingCourses.find((c) => c.course === 'Lone working');
    expect(loneWorking).toEqual({ course: 'Lone working' });
  });

  /* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- EditableJson is `any` on purpose (above) */
  it.each<[string, VocabularyFile, (json: EditableJson) => void, RegExp]>([
    [
      'an unknown enum key',
      'sharing.json',
      (j) => (j.purposes.CHARITY = ['fundraising']),
      /sharing\.json: purposes: unknown recipient type "CHARITY" \(expected one of NHS, LOCAL_AUTHORITY, POLICE, OTHER\)/,
    ],
    [
      'a missing enum key',
      'sealed-notes.json',
      (j) => delete j.sealedNotes.WITNESS_PROTECTION,
      /sealedNotes: no entry for restriction reason WITNESS_PROTECTION/,
    ],
    ['an unknown legal basis', 'sharing.json', (j) => (j.exceptionalDisclosures.HUNCH = j.exceptionalDisclosures.SAFEGUARDING), /unknown legal basis "HUNCH"/],
    [
      'an opener without its topic',
      'case-notes.json',
      (j) => (j.openers[1] = 'Followed up.'),
      /openers\[1\]: "Followed up\." must contain \{topic\} exactly once/,
    ],
    ['an opener with another placeholder', 'case-notes.json', (j) => (j.openers[0] = 'Discussed {topic} with {name}.'), /openers\[0\]: unknown placeholder/],
    ['a real-looking postcode area', 'places.json', (j) => (j.towns[0].postcodeArea = 'SW'), /towns\[0\]: postcodeArea: postcode area "SW" must be Q/],
    ['a duplicate name', 'names.json', (j) => j.last.push('Abbott'), /names\.json: last: entry "Abbott" appears twice/],
    ['an empty list', 'names.json', (j) => (j.neutralFirst = []), /neutralFirst: expected a non-empty list/],
    ['a missing list', 'places.json', (j) => delete j.buildings, /places\.json: buildings: missing/],
    ['a misspelt field', 'training.json', (j) => (j.courses[0].validYear = 3), /courses\[0\]: validYear: unknown field/],
    ['a bad validity', 'training.json', (j) => (j.courses[0].validYears = 0), /courses\[0\]: validYears: expected a whole number of years, or null/],
    ['an unknown agency', 'sharing.json', (j) => (j.organisations.POLICE[0] = '{agencies.fireService}'), /POLICE\[0\]: unknown agency "fireService"/],
    ['a mistyped placeholder', 'sharing.json', (j) => (j.organisations.POLICE[0] = '{agency.police}'), /POLICE\[0\]: unexpected placeholder/],
    ['a non-positive weight', 'case-notes.json', (j) => (j.venues[0].weight = 0), /venues\[0\]: weight: expected a positive number/],
    ['a number where words belong', 'services.json', (j) => (j.services[0].teamNoun = 7), /services\[0\]: teamNoun: expected a non-empty string/],
    /* eslint-enable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
  ])('stop the generator at start-up on %s', (_what, file, edit, message) => {
    expect(() => loadWith(file, edit)).toThrow(message);
  });

  it('name a file that cannot be read', () => {
    expect(() =>
      loadVocabulary((name) => {
        if (name === 'training.json') throw new Error('ENOENT');
        return original(name);
      }),
    ).toThrow(/seed\/vocabulary\/training\.json: cannot be read: ENOENT/);
  });
});
