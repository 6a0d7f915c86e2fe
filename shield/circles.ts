import type { Needs, Predicate } from './policy-rule.js';
import type { PolicyContext } from './policy-context.js';

/**
 * Who is inside a client's circle, decided over data the gateway fetched for the rule under
 * internal aliases (`_ntk_…`). Raw ids only ever meet raw ids here: the principal's `sub`
 * and `team` come from the verified token, the rest from the subgraphs.
 */

export const INTERNAL_ALIAS_PREFIX = '_ntk_';

/**
 * Every field the client asked for is fetched under this prefix plus its response key, so no
 * alias the client chose can collide with a field the query planner adds (`id`, `__typename`
 * of entity keys): @apollo/gateway mixes such colliding aliases up.
 */
export const CLIENT_KEY_PREFIX = '_ntkc_';

type Row = Record<string, unknown>;

/** A client's keyworkers, team and own id. */
export const CLIENT_CIRCLE_NEEDS: Needs = {
  Client: '_ntk_id: id _ntk_keyworkers: keyworkers { id } _ntk_team: team { id }',
};

/** What the consent store says the client agreed to, or what break-glass released. */
export const CLIENT_SHARING_NEEDS: Needs = {
  Client:
    '_ntk_consents: consents { recipientOrganisation purpose dataCategories active } ' +
    '_ntk_exceptional: exceptionalDisclosures { recipientOrganisation dataCategories active } ' +
    '_ntk_protection: restriction { reason }',
};

/** Restrictions that protect where someone lives (policy 003): no consent releases the address. */
const ADDRESS_PROTECTING_REASONS = new Set(['REFUGE_RESIDENT', 'WITNESS_PROTECTION']);

export const VISIT_NEEDS: Needs = { HomeVisit: '_ntk_in_progress: inProgress' };

/** The DPO's grants of trustee access to this client. */
export const TRUSTEE_NEEDS: Needs = { Client: '_ntk_grants: trusteeGrants { trusteeId active }' };

function rows(value: unknown): Row[] {
  return Array.isArray(value) ? value.filter((item): item is Row => item !== null && typeof item === 'object') : [];
}

export function isOnCaseloadOf(client: Row, context: PolicyContext): boolean {
  return rows(client._ntk_keyworkers).some((keyworker) => keyworker.id === context.principal.sub);
}

export function isInTeamOf(client: Row, context: PolicyContext): boolean {
  const team = client._ntk_team as Row | null | undefined;
  return context.principal.team !== undefined && team?.id === context.principal.team;
}

export function isTheClientThemself(client: Row, context: PolicyContext): boolean {
  return client._ntk_id === context.principal.sub;
}

/**
 * The category is released to the caller's organisation by an active consent for the
 * caller's purpose, or by an active exceptional disclosure naming the organisation.
 */
export function sharingReleases(category: string): Predicate {
  return (client, _ancestors, context) => {
    const { agency, purpose } = context.principal;
    if (agency === undefined) return false;
    const releases = (record: Row) =>
      record.active === true &&
      record.recipientOrganisation === agency &&
      Array.isArray(record.dataCategories) &&
      record.dataCategories.includes(category);
    const consented = rows(client._ntk_consents).some((consent) => releases(consent) && purpose !== undefined && consent.purpose === purpose);
    return consented || rows(client._ntk_exceptional).some(releases);
  };
}

/** A trustee reads a client only under an active grant naming them (policy 004: for a complaint). */
export function isGrantedToTrustee(client: Row, context: PolicyContext): boolean {
  return rows(client._ntk_grants).some((grant) => grant.active === true && grant.trusteeId === context.principal.sub);
}

/** A client whose restriction protects their address (refuge, witness protection). */
export function addressIsProtected(client: Row): boolean {
  const restriction = client._ntk_protection as Row | null | undefined;
  return typeof restriction?.reason === 'string' && ADDRESS_PROTECTING_REASONS.has(restriction.reason);
}

/**
 * For objects that belong to a client (its restriction marker, its home visits): the nearest
 * Client above that carries `marker`, the internal field its rule asked for.
 */
export function owningClient(ancestors: readonly Row[], marker = '_ntk_keyworkers'): Row | undefined {
  return ancestors.find((ancestor) => marker in ancestor);
}

/** For a client reached through a home visit: that visit, if it is in progress now. */
export function visitInProgressAbove(ancestors: readonly Row[]): boolean {
  const visit = ancestors[0];
  return visit !== undefined && visit._ntk_in_progress === true;
}
