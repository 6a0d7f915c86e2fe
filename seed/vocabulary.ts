/**
 * The words the generator puts into records, read from seed/vocabulary/*.json at module load
 * and checked there: a file with a missing list, an unknown enum key, a duplicate, a town whose
 * postcode area could be real, or an opener without its {topic} stops the generator at start-up
 * with the file and the path of the bad value, instead of seeding odd records.
 *
 * The order of every list is part of the output: the generator picks by position, so editing a
 * list changes every dataset generated from it (seed/fingerprint.ts shows by how much).
 */
import { readFileSync } from 'node:fs';
import type { RestrictionReasonValue } from '../subgraphs/clients/documents.js';
import type { LegalBasisValue, RecipientTypeValue } from '../subgraphs/consent/documents.js';
import { PERSONAS } from './personas.js';

interface Town {
  name: string;
  /** Q followed by one letter: no real UK postcode area starts with Q. */
  postcodeArea: string;
}

interface ServiceLine {
  service: string;
  /** Names a generated team of this service: "<town> <teamNoun>". */
  teamNoun: string;
}

interface TrainingCourse {
  course: string;
  /** Absent: a completion does not expire. */
  validYears?: number;
}

/** An opener template with its topic filled in. */
type NoteOpener = (topic: string) => string;

interface BasisWording {
  recipients: readonly string[];
  reasons: readonly string[];
}

export interface Vocabulary {
  names: { femaleFirst: readonly string[]; maleFirst: readonly string[]; neutralFirst: readonly string[]; last: readonly string[] };
  places: { towns: readonly Town[]; streets: readonly string[]; streetKinds: readonly string[]; buildings: readonly string[] };
  services: readonly ServiceLine[];
  caseNotes: {
    topics: readonly string[];
    openers: readonly NoteOpener[];
    outcomes: readonly string[];
    /** Shaped for Rng#weighted. */
    venues: readonly (readonly [string, number])[];
  };
  sealedNotes: Readonly<Record<RestrictionReasonValue, readonly string[]>>;
  sharing: {
    organisations: Readonly<Record<RecipientTypeValue, readonly string[]>>;
    purposes: Readonly<Record<RecipientTypeValue, readonly string[]>>;
    exceptionalDisclosures: Readonly<Record<LegalBasisValue, BasisWording>>;
  };
  trainingCourses: readonly TrainingCourse[];
}

// The enum values a file may use as keys. Records (not arrays) so the compiler rejects a
// missing or extra value when the document types change.
const RESTRICTION_REASONS = keys<RestrictionReasonValue>({ SERVICE_USER_EMPLOYEE: true, REFUGE_RESIDENT: true, WITNESS_PROTECTION: true, OTHER: true });
const RECIPIENT_TYPES = keys<RecipientTypeValue>({ NHS: true, LOCAL_AUTHORITY: true, POLICE: true, OTHER: true });
const LEGAL_BASES = keys<LegalBasisValue>({ SAFEGUARDING: true, SERIOUS_HARM: true, CRIME_PREVENTION: true, COURT_ORDER: true, VITAL_INTERESTS: true });

function keys<K extends string>(record: Record<K, true>): readonly K[] {
  return Object.keys(record) as K[];
}

/** The files in seed/vocabulary/. */
export type VocabularyFile = 'names.json' | 'places.json' | 'services.json' | 'case-notes.json' | 'sealed-notes.json' | 'sharing.json' | 'training.json';
/** Returns the parsed JSON of one file. */
type ReadVocabularyFile = (file: VocabularyFile) => unknown;

const readBeside: ReadVocabularyFile = (file) => JSON.parse(readFileSync(new URL(`./vocabulary/${file}`, import.meta.url), 'utf8'));

/** Reads and checks every vocabulary file; `read` is replaceable so a test can feed a broken one. */
export function loadVocabulary(read: ReadVocabularyFile = readBeside): Vocabulary {
  const file = (name: VocabularyFile): Fields => {
    let parsed: unknown;
    try {
      parsed = read(name);
    } catch (error) {
      throw new VocabularyError(`seed/vocabulary/${name}`, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    return fields(parsed, `seed/vocabulary/${name}`);
  };

  const names = file('names.json');
  const places = file('places.json');
  const services = file('services.json');
  const caseNotes = file('case-notes.json');
  const sealed = file('sealed-notes.json');
  const sharing = file('sharing.json');
  const training = file('training.json');

  const vocabulary: Vocabulary = {
    names: {
      femaleFirst: names.take('femaleFirst', texts),
      maleFirst: names.take('maleFirst', texts),
      neutralFirst: names.take('neutralFirst', texts),
      last: names.take('last', texts),
    },
    places: {
      towns: places.take('towns', (v, at) => uniqueBy(list(v, at, town), at, (t) => t.postcodeArea, 'postcode area')),
      streets: places.take('streets', texts),
      streetKinds: places.take('streetKinds', texts),
      buildings: places.take('buildings', texts),
    },
    services: services.take('services', (v, at) => uniqueBy(list(v, at, serviceLine), at, (s) => s.service, 'service')),
    caseNotes: {
      topics: caseNotes.take('topics', texts),
      openers: caseNotes.take('openers', (v, at) => unique(list(v, at, nonEmpty), at).map((t, i) => opener(t, `${at}[${i}]`))),
      outcomes: caseNotes.take('outcomes', texts),
      venues: caseNotes.take('venues', (v, at) => uniqueBy(list(v, at, venue), at, ([name]) => name, 'venue')),
    },
    sealedNotes: sealed.take('sealedNotes', (v, at) => enumRecord(v, at, RESTRICTION_REASONS, 'restriction reason', texts)),
    sharing: {
      organisations: sharing.take('organisations', (v, at) => enumRecord(v, at, RECIPIENT_TYPES, 'recipient type', organisations)),
      purposes: sharing.take('purposes', (v, at) => enumRecord(v, at, RECIPIENT_TYPES, 'recipient type', texts)),
      exceptionalDisclosures: sharing.take('exceptionalDisclosures', (v, at) => enumRecord(v, at, LEGAL_BASES, 'legal basis', basisWording)),
    },
    trainingCourses: training.take('courses', (v, at) => uniqueBy(list(v, at, trainingCourse), at, (c) => c.course, 'course')),
  };
  for (const f of [names, places, services, caseNotes, sealed, sharing, training]) f.noneLeft();
  return vocabulary;
}

class VocabularyError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'VocabularyError';
  }
}

// ---------------------------------------------------------------------------------------------
// Checks. Each takes the value and where it sits (file and path), and returns it typed.

type Check<T> = (value: unknown, at: string) => T;

interface Fields {
  take<T>(key: string, check: Check<T>): T;
  /** Fails on a key nobody took: most likely a misspelt one whose intended key is missing. */
  noneLeft(): void;
}

function fields(value: unknown, at: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VocabularyError(at, 'expected an object');
  const record = value as Record<string, unknown>;
  // "$comment" documents the file for people; the loader ignores it.
  const left = new Set(Object.keys(record).filter((k) => k !== '$comment'));
  return {
    take: (key, check) => {
      if (!left.delete(key)) throw new VocabularyError(`${at}: ${key}`, 'missing');
      return check(record[key], `${at}: ${key}`);
    },
    noneLeft: () => {
      const [unknown] = left;
      if (unknown !== undefined) throw new VocabularyError(`${at}: ${unknown}`, 'unknown field');
    },
  };
}

function nonEmpty(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value) {
    throw new VocabularyError(at, 'expected a non-empty string without surrounding spaces');
  }
  return value;
}

/** Words as they are written into records: braces mark placeholders, and none is expected here. */
function text(value: unknown, at: string): string {
  const checked = nonEmpty(value, at);
  if (/[{}]/.test(checked)) throw new VocabularyError(at, `unexpected placeholder in "${checked}"`);
  return checked;
}

function list<T>(value: unknown, at: string, item: Check<T>): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new VocabularyError(at, 'expected a non-empty list');
  return value.map((v, i) => item(v, `${at}[${i}]`));
}

function unique(items: string[], at: string): string[] {
  return uniqueBy(items, at, (s) => s, 'entry');
}

/** A repeated entry would silently double its chance of being picked. */
function uniqueBy<T>(items: T[], at: string, key: (item: T) => string, what: string): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new VocabularyError(at, `${what} "${k}" appears twice`);
    seen.add(k);
  }
  return items;
}

const texts: Check<string[]> = (value, at) => unique(list(value, at, text), at);

function enumRecord<K extends string, T>(value: unknown, at: string, allowed: readonly K[], what: string, item: Check<T>): Record<K, T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VocabularyError(at, 'expected an object');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new VocabularyError(at, `unknown ${what} "${key}" (expected one of ${allowed.join(', ')})`);
    }
  }
  const out = {} as Record<K, T>;
  for (const key of allowed) {
    if (!(key in record)) throw new VocabularyError(at, `no entry for ${what} ${key}`);
    out[key] = item(record[key], `${at}.${key}`);
  }
  return out;
}

function town(value: unknown, at: string): Town {
  const f = fields(value, at);
  const result = {
    name: f.take('name', text),
    postcodeArea: f.take('postcodeArea', (v, where) => {
      const area = text(v, where);
      if (!/^Q[A-Z]$/.test(area)) throw new VocabularyError(where, `postcode area "${area}" must be Q and one capital letter (no real area starts with Q)`);
      return area;
    }),
  };
  f.noneLeft();
  return result;
}

function serviceLine(value: unknown, at: string): ServiceLine {
  const f = fields(value, at);
  const result = { service: f.take('service', text), teamNoun: f.take('teamNoun', text) };
  f.noneLeft();
  return result;
}

function venue(value: unknown, at: string): readonly [string, number] {
  const f = fields(value, at);
  const name = f.take('name', text);
  const weight = f.take('weight', (v, where) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new VocabularyError(where, 'expected a positive number');
    return v;
  });
  f.noneLeft();
  return [name, weight];
}

function trainingCourse(value: unknown, at: string): TrainingCourse {
  const f = fields(value, at);
  const course = f.take('course', text);
  const validYears = f.take('validYears', (v, where) => {
    if (v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new VocabularyError(where, 'expected a whole number of years, or null');
    return v;
  });
  f.noneLeft();
  return validYears === undefined ? { course } : { course, validYears };
}

const TOPIC = '{topic}';

function opener(template: string, at: string): NoteOpener {
  const parts = template.split(TOPIC);
  if (parts.length !== 2) throw new VocabularyError(at, `"${template}" must contain ${TOPIC} exactly once`);
  const [before = '', after = ''] = parts;
  if (/[{}]/.test(before + after)) throw new VocabularyError(at, `unknown placeholder in "${template}" (only ${TOPIC})`);
  return (topic) => `${before}${topic}${after}`;
}

const AGENCY = /^\{agencies\.([A-Za-z]+)\}$/;

/** Names, or "{agencies.<key>}" for a persona agency, so the demo scenarios and the data agree. */
const organisations: Check<string[]> = (value, at) =>
  unique(
    list(value, at, (v, where) => {
      const key = typeof v === 'string' ? AGENCY.exec(v)?.[1] : undefined;
      if (key === undefined) return text(v, where);
      if (!Object.hasOwn(PERSONAS.agencies, key)) {
        throw new VocabularyError(where, `unknown agency "${key}" (expected one of ${Object.keys(PERSONAS.agencies).join(', ')})`);
      }
      return PERSONAS.agencies[key as keyof typeof PERSONAS.agencies];
    }),
    at,
  );

function basisWording(value: unknown, at: string): BasisWording {
  const f = fields(value, at);
  const result = { recipients: f.take('recipients', organisations), reasons: f.take('reasons', texts) };
  f.noneLeft();
  return result;
}

/** Loaded once, when the generator is first imported. */
export const VOCABULARY: Vocabulary = loadVocabulary();
