import { PERSONAS } from '../../seed/personas.js';
import type { Principal, Role } from '../../shield/roles.js';

/** One seeded persona per role (Sam's keyworker, the north team manager, Sam as a service user…), for tests that try every role. */
export const PERSONA_BY_ROLE: Readonly<Record<Role, Principal>> = {
  support_worker: { role: 'support_worker', sub: PERSONAS.keyworkerOfSam },
  team_manager: { role: 'team_manager', sub: PERSONAS.teamManagerNorth, team: PERSONAS.teams.north },
  duty_officer: { role: 'duty_officer', sub: PERSONAS.dutyOfficer },
  hr: { role: 'hr', sub: PERSONAS.hrOfficer },
  safeguarding_officer: { role: 'safeguarding_officer', sub: PERSONAS.safeguardingOfficer },
  data_protection_officer: { role: 'data_protection_officer', sub: PERSONAS.dataProtectionOfficer },
  trustee: { role: 'trustee', sub: PERSONAS.trustee },
  reporting: { role: 'reporting', sub: PERSONAS.reportingAccount },
  service_user: { role: 'service_user', sub: PERSONAS.sam.clientId },
  external_agency: { role: 'external_agency', sub: 'nhs_user_1', agency: PERSONAS.agencies.nhsTrust, purpose: 'care coordination' },
};
