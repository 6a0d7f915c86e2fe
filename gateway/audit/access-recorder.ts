import { ancestorsOf } from '../redaction/ancestors.js';
import type { AuditedSubject, AuditedType } from './audit-entry.js';

/**
 * Collects, while a response is redacted, whose personal data was returned or denied, field
 * by field. Objects know their subject from ids fetched for the audit under internal aliases
 * (`_ntk_sid` and `_ntk_stype` on people, `_ntk_subject` on records about a client) or from
 * the nearest ancestor that does.
 */

type Row = Record<string, unknown>;

/** The types whose objects are people, and the internal keys carrying their raw id and type. */
const AUDITED_TYPES: ReadonlySet<string> = new Set<AuditedType>(['Client', 'Employee', 'StaffMember']);
const SUBJECT_ID_KEY = '_ntk_sid';
const SUBJECT_TYPE_KEY = '_ntk_stype';
const SUBJECT_REF_KEY = '_ntk_subject';

const PERSON = `${SUBJECT_ID_KEY}: id ${SUBJECT_TYPE_KEY}: __typename`;

/** What the rewrite adds so every object can name its subject (see gateway/redaction/rewrite-operation.ts). */
export const AUDIT_NEEDS: Readonly<Record<string, string>> = {
  Client: PERSON,
  Employee: PERSON,
  StaffMember: PERSON,
  CaseNote: `${SUBJECT_REF_KEY}: client { id }`,
  HomeVisit: `${SUBJECT_REF_KEY}: client { id }`,
  Consent: `${SUBJECT_REF_KEY}: subject { id }`,
  Disclosure: `${SUBJECT_REF_KEY}: subject { id }`,
  ExceptionalDisclosure: `${SUBJECT_REF_KEY}: subject { id }`,
  TrusteeGrant: `${SUBJECT_REF_KEY}: subject { id }`,
  // Also whether the record found is restricted, and its team: a restricted match raises a
  // privacy alert for the DPO and that team's manager (gateway/alerts/). Whether, not why:
  // the restriction's reason is never fetched for the duty officer.
  EmergencyLookupResult: `${SUBJECT_REF_KEY}: client { id _ntk_restricted: restriction { __typename } _ntk_team: team { id } }`,
  SubjectAccessRequest: `${SUBJECT_REF_KEY}: subject { id }`,
  SubjectAccessExport: `${SUBJECT_REF_KEY}: subject { id }`,
  // The DPO looking up a name on the trail reads that client's name: on the trail in turn.
  AuditSubjectName: `${SUBJECT_REF_KEY}: subject { id }`,
};

/** Arguments that say why a request was made, recorded with it (the emergency caller's details). */
const AUDITED_ARGUMENTS: Readonly<Record<string, string>> = {
  'Query.emergencyLookup': 'caller',
  'Query.subjectAccessRequest': 'id',
  // The DPO's search for a person (to log a subject access request) is on the trail, matches or none.
  'Query.findPeople': 'person',
};

/** The person an object is about: itself, the client a record names, or the nearest such ancestor. */
function subjectOf(object: Row): { type: AuditedType; rawId: string } | undefined {
  for (const candidate of [object, ...ancestorsOf(object)]) {
    const id = candidate[SUBJECT_ID_KEY];
    const type = candidate[SUBJECT_TYPE_KEY];
    if (typeof id === 'string' && typeof type === 'string' && AUDITED_TYPES.has(type)) return { type: type as AuditedType, rawId: id };
    const about = candidate[SUBJECT_REF_KEY] as Row | null | undefined;
    if (about && typeof about.id === 'string') return { type: 'Client', rawId: about.id };
  }
  return undefined;
}

/** Why a request was made, as the request said it. */
export interface AuditedReason {
  readonly field: string;
  readonly argument: string;
  readonly value: unknown;
}

export class AccessRecorder {
  readonly #why: AuditedReason[] = [];
  readonly #subjects = new Map<string, { type: AuditedType; rawId: string; returned: Set<string>; denied: Set<string> }>();

  returned(typeName: string, fieldName: string, object: Row): void {
    this.#note(typeName, fieldName, object, 'returned');
  }

  denied(typeName: string, fieldName: string, object: Row): void {
    this.#note(typeName, fieldName, object, 'denied');
  }

  #note(typeName: string, fieldName: string, object: Row, outcome: 'returned' | 'denied'): void {
    const subject = subjectOf(object);
    if (!subject) return;
    const key = `${subject.type}:${subject.rawId}`;
    let entry = this.#subjects.get(key);
    if (!entry) {
      entry = { ...subject, returned: new Set(), denied: new Set() };
      this.#subjects.set(key, entry);
    }
    entry[outcome].add(`${typeName}.${fieldName}`);
  }

  /** Records the argument that says why, if this field has one (AUDITED_ARGUMENTS). */
  arguments(coordinate: string, args: Record<string, unknown>): void {
    const name = AUDITED_ARGUMENTS[coordinate];
    // graphql-js builds input objects without a prototype: a plain copy stores cleanly.
    if (name !== undefined && args[name] !== undefined)
      this.#why.push({ field: coordinate, argument: name, value: JSON.parse(JSON.stringify(args[name])) as unknown });
  }

  get why(): readonly AuditedReason[] | undefined {
    return this.#why.length > 0 ? [...this.#why] : undefined;
  }

  get isEmpty(): boolean {
    return this.#subjects.size === 0 && this.#why.length === 0;
  }

  /** The subjects, with raw ids turned into the audit audience's references. */
  subjects(reference: (type: AuditedType, rawId: string) => string): AuditedSubject[] {
    return [...this.#subjects.values()].map(({ type, rawId, returned, denied }) => ({
      type,
      ref: reference(type, rawId),
      returned: [...returned].sort(),
      denied: [...denied].sort(),
    }));
  }
}
