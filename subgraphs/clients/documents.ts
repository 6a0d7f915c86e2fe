/** How the legacy client database stores its records (database `<prefix>clients`). */

export interface PostalAddressDoc {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

export type GenderValue = 'FEMALE' | 'MALE' | 'NON_BINARY' | 'NOT_STATED';
export type RestrictionReasonValue = 'SERVICE_USER_EMPLOYEE' | 'REFUGE_RESIDENT' | 'WITNESS_PROTECTION' | 'OTHER';

export interface RestrictionDoc {
  reason: RestrictionReasonValue;
  sealedNote?: string;
  /** Staff id of the team manager named on the restricted notice. */
  contactStaffId: string;
}

/** Collection `clients`. */
export interface ClientDoc {
  _id: string;
  name: string;
  /** ISO date. */
  dateOfBirth?: string;
  gender?: GenderValue;
  address?: PostalAddressDoc;
  phone?: string;
  services: string[];
  status: 'OPEN' | 'CLOSED';
  /** ISO date. */
  referredOn: string;
  /** ISO date. */
  closedOn?: string;
  teamId?: string;
  /** Staff ids; indexed, this is how a caseload is found. */
  keyworkerStaffIds: string[];
  restriction?: RestrictionDoc;
}

/** Collection `caseNotes`: append-only; a correction is a new note with `correctsNoteId`. */
export interface CaseNoteDoc {
  _id: string;
  clientId: string;
  authorStaffId?: string;
  occurredAt: Date;
  venue: string;
  recordedAt: Date;
  text: string;
  correctsNoteId?: string;
}

/** Collection `homeVisits`. */
export interface HomeVisitDoc {
  _id: string;
  clientId: string;
  workerStaffId: string;
  startedAt: Date;
  /** Absent (or null) while the visit is in progress. */
  endedAt?: Date | null;
  address: PostalAddressDoc;
}

/**
 * Collection `teams`: the client database's own reference list of teams, so reports can label a
 * team by name without asking the HR system (which holds the same list) on every report.
 */
export interface TeamNameDoc {
  _id: string;
  name: string;
}

export const CLIENT_COLLECTIONS = {
  clients: 'clients',
  caseNotes: 'caseNotes',
  homeVisits: 'homeVisits',
  teams: 'teams',
} as const;

/** An emergency lookup's answer, made per request and never stored. */
export interface EmergencyLookupDoc {
  id: string;
  known: boolean;
  teamRef: string | null;
  clientId: string | null;
}
