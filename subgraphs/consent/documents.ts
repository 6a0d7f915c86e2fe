/** How the consent store keeps its records (database `<prefix>consent`). */

export type DataCategoryValue = 'IDENTITY' | 'CONTACT' | 'SUPPORT' | 'CASE_NOTES' | 'HOME_VISITS';
export type RecipientTypeValue = 'NHS' | 'LOCAL_AUTHORITY' | 'POLICE' | 'OTHER';
export type LegalBasisValue = 'SAFEGUARDING' | 'SERIOUS_HARM' | 'CRIME_PREVENTION' | 'COURT_ORDER' | 'VITAL_INTERESTS';

/** Collection `consents`. */
export interface ConsentDoc {
  _id: string;
  subjectClientId: string;
  recipientOrganisation: string;
  recipientType: RecipientTypeValue;
  purpose: string;
  dataCategories: DataCategoryValue[];
  signedBy: 'SUBJECT' | 'ADVOCATE' | 'GUARDIAN';
  signedHow: 'PAPER' | 'ELECTRONIC' | 'VERBAL_WITNESSED';
  signedAt: Date;
  validFrom: Date;
  validUntil: Date;
  withdrawnAt?: Date | null;
  /** The gateway's key for the change that created it (audit reconciliation, gateway/audit/reconcile-changes.ts); never served. */
  requestKey?: string;
}

/** Collection `disclosures`: what was actually shared, and on which basis. */
export interface DisclosureDoc {
  _id: string;
  subjectClientId: string;
  recipientOrganisation: string;
  dataCategories: DataCategoryValue[];
  madeAt: Date;
  madeByStaffId?: string;
  basis: 'CONSENT' | 'EXCEPTIONAL';
  consentId?: string;
  exceptionalDisclosureId?: string;
}

/** Collection `exceptionalDisclosures` (break-glass records). */
export interface ExceptionalDisclosureDoc {
  _id: string;
  subjectClientId: string;
  recipientOrganisation: string;
  legalBasis: LegalBasisValue;
  reason: string;
  dataCategories: DataCategoryValue[];
  openedByStaffId: string;
  openedAt: Date;
  expiresAt: Date;
  closedAt?: Date | null;
}

/** Collection `trusteeGrants`: a DPO's time-limited grant for a trustee's complaint review. */
export interface TrusteeGrantDoc {
  _id: string;
  trusteeId: string;
  subjectClientId: string;
  complaintReference: string;
  grantedByStaffId: string;
  grantedAt: Date;
  expiresAt: Date;
  revokedAt?: Date | null;
}

/**
 * Collection `subjectAccessRequests`: the DPO's register of right-of-access requests. A request
 * is open until the DPO marks it completed; it is never deleted.
 */
export interface SubjectAccessRequestDoc {
  _id: string;
  subjectClientId: string;
  /** ISO date the request reached the charity. */
  receivedOn: string;
  /** ISO date the response is due (one calendar month after receipt). */
  dueOn: string;
  loggedByStaffId: string;
  loggedAt: Date;
  completedAt?: Date | null;
  /** Present once the deadline was extended (UK GDPR Article 12(3)); `dueOn` is then the extended date. */
  extension?: SubjectAccessExtensionDoc;
}

export interface SubjectAccessExtensionDoc {
  months: 1 | 2;
  reason: string;
  /** ISO date the person was told, within the first month. */
  personToldOn: string;
  /** ISO date the response was due before the extension. */
  originalDueOn: string;
  extendedByStaffId: string;
  extendedAt: Date;
}

/** Collection `decisionsNotToShare`: refused requests for disclosure (Caldicott principle 7), never deleted. */
export interface DecisionNotToShareDoc {
  _id: string;
  subjectClientId: string;
  requestingOrganisation: string;
  purpose: string;
  dataCategories: DataCategoryValue[];
  reason: string;
  decidedByStaffId: string;
  decidedAt: Date;
}

export const CONSENT_COLLECTIONS = {
  consents: 'consents',
  disclosures: 'disclosures',
  exceptionalDisclosures: 'exceptionalDisclosures',
  trusteeGrants: 'trusteeGrants',
  subjectAccessRequests: 'subjectAccessRequests',
  decisionsNotToShare: 'decisionsNotToShare',
} as const;

/** The consent store keeps no client record: a client here is just the id its consents are about. */
export interface ClientRef {
  id: string;
}

/** A page of a list, newest or soonest first; the next page starts after the last node. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}
export type SubjectAccessRequestPage = Page<SubjectAccessRequestDoc>;
export type DecisionNotToSharePage = Page<DecisionNotToShareDoc>;
