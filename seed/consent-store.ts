/**
 * The consent database: consents, exceptional (break-glass) disclosures, what was actually
 * disclosed under either, the DPO's subject-access register and decisions not to share.
 * Consents and exceptional disclosures are rebuilt on demand from a per-record stream, so a
 * disclosure can look up the consent it was made under without generating the rest.
 */
import { RELEASED_BY_BASIS } from '../shield/policy.js';
import type {
  ConsentDoc,
  DataCategoryValue,
  DecisionNotToShareDoc,
  DisclosureDoc,
  ExceptionalDisclosureDoc,
  LegalBasisValue,
  RecipientTypeValue,
  SubjectAccessRequestDoc,
  TrusteeGrantDoc,
} from '../subgraphs/consent/documents.js';
import { subjectAccessDueOn } from '../subgraphs/consent/subject-access-due-date.js';
import { PERSONAS } from './personas.js';
import { createRng, type Rng } from './random.js';
import { idFactory, placeSpecials } from './records.js';
import { DAY, HOUR, instantBetween, MINUTE, startOfDay } from './time.js';
import { VOCABULARY } from './vocabulary.js';
import type { Subjected, World } from './world.js';

const { organisations: ORGANISATIONS, purposes: PURPOSES, exceptionalDisclosures: BASIS_RULES } = VOCABULARY.sharing;

const RECIPIENT_TYPES: readonly (readonly [RecipientTypeValue, number])[] = [
  ['NHS', 40],
  ['LOCAL_AUTHORITY', 30],
  ['POLICE', 10],
  ['OTHER', 20],
];
const CATEGORY_ORDER: readonly DataCategoryValue[] = ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES', 'HOME_VISITS'];

/** What each basis releases is the policy's (shield/policy.ts); the recipients and reasons are the vocabulary's. */
const LEGAL_BASES: readonly (readonly [LegalBasisValue, number])[] = [
  ['SAFEGUARDING', 35],
  ['SERIOUS_HARM', 25],
  ['CRIME_PREVENTION', 15],
  ['COURT_ORDER', 10],
  ['VITAL_INTERESTS', 15],
];

/** A non-empty subset of `from` in canonical order; its first element is always kept. */
function categorySubset(rng: Rng, from: readonly DataCategoryValue[], keepProbability: number): DataCategoryValue[] {
  const chosen = from.filter((_, i) => i === 0 || rng.chance(keepProbability));
  return CATEGORY_ORDER.filter((c) => chosen.includes(c));
}

// ---------------------------------------------------------------------------------------------
// Consents

type ConsentWorld = Pick<World, 'ctx' | 'clientIdAt' | 'clientIndexOf'>;

export function makeConsentLookup(world: ConsentWorld): (index: number) => Subjected<ConsentDoc> {
  const { ctx } = world;
  const ids = idFactory(ctx.seed, 'consents', 'cns_', 32);
  const layout = placeSpecials(createRng(ctx.seed, 'consents/layout'), ctx.counts.consents, ['samToNhs'] as const);
  return (index) => {
    if (layout.has(index)) return { doc: samConsentToNhs(ctx.nowMs, world.clientIdAt(world.clientIndexOf.sam)), subjectIndex: world.clientIndexOf.sam };
    const rng = createRng(ctx.seed, `consents#${index}`);
    const subjectIndex = rng.int(0, ctx.counts.clients - 1);
    const recipientType = rng.weighted(RECIPIENT_TYPES);
    const recipientOrganisation = rng.pick(ORGANISATIONS[recipientType]);
    const purpose = rng.pick(PURPOSES[recipientType]);
    const dataCategories = categorySubset(rng, CATEGORY_ORDER, 0.45);
    const signedBy = rng.weighted<ConsentDoc['signedBy']>([
      ['SUBJECT', 85],
      ['ADVOCATE', 10],
      ['GUARDIAN', 5],
    ]);
    const signedHow = rng.weighted<ConsentDoc['signedHow']>([
      ['PAPER', 50],
      ['ELECTRONIC', 35],
      ['VERBAL_WITNESSED', 15],
    ]);
    const validFrom = startOfDay(ctx.nowMs - rng.int(0, 2 * 365) * DAY);
    const signedAt = validFrom - rng.int(0, 3 * 24 * 60) * MINUTE;
    // One to three years: most are live, but some of the older ones have lapsed by `now`.
    const validUntil = validFrom + rng.int(365, 3 * 365) * DAY;
    const withdraw = rng.chance(0.12);
    const withdrawnAt = instantBetween(rng, validFrom, Math.min(validUntil, ctx.nowMs));
    const doc: ConsentDoc = {
      _id: ids(index),
      subjectClientId: world.clientIdAt(subjectIndex),
      recipientOrganisation,
      recipientType,
      purpose,
      dataCategories,
      signedBy,
      signedHow,
      signedAt: new Date(signedAt),
      validFrom: new Date(validFrom),
      validUntil: new Date(validUntil),
      ...(withdraw && withdrawnAt < ctx.nowMs ? { withdrawnAt: new Date(withdrawnAt) } : {}),
    };
    return { doc, subjectIndex };
  };
}

function samConsentToNhs(nowMs: number, samClientId: string): ConsentDoc {
  const validFrom = nowMs - 30 * DAY;
  return {
    _id: PERSONAS.samConsentToNhs.consentId,
    subjectClientId: samClientId,
    recipientOrganisation: PERSONAS.agencies.nhsTrust,
    recipientType: 'NHS',
    purpose: 'care coordination',
    dataCategories: ['IDENTITY', 'CONTACT'],
    signedBy: 'SUBJECT',
    signedHow: 'ELECTRONIC',
    signedAt: new Date(validFrom),
    validFrom: new Date(validFrom),
    validUntil: new Date(nowMs + 335 * DAY),
  };
}

export function* consentDocs(world: World): Generator<ConsentDoc> {
  for (let j = 0; j < world.ctx.counts.consents; j++) yield world.consentAt(j).doc;
}

// ---------------------------------------------------------------------------------------------
// Exceptional disclosures

type ExceptionalWorld = Pick<World, 'ctx' | 'clientIdAt' | 'clientIndexOf' | 'safeguardingLeads'>;

export function makeExceptionalLookup(world: ExceptionalWorld): (index: number) => Subjected<ExceptionalDisclosureDoc> {
  const { ctx } = world;
  const ids = idFactory(ctx.seed, 'exceptionalDisclosures', 'exd_', 32);
  const layout = placeSpecials(createRng(ctx.seed, 'exceptionalDisclosures/layout'), ctx.counts.exceptionalDisclosures, ['toPolice'] as const);
  const openers = [PERSONAS.safeguardingOfficer, ...world.safeguardingLeads.filter((s) => s !== PERSONAS.safeguardingOfficer)];
  return (index) => {
    if (layout.has(index)) {
      const subjectIndex = world.clientIndexOf.ordinary;
      return { doc: exceptionalDisclosureToPolice(ctx.nowMs, world.clientIdAt(subjectIndex)), subjectIndex };
    }
    const rng = createRng(ctx.seed, `exceptionalDisclosures#${index}`);
    const subjectIndex = rng.int(0, ctx.counts.clients - 1);
    const legalBasis = rng.weighted(LEGAL_BASES);
    const rule = BASIS_RULES[legalBasis];
    const openedAt = ctx.nowMs - rng.int(2 * 60, 2 * 365 * 24 * 60) * MINUTE;
    const expiresAt = openedAt + rng.int(24, 72) * HOUR;
    const close = rng.chance(0.35);
    const closedAt = instantBetween(rng, openedAt + 30 * MINUTE, Math.min(expiresAt, ctx.nowMs));
    const doc: ExceptionalDisclosureDoc = {
      _id: ids(index),
      subjectClientId: world.clientIdAt(subjectIndex),
      recipientOrganisation: rng.pick(rule.recipients),
      legalBasis,
      reason: rng.pick(rule.reasons),
      dataCategories: categorySubset(rng, RELEASED_BY_BASIS[legalBasis], 0.7),
      openedByStaffId: rng.pick(openers),
      openedAt: new Date(openedAt),
      expiresAt: new Date(expiresAt),
      ...(close && closedAt < ctx.nowMs ? { closedAt: new Date(closedAt) } : {}),
    };
    return { doc, subjectIndex };
  };
}

function exceptionalDisclosureToPolice(nowMs: number, subjectClientId: string): ExceptionalDisclosureDoc {
  return {
    _id: PERSONAS.exceptionalDisclosureToPolice.id,
    subjectClientId,
    recipientOrganisation: PERSONAS.agencies.police,
    legalBasis: 'SERIOUS_HARM',
    reason: 'Police report a credible threat of serious harm to the client; they need identity and contact details to carry out a welfare check.',
    dataCategories: ['IDENTITY', 'CONTACT'],
    openedByStaffId: PERSONAS.safeguardingOfficer,
    openedAt: new Date(nowMs - HOUR),
    expiresAt: new Date(nowMs + 71 * HOUR),
  };
}

export function* exceptionalDisclosureDocs(world: World): Generator<ExceptionalDisclosureDoc> {
  for (let k = 0; k < world.ctx.counts.exceptionalDisclosures; k++) yield world.exceptionalAt(k).doc;
}

// ---------------------------------------------------------------------------------------------
// Disclosures

/** What was actually shared: within a consent's live period, or during a break-glass window. */
export function* disclosureDocs(world: World): Generator<DisclosureDoc> {
  const { ctx } = world;
  const rng = createRng(ctx.seed, 'disclosures');
  const ids = idFactory(ctx.seed, 'disclosures', 'dsc_', 32);
  for (let d = 0; d < ctx.counts.disclosures; d++) {
    const underConsent = rng.chance(0.8);
    const consentIndex = rng.int(0, ctx.counts.consents - 1);
    const exceptionalIndex = rng.int(0, ctx.counts.exceptionalDisclosures - 1);
    const madeDraw = rng.next();
    if (underConsent) {
      const { doc: consent, subjectIndex } = world.consentAt(consentIndex);
      const end = Math.min(consent.validUntil.getTime(), consent.withdrawnAt?.getTime() ?? Infinity, ctx.nowMs);
      const start = consent.validFrom.getTime();
      const client = world.clientAt(subjectIndex);
      yield {
        _id: ids(d),
        subjectClientId: consent.subjectClientId,
        recipientOrganisation: consent.recipientOrganisation,
        dataCategories: categorySubset(rng, consent.dataCategories, 0.7),
        madeAt: new Date(start + Math.floor(madeDraw * Math.max(1, end - start))),
        madeByStaffId: rng.pick(client.keyworkerStaffIds),
        basis: 'CONSENT',
        consentId: consent._id,
      };
    } else {
      const { doc: exceptional } = world.exceptionalAt(exceptionalIndex);
      const start = exceptional.openedAt.getTime();
      const end = Math.min(exceptional.closedAt?.getTime() ?? exceptional.expiresAt.getTime(), ctx.nowMs);
      yield {
        _id: ids(d),
        subjectClientId: exceptional.subjectClientId,
        recipientOrganisation: exceptional.recipientOrganisation,
        dataCategories: categorySubset(rng, exceptional.dataCategories, 0.7),
        madeAt: new Date(start + Math.floor(madeDraw * Math.max(1, end - start))),
        madeByStaffId: exceptional.openedByStaffId,
        basis: 'EXCEPTIONAL',
        exceptionalDisclosureId: exceptional._id,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fixed registers: no draws, only the personas' records

/** None: trustee access exists only while a DPO grants it. */
export const trusteeGrantDocs = (): TrusteeGrantDoc[] => [];

/**
 * The DPO's register: one request answered, and one open past its due date (so the overdue
 * list has something to show). Sam has none: the right-of-access test logs Sam's.
 */
export function subjectAccessRequestDocs(nowMs: number): SubjectAccessRequestDoc[] {
  const daysAgo = (days: number) => new Date(nowMs - days * 86_400_000);
  const request = (id: string, subjectClientId: string, receivedDaysAgo: number, completedDaysAgo?: number): SubjectAccessRequestDoc => {
    const receivedOn = daysAgo(receivedDaysAgo).toISOString().slice(0, 10);
    return {
      _id: id,
      subjectClientId,
      receivedOn,
      dueOn: subjectAccessDueOn(receivedOn),
      loggedByStaffId: PERSONAS.dataProtectionOfficer,
      loggedAt: daysAgo(receivedDaysAgo),
      ...(completedDaysAgo === undefined ? {} : { completedAt: daysAgo(completedDaysAgo) }),
    };
  };
  const extended = request('sar_0003', PERSONAS.refugeResident.clientId, 20);
  return [
    request('sar_0001', PERSONAS.refugeResident.clientId, 70, 45),
    request('sar_0002', PERSONAS.ordinaryClient.clientId, 40),
    // Extended by two months (UK GDPR Art. 12(3)), the person told within the first month.
    {
      ...extended,
      dueOn: subjectAccessDueOn(extended.receivedOn, 3),
      extension: {
        months: 2,
        reason: 'Complex request: records held across three services.',
        personToldOn: daysAgo(15).toISOString().slice(0, 10),
        originalDueOn: extended.dueOn,
        extendedByStaffId: PERSONAS.dataProtectionOfficer,
        extendedAt: daysAgo(15),
      },
    },
  ];
}

/** One decision not to share (Caldicott): a request about the ordinary client that was refused. */
export function decisionNotToShareDocs(nowMs: number): DecisionNotToShareDoc[] {
  return [
    {
      _id: 'dns_0001',
      subjectClientId: PERSONAS.ordinaryClient.clientId,
      requestingOrganisation: 'Northshire Housing Association',
      purpose: 'tenancy review',
      dataCategories: ['SUPPORT', 'CASE_NOTES'],
      reason: 'No legal basis and no consent; the tenancy review does not need support records.',
      decidedByStaffId: PERSONAS.safeguardingOfficer,
      decidedAt: new Date(nowMs - 10 * DAY),
    },
  ];
}
