/**
 * Deterministic synthetic data for the three databases. No real people: names come from
 * small built-in lists, towns are invented, postcodes start with Q (no real UK postcode area
 * does), NI numbers start with QQ (never issued), phone numbers are Ofcom's drama ranges.
 *
 * Same size + seed + now gives byte-identical documents. Each collection draws from its own
 * named PRNG stream, and records that other collections need to look up (clients, consents,
 * exceptional disclosures) are generated from a per-record stream, so any record can be
 * rebuilt on its own and the output does not depend on batch size or on what was read first.
 * Large collections are produced lazily, batch by batch; the bench size never holds a whole
 * collection in memory except employees and teams.
 */
import { RELEASED_BY_BASIS } from '../shield/policy.js';
import type {
  CaseNoteDoc,
  ClientDoc,
  GenderValue,
  HomeVisitDoc,
  PersonNameDoc,
  PostalAddressDoc,
  RestrictionReasonValue,
  ServiceNameDoc,
  TeamNameDoc,
} from '../subgraphs/clients/documents.js';
import { nameKeys } from '../subgraphs/clients/third-party-names.js';
import type {
  AbsenceDoc,
  AbsenceKindValue,
  ContractTypeValue,
  DbsCheckDoc,
  DbsLevelValue,
  DbsStatusValue,
  EmployeeDoc,
  PostDoc,
  TeamDoc,
  TrainingDoc,
} from '../subgraphs/hr/documents.js';
import type {
  ConsentDoc,
  DataCategoryValue,
  DisclosureDoc,
  ExceptionalDisclosureDoc,
  LegalBasisValue,
  RecipientTypeValue,
  SubjectAccessRequestDoc,
  DecisionNotToShareDoc,
  TrusteeGrantDoc,
} from '../subgraphs/consent/documents.js';
import { subjectAccessDueOn } from '../subgraphs/consent/subject-access-due-date.js';
import { createPermutation, createRng, type Rng } from './random.js';
import {
  FIXED_TEAMS,
  PERSONAS,
  PERSONA_NAMES,
  PERSONA_STAFF,
  POSTS,
  POST_IDS,
  RESERVED_IDS,
  TEAM_CENTRAL,
  TEAM_NORTH,
  TEAM_SOUTH,
  type PostId,
} from './personas.js';

// ---------------------------------------------------------------------------------------------
// Public API

export type SeedSize = 'demo' | 'bench';

export interface SeedCounts {
  teams: number;
  employees: number;
  clients: number;
  caseNotes: number;
  homeVisits: number;
  consents: number;
  disclosures: number;
  exceptionalDisclosures: number;
}

export const SEED_SIZES: Readonly<Record<SeedSize, Readonly<SeedCounts>>> = {
  demo: {
    teams: 6,
    employees: 60,
    clients: 300,
    caseNotes: 3_000,
    homeVisits: 150,
    consents: 200,
    disclosures: 40,
    exceptionalDisclosures: 5,
  },
  bench: {
    teams: 50,
    employees: 2_000,
    clients: 100_000,
    caseNotes: 1_000_000,
    homeVisits: 20_000,
    consents: 50_000,
    disclosures: 5_000,
    exceptionalDisclosures: 500,
  },
};

export const SEED_SIZE_NAMES: readonly SeedSize[] = ['demo', 'bench'];
export const DEFAULT_SEED = 20_240_917;
export const DEFAULT_BATCH_SIZE = 2_000;

/** Each call starts a fresh pass over the collection, in batches of `batchSize` documents. */
export type BatchSource<T> = (batchSize?: number) => Iterable<T[]>;

export interface Dataset {
  size: SeedSize;
  seed: number;
  now: Date;
  counts: Readonly<SeedCounts>;
  clients: {
    clients: BatchSource<ClientDoc>;
    caseNotes: BatchSource<CaseNoteDoc>;
    homeVisits: BatchSource<HomeVisitDoc>;
    /** The same teams as HR's, names only: the client database labels reports with them. */
    teams: BatchSource<TeamNameDoc>;
    /** The services clients receive, names only: every report by service shows each of them. */
    services: BatchSource<ServiceNameDoc>;
    /** Every client's and every employee's name, as undistinguished keys: case notes are redacted with them. */
    personNames: BatchSource<PersonNameDoc>;
  };
  hr: {
    employees: BatchSource<EmployeeDoc>;
    teams: BatchSource<TeamDoc>;
    posts: BatchSource<PostDoc>;
  };
  consent: {
    consents: BatchSource<ConsentDoc>;
    disclosures: BatchSource<DisclosureDoc>;
    exceptionalDisclosures: BatchSource<ExceptionalDisclosureDoc>;
    /** None: trustee access exists only while a DPO grants it. */
    trusteeGrants: BatchSource<TrusteeGrantDoc>;
    subjectAccessRequests: BatchSource<SubjectAccessRequestDoc>;
    /** None: a decision not to share is recorded when a request is refused. */
    decisionsNotToShare: BatchSource<DecisionNotToShareDoc>;
  };
}

export interface GenerateOptions {
  size: SeedSize;
  seed?: number;
  now: Date;
}

export function generateDataset(options: GenerateOptions): Dataset {
  const counts = SEED_SIZES[options.size];
  if (counts === undefined) throw new RangeError(`unknown seed size "${String(options.size)}"`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
  }
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid date');

  const ctx: Ctx = { size: options.size, seed, nowMs, counts };
  let world: World | undefined;
  // Built on first use and shared, so every collection sees the same staff and layout.
  const getWorld = (): World => (world ??= buildWorld(ctx));

  return {
    size: options.size,
    seed,
    now: new Date(nowMs),
    counts,
    clients: {
      clients: batches(() => clientDocs(getWorld())),
      caseNotes: batches(() => caseNoteDocs(getWorld())),
      homeVisits: batches(() => homeVisitDocs(getWorld())),
      teams: batches(() => getWorld().teams.map((t) => ({ _id: t._id, name: t.name }))),
      services: batches(() => SERVICES.map((name) => ({ _id: `svc_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`, name }))),
      personNames: batches(() => personNameDocs(getWorld())),
    },
    hr: {
      // Copies, so a consumer that mutates what it reads cannot change the next pass.
      employees: batches(() => getWorld().employees.map((e) => structuredClone(e))),
      teams: batches(() => getWorld().teams.map((t) => ({ ...t }))),
      posts: batches(() => POSTS.map((p) => ({ ...p }))),
    },
    consent: {
      consents: batches(() => consentDocs(getWorld())),
      disclosures: batches(() => disclosureDocs(getWorld())),
      exceptionalDisclosures: batches(() => exceptionalDisclosureDocs(getWorld())),
      trusteeGrants: batches(() => [] as TrusteeGrantDoc[]),
      subjectAccessRequests: batches(() => subjectAccessRequestDocs(nowMs)),
      decisionsNotToShare: batches(() => decisionNotToShareDocs(nowMs)),
    },
  };
}

/**
 * The DPO's register: one request answered, and one open past its due date (so the overdue
 * list has something to show). Sam has none: the right-of-access test logs Sam's.
 */
function subjectAccessRequestDocs(nowMs: number): SubjectAccessRequestDoc[] {
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
function decisionNotToShareDocs(nowMs: number): DecisionNotToShareDoc[] {
  return [
    {
      _id: 'dns_0001',
      subjectClientId: PERSONAS.ordinaryClient.clientId,
      requestingOrganisation: 'Northshire Housing Association',
      purpose: 'tenancy review',
      dataCategories: ['SUPPORT', 'CASE_NOTES'],
      reason: 'No legal basis and no consent; the tenancy review does not need support records.',
      decidedByStaffId: PERSONAS.safeguardingOfficer,
      decidedAt: new Date(nowMs - 10 * 86_400_000),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Plumbing

interface Ctx {
  size: SeedSize;
  seed: number;
  nowMs: number;
  counts: Readonly<SeedCounts>;
}

function batches<T>(items: () => Iterable<T>): BatchSource<T> {
  return (batchSize = DEFAULT_BATCH_SIZE) => {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    return {
      *[Symbol.iterator]() {
        let batch: T[] = [];
        for (const item of items()) {
          batch.push(item);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      },
    };
  };
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`seed generator: missing ${what}`);
  return value;
}

/**
 * Ids from a running counter through a keyed permutation: unique, random-looking, and
 * unrelated to the counter. A counter whose id happens to equal a persona's fixed id is moved
 * to the unused upper half of the domain, which no counter reaches.
 */
function idFactory(seed: number, stream: string, prefix: string, bits: number): (index: number) => string {
  const permute = createPermutation(seed, `${stream}/ids`, bits);
  const width = bits / 4;
  const upperHalf = 2 ** (bits - 1);
  const format = (value: number): string => prefix + value.toString(16).padStart(width, '0');
  return (index) => {
    if (index >= upperHalf) throw new RangeError(`${stream}: id counter ${index} exceeds ${upperHalf}`);
    const id = format(permute(index));
    return RESERVED_IDS.has(id) ? format(permute(index + upperHalf)) : id;
  };
}

/** Distinct random positions in [0, total) for the given special entries. */
function placeSpecials<T>(rng: Rng, total: number, entries: readonly T[]): Map<number, T> {
  if (entries.length > total) throw new RangeError(`cannot place ${entries.length} fixed records among ${total}`);
  const placed = new Map<number, T>();
  for (const entry of entries) {
    let position = rng.int(0, total - 1);
    while (placed.has(position)) position = rng.int(0, total - 1);
    placed.set(position, entry);
  }
  return placed;
}

// ---------------------------------------------------------------------------------------------
// Time

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.2425 * DAY;

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoDateMs = (iso: string): number => Date.parse(`${iso}T00:00:00.000Z`);
const startOfDay = (ms: number): number => ms - (((ms % DAY) + DAY) % DAY);

/** A whole-millisecond instant in [lo, hi). */
function instantBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
}

/** A birth date for someone whose age today is in [minAge, maxAge]; two days' margin for leap years. */
function birthDate(rng: Rng, nowMs: number, minAge: number, maxAge: number): string {
  const earliest = nowMs - (maxAge + 1) * YEAR + 2 * DAY;
  const latest = nowMs - minAge * YEAR - 2 * DAY;
  return isoDate(instantBetween(rng, earliest, latest));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (all invented)

const FEMALE_FIRST = [
  'Abigail', 'Bethan', 'Chloe', 'Daisy', 'Eleanor', 'Farah', 'Grace', 'Hannah', 'Imogen', 'Jasmine',
  'Keira', 'Leah', 'Maya', 'Niamh', 'Olivia', 'Poppy', 'Rosa', 'Sofia', 'Tia', 'Zara',
] as const;
const MALE_FIRST = [
  'Aaron', 'Ben', 'Callum', 'Daniel', 'Ethan', 'Finley', 'George', 'Harvey', 'Isaac', 'Jacob',
  'Kieran', 'Liam', 'Mohammed', 'Nathan', 'Oscar', 'Reuben', 'Samir', 'Theo', 'Usman', 'Zach',
] as const;
const NEUTRAL_FIRST = ['Ashley', 'Charlie', 'Drew', 'Eden', 'Frankie', 'Harper', 'Jesse', 'Kai', 'Logan', 'Rowan', 'Sasha', 'Skyler'] as const;
const ANY_FIRST: readonly string[] = [...FEMALE_FIRST, ...MALE_FIRST, ...NEUTRAL_FIRST];
const LAST_NAMES = [
  'Abbott', 'Barlow', 'Chadwick', 'Dervish', 'Elcombe', 'Fairweather', 'Gillard', 'Hartigan', 'Ingleby', 'Jessop',
  'Kettering', 'Lomax', 'Mallory', 'Nettleship', 'Oduya', 'Pargeter', 'Quennell', 'Rushworth', 'Stannard', 'Thackeray',
  'Umber', 'Varley', 'Wetherall', 'Yardley', 'Ashworth', 'Bramwell', 'Cotterill', 'Dunmore', 'Everard', 'Fenwick',
  'Greaves', 'Holloway', 'Iqbal', 'Kowalczyk', 'Lindley', 'Mistry', 'Nwosu', 'Okonkwo', 'Petrakis', 'Rahman',
  'Sutcliffe', 'Tregarthen', 'Whitlock', 'Zielinski',
] as const;

/** Invented towns; each has its own Q-prefixed postcode area. */
const TOWNS = [
  ['Ashcombe Vale', 'QA'], ['Brackenmoor', 'QB'], ['Coldharrow', 'QC'], ['Dunwether', 'QD'], ['Fernhollow', 'QF'],
  ['Greyhythe', 'QG'], ['Hollinsby', 'QH'], ['Kestrelford', 'QK'], ['Larkmoor', 'QL'], ['Marrowgate', 'QM'],
  ['Netherwold', 'QN'], ['Oakhythe', 'QO'], ['Pellbridge', 'QP'], ['Rookmere', 'QR'], ['Saltlow', 'QS'],
  ['Thistlecombe', 'QT'], ['Underhollow', 'QU'], ['Wrenfield Magna', 'QW'], ['Yarrowby', 'QY'], ['Elderwick', 'QE'],
] as const;
const STREETS = [
  'Alder', 'Beacon', 'Chapel', 'Dovecote', 'Ferry', 'Gorse', 'Heron', 'Kiln', 'Linnet', 'Mill',
  'Orchard', 'Pound', 'Quarry', 'Rope', 'Saffron', 'Tanner', 'Vicarage', 'Weaver', 'Willow', 'Yew',
] as const;
const STREET_KINDS = ['Street', 'Road', 'Lane', 'Close', 'Way', 'Gardens', 'Terrace', 'Row', 'Crescent', 'Walk'] as const;
const BUILDINGS = ['Harbour', 'Linden', 'Meadow', 'Foundry', 'Granary', 'Maltings', 'Osprey', 'Sandpiper'] as const;
/** Postcode unit letters as the Royal Mail uses them (no C, I, K, M, O, V). */
const UNIT_LETTERS: readonly string[] = [...'ABDEFGHJLNPQRSTUWXYZ'];

const SERVICE_TEAMS = [
  ['Housing support', 'housing team'],
  ['Mental health support', 'mental health team'],
  ['Substance use recovery', 'recovery team'],
  ['Young people', 'youth team'],
  ['Domestic abuse support', 'domestic abuse team'],
  ['Employment and skills', 'employment team'],
  ['Older people', 'older people team'],
] as const;
const SERVICES: readonly string[] = SERVICE_TEAMS.map(([service]) => service);

const GENDERS: readonly (readonly [GenderValue, number])[] = [
  ['FEMALE', 48],
  ['MALE', 46],
  ['NON_BINARY', 3],
  ['NOT_STATED', 3],
];

const SEALED_NOTES: Record<RestrictionReasonValue, readonly string[]> = {
  SERVICE_USER_EMPLOYEE: ['Also employed by the organisation; restricted under the service-user employee procedure.'],
  REFUGE_RESIDENT: ['Lives in refuge accommodation; the address must not be disclosed.', 'Fled domestic abuse; never confirm the address.'],
  WITNESS_PROTECTION: ['Protected person; refer every enquiry to the named contact.'],
  OTHER: ['Restricted at the client’s request after a risk assessment.', 'High-profile individual; access limited to the team.'],
};

const NOTE_TOPICS = [
  'the housing benefit claim', 'the tenancy sustainment plan', 'rent arrears', 'a GP appointment', 'the medication review',
  'budgeting', 'a food bank referral', 'a college application', 'the job centre appointment', 'the support plan review',
  'managing anxiety', 'contact with family', 'utility bills', 'move-on options', 'the personal safety plan',
  'a volunteering opportunity', 'sleep and daily routine', 'preparing for a court date',
] as const;
const NOTE_OPENERS: readonly ((topic: string) => string)[] = [
  (t) => `Discussed ${t}.`,
  (t) => `Followed up on ${t}.`,
  (t) => `Client raised concerns about ${t}.`,
  (t) => `Supported client with ${t}.`,
  (t) => `Reviewed ${t} together.`,
];
const NOTE_OUTCOMES = [
  'Agreed next steps and a date to review.', 'Client to gather documents before the next session.',
  'Referral made; awaiting a response.', 'No further action needed at present.',
  'Will check in by phone later this week.', 'Client seemed more settled than last time.',
  'Asked the team manager for advice.',
] as const;
const VENUES: readonly (readonly [string, number])[] = [
  ['Office', 30], ['Client home', 30], ['Telephone', 20], ['Video call', 6], ['Community centre', 8], ['GP surgery', 3], ['Café', 3],
];

const ORGANISATIONS: Record<RecipientTypeValue, readonly string[]> = {
  NHS: [PERSONAS.agencies.nhsTrust, 'Southvale NHS Foundation Trust', 'Northshire Mental Health NHS Trust'],
  LOCAL_AUTHORITY: ['Northshire County Council', 'Eastbridge Borough Council'],
  POLICE: [PERSONAS.agencies.police, 'Southvale Constabulary'],
  OTHER: ['Brightway Housing Association', 'Northshire Advice Centre', 'Larkmoor Credit Union'],
};
const PURPOSES: Record<RecipientTypeValue, readonly string[]> = {
  NHS: ['care coordination', 'hospital discharge planning', 'mental health assessment'],
  LOCAL_AUTHORITY: ['housing application', 'care needs assessment', 'benefits support'],
  POLICE: ['victim support', 'safety planning'],
  OTHER: ['tenancy application', 'debt advice', 'employment support'],
};
const RECIPIENT_TYPES: readonly (readonly [RecipientTypeValue, number])[] = [
  ['NHS', 40],
  ['LOCAL_AUTHORITY', 30],
  ['POLICE', 10],
  ['OTHER', 20],
];
const CATEGORY_ORDER: readonly DataCategoryValue[] = ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES', 'HOME_VISITS'];

const LEGAL_BASES: readonly (readonly [LegalBasisValue, number])[] = [
  ['SAFEGUARDING', 35],
  ['SERIOUS_HARM', 25],
  ['CRIME_PREVENTION', 15],
  ['COURT_ORDER', 10],
  ['VITAL_INTERESTS', 15],
];
/** The recipients and reasons per basis; what each basis releases is the policy's (shield/policy.ts). */
const BASIS_RULES: Record<LegalBasisValue, { recipients: readonly string[]; reasons: readonly string[] }> = {
  SAFEGUARDING: {
    recipients: ['Northshire County Council Adult Social Care', 'Eastbridge Borough Council Children’s Services'],
    reasons: ['Concern that the client is being financially exploited by a relative.', 'Disclosure of neglect by a carer during a visit.'],
  },
  SERIOUS_HARM: {
    recipients: [PERSONAS.agencies.police, 'Southvale Constabulary'],
    reasons: ['Credible threat to the client’s life from an ex-partner.', 'Client disclosed an intention to harm a named person.'],
  },
  CRIME_PREVENTION: {
    recipients: [PERSONAS.agencies.police, 'Southvale Constabulary'],
    reasons: ['Police investigating a planned burglary at the client’s block.', 'Suspected cuckooing of the client’s flat.'],
  },
  COURT_ORDER: {
    recipients: ['Northshire County Court', 'Southvale Family Court'],
    reasons: ['Court order to produce records for care proceedings.', 'Witness summons covering support records.'],
  },
  VITAL_INTERESTS: {
    recipients: ['Northshire Ambulance Service NHS Trust', PERSONAS.agencies.nhsTrust],
    reasons: ['Client found unresponsive; paramedics need medical history.', 'Client missing and at risk; hospital needs contact details.'],
  },
};

const TRAINING_COURSES: readonly (readonly [string, number | undefined])[] = [
  ['Safeguarding adults', 3],
  ['Safeguarding children', 3],
  ['Data protection and confidentiality', 1],
  ['Lone working', undefined],
  ['First aid at work', 3],
  ['Mental health first aid', undefined],
  ['Trauma-informed practice', undefined],
  ['Medication awareness', 2],
];

// ---------------------------------------------------------------------------------------------
// Small generators shared by people records

function personName(rng: Rng, gender?: GenderValue): string {
  const firstNames: readonly string[] =
    gender === 'FEMALE' ? FEMALE_FIRST : gender === 'MALE' ? MALE_FIRST : gender === undefined ? ANY_FIRST : NEUTRAL_FIRST;
  for (;;) {
    const name = `${rng.pick(firstNames)} ${rng.pick(LAST_NAMES)}`;
    // Keeps each persona the only record with its name.
    if (!PERSONA_NAMES.has(name)) return name;
  }
}

function postalAddress(rng: Rng): PostalAddressDoc {
  const [town, area] = rng.pick(TOWNS);
  const street = `${rng.int(1, 180)} ${rng.pick(STREETS)} ${rng.pick(STREET_KINDS)}`;
  const postcode = `${area}${rng.int(1, 24)} ${rng.int(1, 9)}${rng.pick(UNIT_LETTERS)}${rng.pick(UNIT_LETTERS)}`;
  if (rng.chance(0.25)) {
    return { line1: `Flat ${rng.int(1, 24)}, ${rng.pick(BUILDINGS)} House`, line2: street, town, postcode };
  }
  return { line1: street, town, postcode };
}

/** Ofcom's drama range: 07700 900000–900999 are never allocated. */
const mobilePhone = (rng: Rng): string => `07700 900${rng.digits(3)}`;
/** Ofcom's drama range for landlines: 01632 960000–960999. */
const workPhone = (rng: Rng): string => `01632 960${rng.digits(3)}`;

/** A non-empty subset of `from` in canonical order; its first element is always kept. */
function categorySubset(rng: Rng, from: readonly DataCategoryValue[], keepProbability: number): DataCategoryValue[] {
  const chosen = from.filter((_, i) => i === 0 || rng.chance(keepProbability));
  return CATEGORY_ORDER.filter((c) => chosen.includes(c));
}

// ---------------------------------------------------------------------------------------------
// The world: teams, staff and the positions of fixed records. Small enough to hold in memory.

interface StaffSpec {
  staffId: string;
  teamId: string;
  postId: PostId;
  fixedName?: string;
  fixedDateOfBirth?: string;
  fixedEmployeeId?: string;
  /** Set for service-user employees: the team whose client this person also is. */
  clientTeamId?: string;
}

interface FixedClient {
  /** Absent for generated service-user employees, whose client id is generated like any other. */
  id?: string;
  name?: string;
  dateOfBirth?: string;
  teamId: string;
  keyworkerStaffIds?: readonly string[];
  restriction?: RestrictionReasonValue;
}

interface World {
  ctx: Ctx;
  teams: TeamDoc[];
  serviceTeams: TeamDoc[];
  managerOf: ReadonlyMap<string, string>;
  keyworkersOf: ReadonlyMap<string, readonly string[]>;
  employees: EmployeeDoc[];
  safeguardingLeads: readonly string[];
  clientLayout: ReadonlyMap<number, FixedClient>;
  clientIndexOf: { sam: number; refuge: number; ordinary: number };
  clientIdAt: (index: number) => string;
  clientAt: (index: number) => ClientDoc;
  consentAt: (index: number) => Subjected<ConsentDoc>;
  exceptionalAt: (index: number) => Subjected<ExceptionalDisclosureDoc>;
}

/** A generated record with the position of its subject among the clients. */
interface Subjected<T> {
  doc: T;
  subjectIndex: number;
}

const KEYWORKER_POSTS: ReadonlySet<PostId> = new Set([POST_IDS.supportWorker, POST_IDS.seniorSupportWorker]);

function buildWorld(ctx: Ctx): World {
  const teams = buildTeams(ctx);
  const serviceTeams = teams.filter((t) => t._id !== TEAM_CENTRAL);
  const specs = planStaff(ctx, serviceTeams);

  const managerOf = new Map<string, string>();
  const keyworkersOf = new Map<string, string[]>();
  for (const spec of specs) {
    if (spec.postId === POST_IDS.teamManager || spec.postId === POST_IDS.headOfServices) managerOf.set(spec.teamId, spec.staffId);
    if (KEYWORKER_POSTS.has(spec.postId)) keyworkersOf.set(spec.teamId, [...(keyworkersOf.get(spec.teamId) ?? []), spec.staffId]);
  }
  for (const team of teams) team.managerStaffId = must(managerOf.get(team._id), `manager of ${team._id}`);

  const employees = buildEmployees(ctx, specs, managerOf);
  const safeguardingLeads = specs.filter((s) => s.postId === POST_IDS.safeguardingLead).map((s) => s.staffId);

  const layoutRng = createRng(ctx.seed, 'clients/layout');
  const fixedClients: FixedClient[] = [
    {
      id: PERSONAS.sam.clientId,
      name: PERSONAS.sam.name,
      dateOfBirth: PERSONAS.sam.dateOfBirth,
      teamId: TEAM_NORTH,
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: 'SERVICE_USER_EMPLOYEE',
    },
    {
      id: PERSONAS.refugeResident.clientId,
      name: PERSONAS.refugeResident.name,
      teamId: TEAM_NORTH,
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: 'REFUGE_RESIDENT',
    },
    { id: PERSONAS.ordinaryClient.clientId, name: PERSONAS.ordinaryClient.name, teamId: TEAM_NORTH, keyworkerStaffIds: [PERSONAS.keyworkerOfSam] },
  ];
  const byStaffId = new Map(employees.map((e) => [e.staffId, e]));
  for (const spec of specs) {
    if (spec.clientTeamId === undefined || spec.staffId === PERSONAS.sam.staffId) continue;
    const employee = must(byStaffId.get(spec.staffId), `employee ${spec.staffId}`);
    fixedClients.push({ name: employee.name, dateOfBirth: employee.dateOfBirth, teamId: spec.clientTeamId, restriction: 'SERVICE_USER_EMPLOYEE' });
  }
  const clientLayout = placeSpecials(layoutRng, ctx.counts.clients, fixedClients);
  const indexOfId = (id: string): number => must([...clientLayout].find(([, c]) => c.id === id)?.[0], `position of ${id}`);

  const clientIds = idFactory(ctx.seed, 'clients', 'cli_', 32);
  const clientIdAt = (index: number): string => clientLayout.get(index)?.id ?? clientIds(index);

  const partial = {
    ctx,
    teams,
    serviceTeams,
    managerOf,
    keyworkersOf,
    employees,
    safeguardingLeads,
    clientLayout,
    clientIndexOf: {
      sam: indexOfId(PERSONAS.sam.clientId),
      refuge: indexOfId(PERSONAS.refugeResident.clientId),
      ordinary: indexOfId(PERSONAS.ordinaryClient.clientId),
    },
    clientIdAt,
  };
  const clientAt = (index: number): ClientDoc => makeClient(partial, index);
  const consentAt = makeConsentLookup(partial);
  const exceptionalAt = makeExceptionalLookup(partial);
  return { ...partial, clientAt, consentAt, exceptionalAt };
}

function buildTeams(ctx: Ctx): TeamDoc[] {
  if (ctx.counts.teams < FIXED_TEAMS.length + 1) throw new RangeError(`need at least ${FIXED_TEAMS.length + 1} teams`);
  const rng = createRng(ctx.seed, 'teams');
  const teams: TeamDoc[] = FIXED_TEAMS.map((t) => ({ ...t }));
  const ids = new Set(teams.map((t) => t._id));
  const names = new Set(teams.map((t) => t.name));
  while (teams.length < ctx.counts.teams) {
    const [service, noun] = rng.pick(SERVICE_TEAMS);
    const name = `${rng.pick(TOWNS)[0]} ${noun}`;
    const id = `team_${rng.hexId(6)}`;
    if (ids.has(id) || names.has(name)) continue;
    ids.add(id);
    names.add(name);
    teams.push({ _id: id, name, service });
  }
  return teams;
}

/** Who works where, before any personal detail is drawn. Returned in insertion order. */
function planStaff(ctx: Ctx, serviceTeams: readonly TeamDoc[]): StaffSpec[] {
  const rng = createRng(ctx.seed, 'employees/plan');
  const total = ctx.counts.employees;
  const fixed: StaffSpec[] = PERSONA_STAFF.map((p) => ({ staffId: p.staffId, teamId: p.teamId, postId: p.postId, fixedName: p.name }));
  fixed.push({
    staffId: PERSONAS.sam.staffId,
    teamId: TEAM_SOUTH,
    postId: POST_IDS.traineeSupportWorker,
    fixedName: PERSONAS.sam.name,
    fixedDateOfBirth: PERSONAS.sam.dateOfBirth,
    fixedEmployeeId: PERSONAS.sam.employeeId,
    clientTeamId: TEAM_NORTH,
  });

  type Role = Omit<StaffSpec, 'staffId'>;
  const roles: Role[] = [{ teamId: TEAM_CENTRAL, postId: POST_IDS.headOfServices }];
  for (const team of serviceTeams) {
    if (team._id === TEAM_NORTH || team._id === TEAM_SOUTH) continue;
    roles.push({ teamId: team._id, postId: POST_IDS.teamManager });
  }
  // Every service team needs keyworkers; north already has two personas.
  for (const team of serviceTeams) {
    if (team._id === TEAM_NORTH) continue;
    roles.push({ teamId: team._id, postId: POST_IDS.supportWorker }, { teamId: team._id, postId: POST_IDS.supportWorker });
  }
  const central: [PostId, number][] = [
    [POST_IDS.hrOfficer, Math.max(1, Math.round(total * 0.006))],
    [POST_IDS.dutyOfficer, Math.max(1, Math.round(total * 0.004))],
    [POST_IDS.safeguardingLead, Math.round(total * 0.002)],
    [POST_IDS.administrator, Math.round(total * 0.004)],
  ];
  for (const [postId, count] of central) for (let i = 0; i < count; i++) roles.push({ teamId: TEAM_CENTRAL, postId });

  const remaining = total - fixed.length - roles.length;
  if (remaining < 0) throw new RangeError(`${total} employees cannot staff ${serviceTeams.length + 1} teams`);
  const frontline: Role[] = [];
  for (let i = 0; i < remaining; i++) {
    const postId = rng.weighted<PostId>([
      [POST_IDS.supportWorker, 60],
      [POST_IDS.seniorSupportWorker, 18],
      [POST_IDS.traineeSupportWorker, 17],
      [POST_IDS.administrator, 5],
    ]);
    frontline.push({ teamId: rng.pick(serviceTeams)._id, postId });
  }
  // Service-user employees besides Sam: about 0.5% of staff, never managers, each a client of
  // a team other than their own.
  const serviceUserCount = Math.min(frontline.length, Math.max(2, Math.round(total * 0.005)));
  for (const role of rng.sample(frontline, serviceUserCount)) {
    role.clientTeamId = rng.pick(serviceTeams.filter((t) => t._id !== role.teamId))._id;
  }

  const specs: StaffSpec[] = [...fixed, ...assignStaffIds(rng, [...roles, ...frontline])];
  // Insertion order must not reveal who is a persona or a service user.
  return rng.shuffle(specs);
}

/** Staff ids are random 4-digit numbers, so the number says nothing about when or why someone was added. */
function assignStaffIds(rng: Rng, roles: readonly Omit<StaffSpec, 'staffId'>[]): StaffSpec[] {
  const taken = new Set<string>([...PERSONA_STAFF.map((p) => p.staffId), PERSONAS.sam.staffId]);
  const lowest = PERSONA_STAFF.length + 1;
  if (roles.length > 9999 - lowest + 1 - taken.size) throw new RangeError(`too many employees for 4-digit staff ids`);
  return roles.map((role) => {
    let staffId: string;
    do staffId = `stf_${String(rng.int(lowest, 9999)).padStart(4, '0')}`;
    while (taken.has(staffId));
    taken.add(staffId);
    return { ...role, staffId };
  });
}

function buildEmployees(ctx: Ctx, specs: readonly StaffSpec[], managerOf: ReadonlyMap<string, string>): EmployeeDoc[] {
  const rng = createRng(ctx.seed, 'employees');
  const employeeIds = idFactory(ctx.seed, 'employees', 'emp_', 32);
  const absenceIds = idFactory(ctx.seed, 'absences', 'abs_', 32);
  const head = must(managerOf.get(TEAM_CENTRAL), 'head of services');
  const payrollNumbers = new Set<string>();
  const niNumbers = new Set<string>();
  let absenceCounter = 0;
  const unique = (used: Set<string>, draw: () => string): string => {
    let value = draw();
    while (used.has(value)) value = draw();
    used.add(value);
    return value;
  };

  return specs.map((spec, index) => {
    const isTrainee = spec.postId === POST_IDS.traineeSupportWorker;
    // Every value is drawn for every employee, personas included, so the stream (and the
    // shape of the record) never depends on who the person is.
    const drawnName = personName(rng);
    const drawnBirth = isTrainee ? birthDate(rng, ctx.nowMs, 18, 45) : birthDate(rng, ctx.nowMs, 21, 70);
    const dateOfBirth = spec.fixedDateOfBirth ?? drawnBirth;
    const homeAddress = postalAddress(rng);
    const payrollNumber = unique(payrollNumbers, () => `PAY${rng.digits(6)}`);
    const niNumber = unique(niNumbers, () => `QQ${rng.digits(6)}${rng.pick(['A', 'B', 'C', 'D'])}`);
    const startMs = employmentStart(rng, ctx.nowMs, dateOfBirth, isTrainee);
    const lineManagerStaffId = lineManagerFor(spec, managerOf, head);
    const absences = drawAbsences(rng, ctx.nowMs, startMs, () => absenceIds(absenceCounter++));
    return {
      _id: spec.fixedEmployeeId ?? employeeIds(index),
      staffId: spec.staffId,
      payrollNumber,
      name: spec.fixedName ?? drawnName,
      dateOfBirth,
      homeAddress,
      niNumber,
      postId: spec.postId,
      teamId: spec.teamId,
      ...(lineManagerStaffId === undefined ? {} : { lineManagerStaffId }),
      startDate: isoDate(startMs),
      contract: drawContract(rng, spec.postId),
      workPhone: workPhone(rng),
      absences,
      training: drawTraining(rng, ctx.nowMs, startMs),
      dbsCheck: drawDbsCheck(rng, spec.postId, startMs),
    };
  });
}

function employmentStart(rng: Rng, nowMs: number, dateOfBirth: string, isTrainee: boolean): number {
  const adult = isoDateMs(dateOfBirth) + 18 * YEAR;
  const earliest = Math.max(adult, nowMs - (isTrainee ? 540 : 20 * 365) * DAY);
  const latest = nowMs - 14 * DAY;
  return startOfDay(instantBetween(rng, Math.min(earliest, latest), latest));
}

/** Managers report to the head of services, who reports to nobody (the board is not in HR). */
function lineManagerFor(spec: StaffSpec, managerOf: ReadonlyMap<string, string>, head: string): string | undefined {
  if (spec.postId === POST_IDS.headOfServices) return undefined;
  if (spec.postId === POST_IDS.teamManager) return head;
  return must(managerOf.get(spec.teamId), `manager of ${spec.teamId}`);
}

function drawContract(rng: Rng, postId: PostId): EmployeeDoc['contract'] {
  const kind = rng.weighted<ContractTypeValue>([['PERMANENT', 70], ['FIXED_TERM', 20], ['SESSIONAL', 10]]);
  const hours = rng.pick([37.5, 37.5, 30, 22.5]);
  const sessionalHours = rng.int(8, 20);
  if (postId === POST_IDS.traineeSupportWorker) return { type: 'TRAINEE', hoursPerWeek: hours === 22.5 ? 30 : hours };
  if (postId === POST_IDS.teamManager || postId === POST_IDS.headOfServices || postId === POST_IDS.dataProtectionOfficer) {
    return { type: 'PERMANENT', hoursPerWeek: 37.5 };
  }
  return kind === 'SESSIONAL' ? { type: kind, hoursPerWeek: sessionalHours } : { type: kind, hoursPerWeek: hours };
}

function drawAbsences(rng: Rng, nowMs: number, startMs: number, nextId: () => string): AbsenceDoc[] {
  const count = rng.weighted([[0, 35], [1, 35], [2, 20], [3, 10]]);
  const from = Math.max(startMs, nowMs - 2 * 365 * DAY);
  const absences: { startMs: number; doc: AbsenceDoc }[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<AbsenceKindValue>([['ANNUAL_LEAVE', 60], ['SICKNESS', 30], ['PARENTAL', 3], ['OTHER', 7]]);
    const days = kind === 'PARENTAL' ? rng.int(60, 180) : kind === 'SICKNESS' ? rng.int(1, 15) : kind === 'OTHER' ? rng.int(1, 3) : rng.int(1, 10);
    const start = startOfDay(instantBetween(rng, from, nowMs - DAY));
    const end = start + (days - 1) * DAY;
    const id = nextId();
    // An absence still running today has no end date yet.
    const doc: AbsenceDoc = end >= startOfDay(nowMs)
      ? { id, kind, startDate: isoDate(start) }
      : { id, kind, startDate: isoDate(start), endDate: isoDate(end) };
    absences.push({ startMs: start, doc });
  }
  return absences.sort((a, b) => a.startMs - b.startMs).map((a) => a.doc);
}

function drawTraining(rng: Rng, nowMs: number, startMs: number): TrainingDoc[] {
  const courses = rng.sample(TRAINING_COURSES, rng.int(2, 5));
  return courses
    .map(([course, validYears]) => {
      const completed = startOfDay(instantBetween(rng, startMs, nowMs));
      const completedOn = isoDate(completed);
      return validYears === undefined
        ? { course, completedOn }
        : { course, completedOn, expiresOn: isoDate(completed + validYears * 365 * DAY) };
    })
    .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.course.localeCompare(b.course));
}

function drawDbsCheck(rng: Rng, postId: PostId, startMs: number): DbsCheckDoc {
  const level: DbsLevelValue =
    postId === POST_IDS.safeguardingLead
      ? 'ENHANCED'
      : postId === POST_IDS.hrOfficer || postId === POST_IDS.administrator || postId === POST_IDS.dataProtectionOfficer
        ? 'STANDARD'
        : 'ENHANCED_WITH_BARRED_LISTS';
  const status = rng.weighted<DbsStatusValue>([['CLEAR', 93], ['UNDER_REVIEW', 3], ['EXPIRED', 4]]);
  return {
    level,
    certificateNumber: `00${rng.digits(10)}`,
    issuedOn: isoDate(startMs - rng.int(10, 60) * DAY),
    status,
  };
}

// ---------------------------------------------------------------------------------------------
// Clients, case notes, home visits

type ClientWorld = Pick<World, 'ctx' | 'teams' | 'serviceTeams' | 'managerOf' | 'keyworkersOf' | 'clientLayout' | 'clientIdAt'>;

function makeClient(world: ClientWorld, index: number): ClientDoc {
  const { ctx } = world;
  const rng = createRng(ctx.seed, `clients#${index}`);
  const fixed = world.clientLayout.get(index);
  // Draw everything first, then let a fixed record override: every record consumes the same
  // draws, and fixed records get generated values for whatever the persona leaves open.
  const gender = rng.weighted(GENDERS);
  const drawnName = personName(rng, gender);
  const drawnBirth = birthDate(rng, ctx.nowMs, 16, 90);
  const address = postalAddress(rng);
  const phone = mobilePhone(rng);
  const drawnTeam = rng.pick(world.serviceTeams);
  const extraService = rng.chance(0.2) ? rng.pick(SERVICES) : undefined;
  const drawnClosed = rng.chance(0.15);
  const referralDraw = rng.next();
  const closureDraw = rng.next();
  const keyworkerCount = rng.chance(0.3) ? 2 : 1;
  const keyworkerDraw = rng.uint32();
  const drawnRestriction = rng.chance(0.02)
    ? rng.weighted<RestrictionReasonValue>([['REFUGE_RESIDENT', 50], ['WITNESS_PROTECTION', 15], ['OTHER', 35]])
    : undefined;
  const sealedNoteDraw = rng.uint32();

  const dateOfBirth = fixed?.dateOfBirth ?? drawnBirth;
  const team = fixed ? must(world.teams.find((t) => t._id === fixed.teamId), `team ${fixed.teamId}`) : drawnTeam;
  const services = extraService === undefined || extraService === team.service ? [team.service] : [team.service, extraService];

  // Fixed records are long-standing open cases so the demo scenarios always have history.
  const referredFrom = Math.max(isoDateMs(dateOfBirth) + 16 * YEAR, ctx.nowMs - (fixed ? 3 : 8) * 365 * DAY);
  const referredTo = fixed ? ctx.nowMs - 60 * DAY : ctx.nowMs - 7 * DAY;
  const referredMs = startOfDay(referredFrom + Math.floor(referralDraw * Math.max(DAY, referredTo - referredFrom)));
  const closable = !fixed && drawnClosed && referredMs + 30 * DAY < ctx.nowMs - DAY;
  const closedMs = closable ? startOfDay(referredMs + 30 * DAY + Math.floor(closureDraw * (ctx.nowMs - DAY - referredMs - 30 * DAY))) : undefined;

  const pool = must(world.keyworkersOf.get(team._id), `keyworkers of ${team._id}`);
  const keyworkerStaffIds = fixed?.keyworkerStaffIds
    ? [...fixed.keyworkerStaffIds]
    : pickKeyworkers(pool, keyworkerCount, keyworkerDraw);
  const reason = fixed ? fixed.restriction : drawnRestriction;
  const notes = reason === undefined ? [] : SEALED_NOTES[reason];

  return {
    _id: world.clientIdAt(index),
    name: fixed?.name ?? drawnName,
    dateOfBirth,
    gender,
    address,
    phone,
    services,
    status: closedMs === undefined ? 'OPEN' : 'CLOSED',
    referredOn: isoDate(referredMs),
    ...(closedMs === undefined ? {} : { closedOn: isoDate(closedMs) }),
    teamId: team._id,
    keyworkerStaffIds,
    ...(reason === undefined
      ? {}
      : {
          restriction: {
            reason,
            sealedNote: must(notes[sealedNoteDraw % notes.length], 'sealed note'),
            contactStaffId: must(world.managerOf.get(team._id), `manager of ${team._id}`),
          },
        }),
  };
}

/** One or two distinct keyworkers chosen from a single draw, so the stream length is fixed. */
function pickKeyworkers(pool: readonly string[], count: number, draw: number): string[] {
  const first = must(pool[draw % pool.length], 'keyworker');
  if (count < 2 || pool.length < 2) return [first];
  const offset = 1 + (Math.floor(draw / pool.length) % (pool.length - 1));
  return [first, must(pool[(draw % pool.length + offset) % pool.length], 'second keyworker')];
}

function* clientDocs(world: World): Generator<ClientDoc> {
  for (let i = 0; i < world.ctx.counts.clients; i++) yield world.clientAt(i);
}

/**
 * How many notes each client gets: uneven (some cases are busy) but summing exactly to the
 * configured total. A typed array keeps this cheap at 100,000 clients.
 */
function noteCounts(ctx: Ctx): Uint32Array {
  const rng = createRng(ctx.seed, 'caseNotes/counts');
  const { clients, caseNotes } = ctx.counts;
  const weights = new Float64Array(clients);
  let totalWeight = 0;
  for (let i = 0; i < clients; i++) {
    const weight = (0.25 + rng.next() * 1.5) * (rng.chance(0.05) ? 3 : 1);
    weights[i] = weight;
    totalWeight += weight;
  }
  const counts = new Uint32Array(clients);
  let assigned = 0;
  for (let i = 0; i < clients; i++) {
    const count = Math.floor((caseNotes * (weights[i] ?? 0)) / totalWeight);
    counts[i] = count;
    assigned += count;
  }
  for (; assigned < caseNotes; assigned++) {
    const i = rng.int(0, clients - 1);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/**
 * The client database's list of people known to the organisation, written from the same lists
 * as the clients and HR's employees. Sorted keys, one each: the order says nothing about which
 * list a name came from, or that Sam's name is on both.
 */
function personNameDocs(world: World): PersonNameDoc[] {
  const keys = new Set<string>();
  for (let i = 0; i < world.ctx.counts.clients; i++) for (const key of nameKeys(world.clientAt(i).name)) keys.add(key);
  for (const employee of world.employees) for (const key of nameKeys(employee.name)) keys.add(key);
  return [...keys].sort().map((key) => ({ _id: key }));
}

function* caseNoteDocs(world: World): Generator<CaseNoteDoc> {
  const { ctx } = world;
  const counts = noteCounts(ctx);
  const noteIds = idFactory(ctx.seed, 'caseNotes', 'note_', 40);
  let counter = 0;
  for (let i = 0; i < ctx.counts.clients; i++) {
    const count = counts[i] ?? 0;
    if (count === 0) continue;
    const client = world.clientAt(i);
    const rng = createRng(ctx.seed, `caseNotes#${i}`);
    yield* notesForClient(rng, ctx.nowMs, client, count, () => noteIds(counter++));
  }
}

function notesForClient(rng: Rng, nowMs: number, client: ClientDoc, count: number, nextId: () => string): CaseNoteDoc[] {
  const from = isoDateMs(client.referredOn);
  // Nothing happens after closure, and the last note is at least ten minutes old.
  const until = Math.min(client.closedOn === undefined ? nowMs : isoDateMs(client.closedOn) + DAY, nowMs) - 10 * MINUTE;
  const times: number[] = [];
  for (let n = 0; n < count; n++) times.push(instantBetween(rng, from, until));
  times.sort((a, b) => a - b);

  const notes: CaseNoteDoc[] = [];
  for (const occurredMs of times) {
    const author = rng.pick(client.keyworkerStaffIds);
    const venue = rng.weighted(VENUES);
    const text = `${rng.pick(NOTE_OPENERS)(rng.pick(NOTE_TOPICS))} ${rng.pick(NOTE_OUTCOMES)}`;
    const recordedMs = Math.min(occurredMs + recordingDelay(rng), nowMs);
    const correct = notes.length > 0 && rng.chance(0.02);
    const target = notes[rng.int(0, Math.max(0, notes.length - 1))];
    const correctionDelay = rng.int(10, 14 * 24 * 60) * MINUTE;

    // A correction is a new note about the same event, recorded after the note it corrects.
    if (correct && target !== undefined && target.recordedAt.getTime() + 10 * MINUTE < nowMs) {
      notes.push({
        _id: nextId(),
        clientId: client._id,
        authorStaffId: author,
        occurredAt: new Date(target.occurredAt.getTime()),
        venue: target.venue,
        recordedAt: new Date(Math.min(target.recordedAt.getTime() + correctionDelay, nowMs)),
        text: `Correction to an earlier note: ${text}`,
        correctsNoteId: target._id,
      });
      continue;
    }
    notes.push({
      _id: nextId(),
      clientId: client._id,
      authorStaffId: author,
      occurredAt: new Date(occurredMs),
      venue,
      recordedAt: new Date(recordedMs),
      text,
    });
  }
  return notes;
}

/** Most notes are written up the same day; a few days later is not rare. */
function recordingDelay(rng: Rng): number {
  const bucket = rng.weighted([['sameDay', 70], ['days', 25], ['late', 5]]);
  if (bucket === 'sameDay') return rng.int(5, 8 * 60) * MINUTE;
  if (bucket === 'days') return rng.int(8 * 60, 72 * 60) * MINUTE;
  return rng.int(3 * 24 * 60, 14 * 24 * 60) * MINUTE;
}

type VisitSpecial = 'personaInProgress' | 'personaEnded' | 'otherInProgress';

/** Besides the persona's, how many visits are under way at `now` (the duty officer's list). */
const EXTRA_VISITS_IN_PROGRESS: Record<SeedSize, number> = { demo: 2, bench: 0 };

function* homeVisitDocs(world: World): Generator<HomeVisitDoc> {
  const { ctx } = world;
  const rng = createRng(ctx.seed, 'homeVisits');
  const specials: VisitSpecial[] = ['personaInProgress', 'personaEnded'];
  for (let i = 0; i < EXTRA_VISITS_IN_PROGRESS[ctx.size]; i++) specials.push('otherInProgress');
  const layout = placeSpecials(createRng(ctx.seed, 'homeVisits/layout'), ctx.counts.homeVisits, specials);
  const visitIds = idFactory(ctx.seed, 'homeVisits', 'hv_', 32);
  // Nobody is on two visits at once.
  const busyWorkers = new Set<string>([PERSONAS.keyworkerOfSam]);

  for (let j = 0; j < ctx.counts.homeVisits; j++) {
    const special = layout.get(j);
    if (special === 'personaInProgress') {
      const client = world.clientAt(world.clientIndexOf.refuge);
      yield {
        _id: PERSONAS.visitInProgress.visitId,
        clientId: client._id,
        workerStaffId: PERSONAS.keyworkerOfSam,
        startedAt: new Date(ctx.nowMs - 30 * MINUTE),
        address: must(client.address, 'refuge resident address'),
      };
    } else if (special === 'personaEnded') {
      const client = world.clientAt(world.clientIndexOf.ordinary);
      const started = ctx.nowMs - 26 * HOUR;
      yield {
        _id: PERSONAS.visitEnded.visitId,
        clientId: client._id,
        workerStaffId: PERSONAS.keyworkerOfSam,
        startedAt: new Date(started),
        endedAt: new Date(started + 70 * MINUTE),
        address: must(client.address, 'ordinary client address'),
      };
    } else if (special === 'otherInProgress') {
      yield visitInProgress(world, rng, busyWorkers, visitIds(j));
    } else {
      yield endedVisit(world, rng, visitIds(j));
    }
  }
}

function visitInProgress(world: World, rng: Rng, busyWorkers: Set<string>, id: string): HomeVisitDoc {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const index = rng.int(0, world.ctx.counts.clients - 1);
    const client = world.clientAt(index);
    const worker = rng.pick(client.keyworkerStaffIds);
    const startedAgo = rng.int(5, 90) * MINUTE;
    if (world.clientLayout.has(index) || client.status !== 'OPEN' || busyWorkers.has(worker)) continue;
    busyWorkers.add(worker);
    return {
      _id: id,
      clientId: client._id,
      workerStaffId: worker,
      startedAt: new Date(world.ctx.nowMs - startedAgo),
      address: must(client.address, 'client address'),
    };
  }
  throw new Error('seed generator: no client available for a visit in progress');
}

function endedVisit(world: World, rng: Rng, id: string): HomeVisitDoc {
  const { nowMs } = world.ctx;
  for (;;) {
    const client = world.clientAt(rng.int(0, world.ctx.counts.clients - 1));
    const worker = rng.pick(client.keyworkerStaffIds);
    const lo = Math.max(isoDateMs(client.referredOn), nowMs - 2 * 365 * DAY);
    const hi = (client.closedOn === undefined ? nowMs : isoDateMs(client.closedOn)) - 4 * HOUR;
    const started = instantBetween(rng, lo, hi);
    const duration = rng.int(20, 150) * MINUTE;
    if (hi <= lo) continue;
    return {
      _id: id,
      clientId: client._id,
      workerStaffId: worker,
      startedAt: new Date(started),
      endedAt: new Date(started + duration),
      address: must(client.address, 'client address'),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Consents, exceptional disclosures, disclosures

type ConsentWorld = Pick<World, 'ctx' | 'clientIdAt' | 'clientIndexOf'>;

function makeConsentLookup(world: ConsentWorld): (index: number) => Subjected<ConsentDoc> {
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
    const signedBy = rng.weighted<ConsentDoc['signedBy']>([['SUBJECT', 85], ['ADVOCATE', 10], ['GUARDIAN', 5]]);
    const signedHow = rng.weighted<ConsentDoc['signedHow']>([['PAPER', 50], ['ELECTRONIC', 35], ['VERBAL_WITNESSED', 15]]);
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

function* consentDocs(world: World): Generator<ConsentDoc> {
  for (let j = 0; j < world.ctx.counts.consents; j++) yield world.consentAt(j).doc;
}

type ExceptionalWorld = Pick<World, 'ctx' | 'clientIdAt' | 'clientIndexOf' | 'safeguardingLeads'>;

function makeExceptionalLookup(world: ExceptionalWorld): (index: number) => Subjected<ExceptionalDisclosureDoc> {
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

function* exceptionalDisclosureDocs(world: World): Generator<ExceptionalDisclosureDoc> {
  for (let k = 0; k < world.ctx.counts.exceptionalDisclosures; k++) yield world.exceptionalAt(k).doc;
}

/** What was actually shared: within a consent's live period, or during a break-glass window. */
function* disclosureDocs(world: World): Generator<DisclosureDoc> {
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
