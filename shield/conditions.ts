import type { Principal } from './roles.js';

/**
 * The named conditions the policy may attach to a grant: small typed predicates over facts
 * about the client a field, record or change is about. Each says in one sentence what it means
 * (the policy document prints it for the data protection officer) and which facts it reads, so
 * the gateway fetches those facts only for the roles a grant checks. A condition never does
 * I/O: the facts are fetched before it runs (for a read, beside the data; for a change or a
 * root field, before anything is forwarded).
 */

export const DATA_CATEGORIES = ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES', 'HOME_VISITS'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** What the policy knows about one client: the subject of a field, a record or a change. */
export interface ClientFacts {
  /** The client's own id (raw: raw ids only ever meet the verified token's `sub` here). */
  readonly id: string | undefined;
  readonly keyworkerIds: readonly string[];
  readonly teamId: string | undefined;
}

/** A consent or an exceptional disclosure, as far as releasing data goes. */
export interface SharingFact {
  readonly recipientOrganisation: string;
  /** Consents only: a consent releases data for its own purpose. Exceptional disclosures have none. */
  readonly purpose?: string | undefined;
  readonly dataCategories: readonly string[];
  readonly active: boolean;
}

interface SharingFacts {
  readonly consents: readonly SharingFact[];
  readonly exceptional: readonly SharingFact[];
  /** The client's restriction protects where they live (refuge, witness protection). */
  readonly addressProtected: boolean;
}

export interface Facts {
  /** The client the object, record or change is about. */
  readonly client?: ClientFacts | undefined;
  readonly sharing?: SharingFacts | undefined;
  /** Active trustee grants on the client: the trustees they name. */
  readonly trusteesGranted?: readonly string[] | undefined;
  /** The object is a home visit in progress, or is reached directly through one. */
  readonly duringVisit?: boolean | undefined;
  /** For a root field about a team (a team's caseload): the team asked for. */
  readonly teamAskedFor?: string | undefined;
}

/**
 * The kinds of fact a condition reads. `subject` is just the id of the client (or team) a root
 * field or change names, known from its arguments: checking it fetches nothing.
 */
export type FactKind = 'subject' | 'circle' | 'sharing' | 'grants' | 'visit';

export interface Condition {
  /** One sentence for the policy document. */
  readonly means: string;
  readonly reads: readonly FactKind[];
  holds(facts: Facts, principal: Principal): boolean;
}

/** Restrictions that protect where someone lives (policy 003): no consent releases the address. */
export const ADDRESS_PROTECTING_REASONS: ReadonlySet<string> = new Set(['REFUGE_RESIDENT', 'WITNESS_PROTECTION']);

function releases(facts: Facts, principal: Principal, category: string): boolean {
  const { agency, purpose } = principal;
  if (agency === undefined || facts.sharing === undefined) return false;
  const names = (record: SharingFact) => record.active && record.recipientOrganisation === agency && record.dataCategories.includes(category);
  const consented = facts.sharing.consents.some((consent) => names(consent) && purpose !== undefined && consent.purpose === purpose);
  return consented || facts.sharing.exceptional.some(names);
}

const released = (category: DataCategory): Condition => ({
  means: `an active, in-period, unwithdrawn consent for the caller's organisation and purpose covers ${category}, or an active exceptional disclosure to the caller's organisation releases ${category}`,
  reads: ['sharing'],
  holds: (facts, principal) => releases(facts, principal, category),
});

export const CONDITIONS = {
  onCaseload: {
    means: "the caller is one of the client's keyworkers",
    reads: ['circle'],
    holds: (facts, principal) => facts.client?.keyworkerIds.includes(principal.sub) ?? false,
  },
  inTeam: {
    means: "the client belongs to the team named in the caller's token (the team they manage)",
    reads: ['circle'],
    holds: (facts, principal) => principal.team !== undefined && facts.client?.teamId === principal.team,
  },
  themself: {
    means: 'the client is the caller (a service user reading or changing their own record)',
    reads: ['subject'],
    holds: (facts, principal) => facts.client?.id !== undefined && facts.client.id === principal.sub,
  },
  ownTeam: {
    means: "the team asked for is the team named in the caller's token",
    reads: ['subject'],
    holds: (facts, principal) => principal.team !== undefined && facts.teamAskedFor === principal.team,
  },
  duringVisit: {
    means: 'reached through a home visit that is in progress now (lone working)',
    reads: ['visit'],
    holds: (facts) => facts.duringVisit === true,
  },
  trusteeGranted: {
    means: "a data protection officer's grant to this trustee for this client is active (a complaint review)",
    reads: ['grants'],
    holds: (facts, principal) => facts.trusteesGranted?.includes(principal.sub) ?? false,
  },
  releasedIdentity: released('IDENTITY'),
  releasedContact: released('CONTACT'),
  releasedSupport: released('SUPPORT'),
  releasedCaseNotes: released('CASE_NOTES'),
  releasedHomeVisits: released('HOME_VISITS'),
  releasedAddress: {
    means:
      "CONTACT is released to the caller's organisation (by a consent for their purpose or an exceptional disclosure), and the client's restriction does not protect their address (refuge, witness protection)",
    reads: ['sharing'],
    holds: (facts, principal) => facts.sharing !== undefined && !facts.sharing.addressProtected && releases(facts, principal, 'CONTACT'),
  },
} as const satisfies Record<string, Condition>;

export type ConditionName = keyof typeof CONDITIONS;

/** The condition that releases a data category to an external organisation. */
export const RELEASED: Readonly<Record<DataCategory, ConditionName>> = {
  IDENTITY: 'releasedIdentity',
  CONTACT: 'releasedContact',
  SUPPORT: 'releasedSupport',
  CASE_NOTES: 'releasedCaseNotes',
  HOME_VISITS: 'releasedHomeVisits',
};
