/**
 * The roles of DESIGN.md. A token carries exactly one; a person with two jobs holds two
 * tokens. This list is the contract between tokens, the gateway and the subgraphs.
 */
export const ROLES = [
  'support_worker',
  'team_manager',
  'duty_officer',
  'hr',
  'safeguarding_officer',
  'data_protection_officer',
  'trustee',
  'reporting',
  'service_user',
  'external_agency',
] as const;

export type Role = (typeof ROLES)[number];

/** Members of staff: they see colleagues through the minimal staff view. */
export const STAFF_ROLES: readonly Role[] = ['support_worker', 'team_manager', 'duty_officer', 'hr', 'safeguarding_officer', 'data_protection_officer'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is asking: the verified content of an access token, reduced to what policy needs. */
export interface Principal {
  readonly role: Role;
  /** Staff id for staff roles, client id for service_user, service account id otherwise. */
  readonly sub: string;
  /** The team a team_manager or support_worker belongs to. */
  readonly team?: string;
  /** The organisation an external_agency token speaks for. */
  readonly agency?: string;
  /** Why an external_agency asks: a consent releases data for its own purpose only. */
  readonly purpose?: string;
}

/** Claims each role must carry besides `sub`, so a token without them is refused up front. */
export const REQUIRED_CLAIMS: Readonly<Record<Role, readonly ('team' | 'agency' | 'purpose')[]>> = {
  support_worker: [],
  team_manager: ['team'],
  duty_officer: [],
  hr: [],
  safeguarding_officer: [],
  data_protection_officer: [],
  trustee: [],
  reporting: [],
  service_user: [],
  external_agency: ['agency', 'purpose'],
};
