import { CLIENT_COLLECTIONS } from '../clients/documents.js';
import { HR_COLLECTIONS } from '../hr/documents.js';
import { AGE_BANDS } from './report-period.js';
import type { SubgraphName } from '../registry.js';

/**
 * Where every report dimension's labels come from: the one place that says it (DESIGN.md
 * invariants 8 and 12). A table carries every label of both its dimensions, in this order,
 * whether or not any record has it. A label left out because nobody has it is a published zero
 * (for the whole row), and a zero tells a reader every hidden count beside it is at least 1;
 * across the tables of a quarter and its months such bounds pin hidden counts. With every
 * label always there, absence carries nothing, and the zero cells are hidden like any small
 * count.
 *
 * Values found in the data but not on the list (a team id the reference list does not name, a
 * gender the schema does not know) are counted under a catch-all label, and that label is
 * shown always, like the others: shown only when someone has it, its mere presence would say
 * "at least one such record", which is the same leak. A raw stored value is never a label (it
 * could be an internal id, or any free text a legacy system holds).
 */

/** The values of an enum in a subgraph's `schema.graphql`, in schema order. */
export interface EnumSource {
  readonly enum: string;
  readonly schema: SubgraphName;
}

/** A fixed list, in this order: bands, or columns the report itself defines. */
interface FixedSource {
  readonly fixed: readonly string[];
}

/**
 * A reference collection in the subgraph's own database, sorted by label. Records store `key`
 * (a team id, a service name); reports show `label` (the team's name), never the key.
 */
interface CollectionSource {
  readonly collection: string;
  readonly key: string;
  readonly label: string;
}

type LabelSource = EnumSource | FixedSource | CollectionSource;

export interface DimensionLabels {
  readonly source: LabelSource;
  /** Shown after the listed labels, always: records with no value. */
  readonly missing?: string;
  /** Shown after the listed labels, always: records whose value is not on the list (default: `missing`). */
  readonly unlisted?: string;
}

const NOT_RECORDED = 'NOT_RECORDED';

/** The client database's dimensions (caseload, referrals and closures). */
export const CLIENT_REPORT_DIMENSIONS = {
  /** The client database's own list of services (collection `services`); clients store service names. */
  SERVICE: { source: { collection: CLIENT_COLLECTIONS.services, key: 'name', label: 'name' }, missing: NOT_RECORDED, unlisted: 'UNKNOWN SERVICE' },
  GENDER: { source: { enum: 'Gender', schema: 'clients' }, missing: NOT_RECORDED },
  /** Age on a day, from the date of birth; no date of birth is UNKNOWN. */
  AGE_BAND: { source: { fixed: AGE_BANDS }, missing: 'UNKNOWN' },
  /** From the closing date: every client on a caseload has one of the two. */
  OUTCOME: { source: { fixed: ['CLOSED_IN_PERIOD', 'ONGOING'] } },
  /** The client database's own copy of the team list (collection `teams`); clients store team ids. */
  TEAM: { source: { collection: CLIENT_COLLECTIONS.teams, key: '_id', label: 'name' }, missing: NOT_RECORDED, unlisted: 'UNKNOWN TEAM' },
} as const satisfies Record<string, DimensionLabels>;

/** The columns of the referrals and closures report. */
export const REFERRAL_ACTIVITY: DimensionLabels = { source: { fixed: ['REFERRED', 'CLOSED'] } };

/** The HR system's dimensions (headcount): its own team and post lists; employees store ids. */
export const HR_REPORT_DIMENSIONS = {
  TEAM: { source: { collection: HR_COLLECTIONS.teams, key: '_id', label: 'name' }, missing: NOT_RECORDED },
  POST: { source: { collection: HR_COLLECTIONS.posts, key: '_id', label: 'title' }, missing: NOT_RECORDED },
} as const satisfies Record<string, DimensionLabels>;

/** The consent store's dimensions. */
export const CONSENT_REPORT_DIMENSIONS = {
  RECIPIENT_TYPE: { source: { enum: 'RecipientType', schema: 'consent' }, missing: NOT_RECORDED },
  LEGAL_BASIS: { source: { enum: 'LegalBasis', schema: 'consent' }, missing: NOT_RECORDED },
  CONSENT_ACTIVITY: { source: { fixed: ['GIVEN', 'WITHDRAWN'] } },
  BREAK_GLASS_ACTIVITY: { source: { fixed: ['OPENED'] } },
} as const satisfies Record<string, DimensionLabels>;
