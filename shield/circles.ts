import type { FactKind, Facts, SharingFact } from './conditions.js';
import { ADDRESS_PROTECTING_REASONS } from './conditions.js';
import type { Needs } from './policy-rule.js';

/**
 * How the facts a condition reads (shield/conditions.ts) are fetched beside the data of a read,
 * and read back from the fetched objects. They travel under internal aliases (`_ntk_…`) that
 * the response never carries. Raw ids only ever meet raw ids here: the principal's `sub` and
 * `team` come from the verified token, the rest from the subgraphs.
 */

export const INTERNAL_ALIAS_PREFIX = '_ntk_';

/**
 * Every field the client asked for is fetched under this prefix plus its response key, so no
 * alias the client chose can collide with a field the query planner adds (`id`, `__typename`
 * of entity keys): @apollo/gateway mixes such colliding aliases up.
 */
export const CLIENT_KEY_PREFIX = '_ntkc_';

type Row = Record<string, unknown>;

/** The selections each kind of fact needs, keyed by the type whose selection set they join. */
export const FACT_NEEDS: Readonly<Record<FactKind, Needs>> = {
  subject: { Client: '_ntk_id: id' },
  circle: { Client: '_ntk_id: id _ntk_keyworkers: keyworkers { id } _ntk_team: team { id }' },
  sharing: {
    Client:
      '_ntk_consents: consents { recipientOrganisation purpose dataCategories active } ' +
      '_ntk_exceptional: exceptionalDisclosures { recipientOrganisation dataCategories active } ' +
      '_ntk_protection: restriction { reason }',
  },
  grants: { Client: '_ntk_grants: trusteeGrants { trusteeId active }' },
  visit: { HomeVisit: '_ntk_in_progress: inProgress' },
};

function rows(value: unknown): Row[] {
  return Array.isArray(value) ? value.filter((item): item is Row => item !== null && typeof item === 'object') : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function sharingFact(row: Row): SharingFact {
  return {
    recipientOrganisation: typeof row.recipientOrganisation === 'string' ? row.recipientOrganisation : '',
    purpose: typeof row.purpose === 'string' ? row.purpose : undefined,
    dataCategories: strings(row.dataCategories),
    active: row.active === true,
  };
}

/** The nearest object, this one first, that carries `marker`: the client its facts were fetched on. */
function nearest(chain: readonly Row[], marker: string): Row | undefined {
  return chain.find((candidate) => marker in candidate);
}

/**
 * The facts about a fetched object: about the client it is (or belongs to, the nearest client
 * above it), and whether it is, or hangs directly below, a home visit in progress.
 */
export function readFacts(object: Row, ancestors: readonly Row[]): Facts {
  const chain = [object, ...ancestors];
  const circle = nearest(chain, '_ntk_id');
  const sharing = nearest(chain, '_ntk_consents');
  const grants = nearest(chain, '_ntk_grants');
  const team = circle?._ntk_team as Row | null | undefined;
  const protection = sharing?._ntk_protection as Row | null | undefined;
  return {
    client: circle
      ? {
          id: typeof circle._ntk_id === 'string' ? circle._ntk_id : undefined,
          keyworkerIds: rows(circle._ntk_keyworkers).flatMap((keyworker) => (typeof keyworker.id === 'string' ? [keyworker.id] : [])),
          teamId: typeof team?.id === 'string' ? team.id : undefined,
        }
      : undefined,
    sharing: sharing
      ? {
          consents: rows(sharing._ntk_consents).map(sharingFact),
          exceptional: rows(sharing._ntk_exceptional).map(sharingFact),
          addressProtected: typeof protection?.reason === 'string' && ADDRESS_PROTECTING_REASONS.has(protection.reason),
        }
      : undefined,
    trusteesGranted: grants
      ? rows(grants._ntk_grants).flatMap((grant) => (grant.active === true && typeof grant.trusteeId === 'string' ? [grant.trusteeId] : []))
      : undefined,
    duringVisit: object._ntk_in_progress === true || ancestors[0]?._ntk_in_progress === true,
  };
}
