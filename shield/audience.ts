import type { Principal, Role } from './roles.js';

/**
 * The audience a principal's opaque IDs are minted for (docs/INVARIANTS.md#1). Two principals
 * in the same audience see the same token for an entity; principals in different audiences see
 * unrelated tokens, so IDs cannot be pooled across audiences to link an employee record with a
 * client record of the same person.
 *
 * An audience is only ever HKDF input inside the gateway; it is never sent to anyone, so it may
 * carry a `sub` or an agency name.
 */
export function audienceOf(principal: Principal): string {
  const role: Role = principal.role;
  switch (role) {
    /**
     * `care`: one audience for all care staff, across teams, so a manager and a keyworker (or
     * two teams handing over a case) can talk about the same client ID.
     */
    case 'support_worker':
    case 'team_manager':
      return 'care';
    /**
     * `duty`: duty officers act out of hours across every team; kept apart from `care` so IDs
     * noted on a duty shift are not the casework IDs and can be revoked as an audience.
     */
    case 'duty_officer':
      return 'duty';
    /**
     * `hr`: employee records. Separate from every client-facing audience because a member of
     * staff may also be a client, and matching IDs would link the two records.
     */
    case 'hr':
      return 'hr';
    /**
     * `safeguarding`: sees restricted records and disclosures; if its IDs matched `care` ones,
     * seeing an ID in a safeguarding context would tell care staff a client is of concern.
     */
    case 'safeguarding_officer':
      return 'safeguarding';
    /**
     * `dpo`: the data protection officer works across client and HR data for subject access
     * and breach work; its own audience keeps that cross-cutting view from joining the others.
     */
    case 'data_protection_officer':
      return 'dpo';
    /**
     * `trustee:<sub>`: trustees are volunteers outside the staff with occasional oversight
     * access; one audience each, so IDs from board papers cannot be pooled between trustees or
     * matched to staff views if one trustee's copy leaks.
     */
    case 'trustee':
      return `trustee:${requireNonEmpty(principal.sub)}`;
    /**
     * `reporting`: the reporting service account; a separate audience so anything it exports
     * cannot be joined with casework or HR IDs.
     */
    case 'reporting':
      return 'reporting';
    /**
     * `self:<sub>`: the person themself. Their own IDs must not match what staff or agencies
     * hold, so a shared screenshot or letter cannot be matched to anyone else's view.
     */
    case 'service_user':
      return `self:${requireNonEmpty(principal.sub)}`;
    /**
     * `agency:<agency>`: each external organisation its own audience, so two agencies cannot
     * compare IDs to find that they both hold data on the same person.
     */
    case 'external_agency':
      return `agency:${requireNonEmpty(principal.agency)}`;
    default: {
      // A role added to ROLES without an audience fails to compile here, and fails closed at run time.
      const unhandled: never = role;
      throw new Error(`no ID audience for role ${String(unhandled)}`);
    }
  }
}

// An empty sub or agency would fold every such principal into one shared audience.
function requireNonEmpty(value: string | undefined): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error('principal lacks the claim its ID audience is keyed on');
  }
  return value;
}
