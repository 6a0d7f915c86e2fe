import type DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import type { LookupShape } from '../shared/config.js';
import { FIRST_BATCH, loaderById, loaderGroupedBy } from '../shared/loaders.js';
import { forbidden } from '../shared/request-identity.js';
import { pageSize } from './subject-access-requests.js';
import {
  CONSENT_COLLECTIONS,
  type ConsentDoc,
  type DecisionNotToShareDoc,
  type DisclosureDoc,
  type ExceptionalDisclosureDoc,
  type Page,
  type SubjectAccessRequestDoc,
  type TrusteeGrantDoc,
} from './documents.js';

export function consentCollections(db: Db) {
  return {
    consents: db.collection<ConsentDoc>(CONSENT_COLLECTIONS.consents),
    disclosures: db.collection<DisclosureDoc>(CONSENT_COLLECTIONS.disclosures),
    exceptionalDisclosures: db.collection<ExceptionalDisclosureDoc>(CONSENT_COLLECTIONS.exceptionalDisclosures),
    trusteeGrants: db.collection<TrusteeGrantDoc>(CONSENT_COLLECTIONS.trusteeGrants),
    subjectAccessRequests: db.collection<SubjectAccessRequestDoc>(CONSENT_COLLECTIONS.subjectAccessRequests),
    decisionsNotToShare: db.collection<DecisionNotToShareDoc>(CONSENT_COLLECTIONS.decisionsNotToShare),
  };
}

export async function ensureConsentIndexes(db: Db): Promise<void> {
  const { consents, disclosures, exceptionalDisclosures } = consentCollections(db);
  await consents.createIndex({ subjectClientId: 1, signedAt: -1 }, { name: 'consents_by_subject' });
  await consents.createIndex({ recipientOrganisation: 1, subjectClientId: 1 }, { name: 'consents_by_recipient' });
  await disclosures.createIndex({ subjectClientId: 1, madeAt: -1 }, { name: 'disclosures_by_subject' });
  await exceptionalDisclosures.createIndex({ subjectClientId: 1, openedAt: -1 }, { name: 'exceptional_by_subject' });
  await exceptionalDisclosures.createIndex({ expiresAt: 1 }, { name: 'exceptional_by_expiry' });
  await consentCollections(db).trusteeGrants.createIndex({ subjectClientId: 1, expiresAt: -1 }, { name: 'grants_by_subject' });
  await consentCollections(db).subjectAccessRequests.createIndex({ completedAt: 1, dueOn: 1 }, { name: 'subject_access_by_due' });
  await consentCollections(db).subjectAccessRequests.createIndex({ dueOn: 1, _id: 1 }, { name: 'subject_access_register' });
  await consentCollections(db).decisionsNotToShare.createIndex({ decidedAt: -1, _id: -1 }, { name: 'decisions_not_to_share' });
  await consentCollections(db).decisionsNotToShare.createIndex({ subjectClientId: 1, decidedAt: -1 }, { name: 'decisions_not_to_share_by_subject' });
  await consentCollections(db).trusteeGrants.createIndex({ trusteeId: 1, expiresAt: -1 }, { name: 'grants_by_trustee' });
}

export class ConsentStore {
  /** The database, for writes (consent-writes.ts); reads go through the loaders below. */
  readonly db: Db;
  readonly #collections: ReturnType<typeof consentCollections>;
  readonly consentById: DataLoader<string, ConsentDoc | null>;
  readonly disclosureById: DataLoader<string, DisclosureDoc | null>;
  readonly exceptionalById: DataLoader<string, ExceptionalDisclosureDoc | null>;
  readonly consentsBySubject: DataLoader<string, ConsentDoc[]>;
  readonly disclosuresBySubject: DataLoader<string, DisclosureDoc[]>;
  readonly exceptionalBySubject: DataLoader<string, ExceptionalDisclosureDoc[]>;
  readonly grantById: DataLoader<string, TrusteeGrantDoc | null>;
  readonly grantsBySubject: DataLoader<string, TrusteeGrantDoc[]>;
  readonly subjectAccessRequestById: DataLoader<string, SubjectAccessRequestDoc | null>;
  readonly decisionNotToShareById: DataLoader<string, DecisionNotToShareDoc | null>;
  readonly decisionsNotToShareBySubject: DataLoader<string, DecisionNotToShareDoc[]>;

  constructor(db: Db, lookups: LookupShape) {
    this.db = db;
    const collections = consentCollections(db);
    this.#collections = collections;
    this.consentById = loaderById(collections.consents, lookups);
    this.disclosureById = loaderById(collections.disclosures, lookups);
    this.exceptionalById = loaderById(collections.exceptionalDisclosures, lookups);
    this.consentsBySubject = loaderGroupedBy(collections.consents, 'subjectClientId', { signedAt: -1, _id: 1 }, lookups);
    this.disclosuresBySubject = loaderGroupedBy(collections.disclosures, 'subjectClientId', { madeAt: -1, _id: 1 }, lookups);
    this.exceptionalBySubject = loaderGroupedBy(collections.exceptionalDisclosures, 'subjectClientId', { openedAt: -1, _id: 1 }, lookups);
    this.grantById = loaderById(collections.trusteeGrants, lookups);
    this.grantsBySubject = loaderGroupedBy(collections.trusteeGrants, 'subjectClientId', { grantedAt: -1, _id: 1 }, lookups);
    this.subjectAccessRequestById = loaderById(collections.subjectAccessRequests, lookups);
    this.decisionNotToShareById = loaderById(collections.decisionsNotToShare, lookups);
    this.decisionsNotToShareBySubject = loaderGroupedBy(collections.decisionsNotToShare, 'subjectClientId', { decidedAt: -1, _id: 1 }, lookups);
  }

  /**
   * One subject's consents a page at a time, in the order of the whole list (newest signed first,
   * then id). The cursor must be a consent of that same subject: another person's consent as a
   * cursor would tell when it was signed, measured against this person's consents.
   */
  async consentsPage(subjectClientId: string, first: number, afterId: string | null | undefined): Promise<Page<ConsentDoc>> {
    const size = pageSize(first);
    let position = {};
    if (afterId) {
      const after = await this.#collections.consents.findOne({ subjectClientId, _id: afterId });
      // The uniform denial, as for any id the caller may not use.
      if (!after) throw forbidden();
      position = { $or: [{ signedAt: { $lt: after.signedAt } }, { signedAt: after.signedAt, _id: { $gt: after._id } }] };
    }
    const found = await this.#collections.consents
      .find({ subjectClientId, ...position }, { limit: size + 1 })
      .sort({ signedAt: -1, _id: 1 })
      .toArray();
    const nodes = found.slice(0, size);
    for (const consent of nodes) this.consentById.prime(consent._id, consent);
    return { nodes, hasNextPage: found.length > size };
  }

  /** Clients a trustee holds an active grant on now. */
  async grantedTo(trusteeId: string, now: Date): Promise<string[]> {
    const grants = await this.#collections.trusteeGrants
      .find({ trusteeId, revokedAt: null, expiresAt: { $gt: now }, grantedAt: { $lte: now } }, { batchSize: FIRST_BATCH })
      .toArray();
    return [...new Set(grants.map((grant) => grant.subjectClientId))].sort();
  }

  async exceptionalDisclosures(activeOnly: boolean, now: Date): Promise<ExceptionalDisclosureDoc[]> {
    const filter = activeOnly ? { expiresAt: { $gt: now }, closedAt: null } : {};
    const found = await this.#collections.exceptionalDisclosures.find(filter, { batchSize: FIRST_BATCH }).sort({ openedAt: -1, _id: 1 }).toArray();
    for (const record of found) this.exceptionalById.prime(record._id, record);
    return found;
  }
}

/** Signed, within its period and not withdrawn, at `now`. */
export function consentIsActive(consent: ConsentDoc, now: Date): boolean {
  return consent.withdrawnAt == null && consent.validFrom <= now && now < consent.validUntil;
}

export function trusteeGrantIsActive(grant: TrusteeGrantDoc, now: Date): boolean {
  return grant.revokedAt == null && grant.grantedAt <= now && now < grant.expiresAt;
}

export function exceptionalDisclosureIsActive(record: ExceptionalDisclosureDoc, now: Date): boolean {
  return record.closedAt == null && record.openedAt <= now && now < record.expiresAt;
}
