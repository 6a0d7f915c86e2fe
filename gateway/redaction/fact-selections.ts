import { ADDRESS_PROTECTING_REASONS, type FactKind, type Facts, type SharingFact } from '../../shield/conditions.js';
import type { Needs } from './rewrite-operation.js';

/**
 * How the facts a condition reads (shield/conditions.ts) are fetched beside the data of a read,
 * and read back from the fetched objects into the typed facts the policy's conditions take.
 * They travel under internal aliases (`_ntk_…`, aliases.ts) that the response never carries;
 * the selections and the reading live together here so their keys cannot drift apart. Raw ids
 * only ever meet raw ids: the principal's `sub` and `team` come from the verified token, the
 * rest from the subgraphs.
 */

type Row = Record<string, unknown>;

/** The selections each kind of fact needs, keyed by the type whose selection set they join. */
const FACT_NEEDS: Readonly<Record<FactKind, Needs>> = {
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

/** The selections several fact kinds need, each once. */
export function selectionsFor(kinds: readonly FactKind[]): Needs {
  const merged: Record<string, string> = {};
  for (const needs of kinds.map((kind) => FACT_NEEDS[kind])) {
    for (const [type, selection] of Object.entries(needs)) {
      if (!merged[type]?.includes(selection)) merged[type] = merged[type] ? `${merged[type]} ${selection}` : selection;
    }
  }
  return merged;
}

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
