/**
 * Deterministic synthetic data for the three databases. No real people: names come from
 * small invented lists (seed/vocabulary/), towns are invented, postcodes start with Q (no real
 * UK postcode area does), NI numbers start with QQ (never issued), phone numbers are Ofcom's
 * drama ranges.
 *
 * Same size + seed + now gives byte-identical documents. Each collection draws from its own
 * named PRNG stream, and records that other collections need to look up (clients, consents,
 * exceptional disclosures) are generated from a per-record stream, so any record can be
 * rebuilt on its own and the output does not depend on batch size or on what was read first.
 * Large collections are produced lazily, batch by batch; the bench size never holds a whole
 * collection in memory except employees and teams.
 *
 * This file is the public face: sizes, options, and which collection of which store comes
 * from where. What is shared by the stores is seed/world.ts; each store's records are drawn in
 * seed/<store>-store.ts; seed/fingerprint.ts proves a change to any of them kept the output.
 */
import type { CaseNoteDoc, ClientDoc, HomeVisitDoc, PersonNameDoc, ServiceNameDoc, TeamNameDoc } from '../subgraphs/clients/documents.js';
import type {
  ConsentDoc,
  DecisionNotToShareDoc,
  DisclosureDoc,
  ExceptionalDisclosureDoc,
  SubjectAccessRequestDoc,
  TrusteeGrantDoc,
} from '../subgraphs/consent/documents.js';
import type { EmployeeDoc, PostDoc, TeamDoc } from '../subgraphs/hr/documents.js';
import { caseNoteDocs, clientDocs, homeVisitDocs, personNameDocs, serviceNameDocs, teamNameDocs } from './clients-store.js';
import { consentDocs, decisionNotToShareDocs, disclosureDocs, exceptionalDisclosureDocs, subjectAccessRequestDocs, trusteeGrantDocs } from './consent-store.js';
import { employeeDocs, postDocs, teamDocs } from './hr-store.js';
import { buildWorld, type Ctx, type World } from './world.js';

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

  // The key order of each store is the order seed/write.ts writes its collections in.
  return {
    size: options.size,
    seed,
    now: new Date(nowMs),
    counts,
    clients: {
      clients: batches(() => clientDocs(getWorld())),
      caseNotes: batches(() => caseNoteDocs(getWorld())),
      homeVisits: batches(() => homeVisitDocs(getWorld())),
      teams: batches(() => teamNameDocs(getWorld())),
      services: batches(() => serviceNameDocs()),
      personNames: batches(() => personNameDocs(getWorld())),
    },
    hr: {
      employees: batches(() => employeeDocs(getWorld())),
      teams: batches(() => teamDocs(getWorld())),
      posts: batches(() => postDocs()),
    },
    consent: {
      consents: batches(() => consentDocs(getWorld())),
      disclosures: batches(() => disclosureDocs(getWorld())),
      exceptionalDisclosures: batches(() => exceptionalDisclosureDocs(getWorld())),
      trusteeGrants: batches(() => trusteeGrantDocs()),
      subjectAccessRequests: batches(() => subjectAccessRequestDocs(nowMs)),
      decisionsNotToShare: batches(() => decisionNotToShareDocs(nowMs)),
    },
  };
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
