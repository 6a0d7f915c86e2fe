import type { Db } from 'mongodb';
import { stampOnce } from '../shared/stamp-once.js';
import { badInput, DURABLE_WRITE, instant, newRecordId, requiredText } from '../shared/write-input.js';
import { consentCollections } from './store.js';
import type { ConsentDoc, DataCategoryValue, DecisionNotToShareDoc, ExceptionalDisclosureDoc, LegalBasisValue, TrusteeGrantDoc } from './documents.js';
import { DEFAULT_EXCEPTIONAL_DISCLOSURE_HOURS, RELEASED_BY_BASIS } from './legal-bases.js';

/**
 * Changes to the consent store. Each write is acknowledged by a majority and journaled
 * before the mutation answers (docs/INVARIANTS.md#9: what was acknowledged is durable), and
 * records are never deleted: withdrawal, closure and revocation are stamps (stampOnce).
 */

const HOUR = 3_600_000;

export interface NewConsent {
  subjectId: string;
  recipientOrganisation: string;
  recipientType: ConsentDoc['recipientType'];
  purpose: string;
  dataCategories: readonly DataCategoryValue[];
  signedBy: ConsentDoc['signedBy'];
  signedHow: ConsentDoc['signedHow'];
  signedAt: string;
  validFrom: string;
  validUntil: string;
}

/** `requestKey`: the gateway's key for this change, stamped so the audit reconciliation can find the record. */
export async function recordConsent(db: Db, input: NewConsent, now: Date, requestKey?: string): Promise<ConsentDoc> {
  const validFrom = instant(input.validFrom, 'validFrom');
  const validUntil = instant(input.validUntil, 'validUntil');
  const signedAt = instant(input.signedAt, 'signedAt');
  if (validUntil <= validFrom) throw badInput('validUntil must be after validFrom');
  if (signedAt > now) throw badInput('signedAt cannot be in the future');
  if (input.dataCategories.length === 0) throw badInput('a consent covers at least one data category');
  const consent: ConsentDoc = {
    _id: newRecordId('cns'),
    subjectClientId: input.subjectId,
    recipientOrganisation: requiredText(input.recipientOrganisation, 'recipientOrganisation'),
    recipientType: input.recipientType,
    purpose: requiredText(input.purpose, 'purpose'),
    dataCategories: [...new Set(input.dataCategories)],
    signedBy: input.signedBy,
    signedHow: input.signedHow,
    signedAt,
    validFrom,
    validUntil,
    ...(requestKey ? { requestKey } : {}),
  };
  await consentCollections(db).consents.insertOne(consent, DURABLE_WRITE);
  return consent;
}

export function withdrawConsent(db: Db, consent: ConsentDoc, now: Date): Promise<ConsentDoc> {
  return stampOnce(consentCollections(db).consents, consent, 'withdrawnAt', now);
}

export interface NewExceptionalDisclosure {
  subjectId: string;
  recipientOrganisation: string;
  legalBasis: LegalBasisValue;
  reason: string;
  expiresInHours?: number | null | undefined;
  openedByStaffId: string;
}

export async function openExceptionalDisclosure(
  db: Db,
  input: NewExceptionalDisclosure,
  now: Date,
  maxHours: number,
  defaultHours: number = DEFAULT_EXCEPTIONAL_DISCLOSURE_HOURS,
): Promise<ExceptionalDisclosureDoc> {
  const hours = input.expiresInHours ?? Math.min(defaultHours, maxHours);
  if (!Number.isInteger(hours) || hours < 1 || hours > maxHours) throw badInput(`expiresInHours must be 1–${maxHours}`);
  const record: ExceptionalDisclosureDoc = {
    _id: newRecordId('exd'),
    subjectClientId: input.subjectId,
    recipientOrganisation: requiredText(input.recipientOrganisation, 'recipientOrganisation'),
    legalBasis: input.legalBasis,
    reason: requiredText(input.reason, 'reason', { min: 10, max: 2_000 }),
    dataCategories: [...RELEASED_BY_BASIS[input.legalBasis]],
    openedByStaffId: input.openedByStaffId,
    openedAt: now,
    expiresAt: new Date(now.getTime() + hours * HOUR),
  };
  await consentCollections(db).exceptionalDisclosures.insertOne(record, DURABLE_WRITE);
  return record;
}

export function closeExceptionalDisclosure(db: Db, record: ExceptionalDisclosureDoc, now: Date): Promise<ExceptionalDisclosureDoc> {
  return stampOnce(consentCollections(db).exceptionalDisclosures, record, 'closedAt', now);
}

/** A trustee's access never outlasts this: a complaint review is weeks, not open-ended. */
const MAX_GRANT_DAYS = 90;

export async function grantTrusteeAccess(
  db: Db,
  input: { trusteeId: string; subjectId: string; complaintReference: string; expiresAt: string; grantedByStaffId: string },
  now: Date,
): Promise<TrusteeGrantDoc> {
  const expiresAt = instant(input.expiresAt, 'expiresAt');
  if (expiresAt <= now) throw badInput('expiresAt must be in the future');
  if (expiresAt.getTime() - now.getTime() > MAX_GRANT_DAYS * 24 * HOUR) throw badInput(`a grant lasts at most ${MAX_GRANT_DAYS} days`);
  const grant: TrusteeGrantDoc = {
    _id: newRecordId('tgr'),
    trusteeId: requiredText(input.trusteeId, 'trusteeId', { max: 100 }),
    subjectClientId: input.subjectId,
    complaintReference: requiredText(input.complaintReference, 'complaintReference'),
    grantedByStaffId: input.grantedByStaffId,
    grantedAt: now,
    expiresAt,
  };
  await consentCollections(db).trusteeGrants.insertOne(grant, DURABLE_WRITE);
  return grant;
}

export function revokeTrusteeAccess(db: Db, grant: TrusteeGrantDoc, now: Date): Promise<TrusteeGrantDoc> {
  return stampOnce(consentCollections(db).trusteeGrants, grant, 'revokedAt', now);
}

/**
 * A decision not to share (Caldicott principle 7: a decision not to share is recorded too):
 * who asked, for what and why, and why it was refused. Who may record one, about whom, is
 * checked at the gateway before it gets here (shield/policy.ts).
 */
export async function recordDecisionNotToShare(
  db: Db,
  input: {
    subjectId: string;
    requestingOrganisation: string;
    purpose: string;
    dataCategories: readonly DataCategoryValue[];
    reason: string;
    decidedByStaffId: string;
  },
  now: Date,
): Promise<DecisionNotToShareDoc> {
  if (input.dataCategories.length === 0) throw badInput('name at least one data category the organisation asked for');
  const decision: DecisionNotToShareDoc = {
    _id: newRecordId('dns'),
    subjectClientId: input.subjectId,
    requestingOrganisation: requiredText(input.requestingOrganisation, 'requestingOrganisation'),
    purpose: requiredText(input.purpose, 'purpose'),
    dataCategories: [...new Set(input.dataCategories)],
    reason: requiredText(input.reason, 'reason', { min: 10, max: 2_000 }),
    decidedByStaffId: input.decidedByStaffId,
    decidedAt: now,
  };
  await consentCollections(db).decisionsNotToShare.insertOne(decision, DURABLE_WRITE);
  return decision;
}
