import { PERSONAS } from '../../seed/personas.js';
import type { Principal, Role } from '../../shield/roles.js';

/**
 * The principals the tests sign in as, defined once and named for who they are in the seed
 * (seed/personas.ts). A test that needs a principal no seeded person is (a forged sub, a wrong
 * team, an agency nobody consented to) keeps it inline, because there the principal is the point.
 *
 * Support workers carry no `team` claim here, as in the demo console; the `…WithTeamClaim`
 * variants are for tests of what that claim adds.
 */

/** Riley Ashdown, Sam's keyworker (also the refuge resident's and Alex's): the one who may see and write Sam's case. */
export const keyworkerOfSam = { role: 'support_worker', sub: PERSONAS.keyworkerOfSam } satisfies Principal;
/** Sam's keyworker with the team_north claim: for what a team claim adds to a support worker. */
export const keyworkerOfSamWithTeamClaim = { ...keyworkerOfSam, team: PERSONAS.teams.north } satisfies Principal;
/** Casey Pembridge, a support worker in team_north who keyworks none of the personas: the colleague outside the circle. */
export const otherSupportWorker = { role: 'support_worker', sub: PERSONAS.otherSupportWorker } satisfies Principal;
/** The other support worker with the team_north claim: same team as Sam, still not Sam's keyworker. */
export const otherSupportWorkerWithTeamClaim = { ...otherSupportWorker, team: PERSONAS.teams.north } satisfies Principal;
/** Sam signed in as staff (a trainee in team_south): the identity that must never reach Sam's client record. */
export const samAsStaff = { role: 'support_worker', sub: PERSONAS.sam.staffId, team: PERSONAS.teams.south } satisfies Principal;
/** Morgan Hale, manager of team_north, which holds Sam: the manager who may see the team's clients. */
export const teamManagerNorth = { role: 'team_manager', sub: PERSONAS.teamManagerNorth, team: PERSONAS.teams.north } satisfies Principal;
/** Quinn Adebayo, manager of team_south: a manager of the wrong team for every persona client. */
export const teamManagerSouth = { role: 'team_manager', sub: PERSONAS.teamManagerSouth, team: PERSONAS.teams.south } satisfies Principal;
/** Jamie Tolland, the duty officer: out-of-hours emergency lookups across every team. */
export const dutyOfficer = { role: 'duty_officer', sub: PERSONAS.dutyOfficer } satisfies Principal;
/** Robin Farrow, the safeguarding lead: opens exceptional disclosures, sees restricted records. */
export const safeguardingOfficer = { role: 'safeguarding_officer', sub: PERSONAS.safeguardingOfficer } satisfies Principal;
/** Taylor Brennan, the HR officer: employee records, never client records. */
export const hr = { role: 'hr', sub: PERSONAS.hrOfficer } satisfies Principal;
/** Avery Lindqvist, the data protection officer: oversight, the audit trail and subject access. */
export const dpo = { role: 'data_protection_officer', sub: PERSONAS.dataProtectionOfficer } satisfies Principal;
/** The seeded trustee: aggregate reports, and records only through a grant. */
export const trustee = { role: 'trustee', sub: PERSONAS.trustee } satisfies Principal;
/** A second trustee, holding no grant: the trustee a grant must not reach. */
export const otherTrustee = { role: 'trustee', sub: 'trs_0002' } satisfies Principal;
/** The reporting service account: disclosure-controlled reports only. */
export const reporting = { role: 'reporting', sub: PERSONAS.reportingAccount } satisfies Principal;
/** Sam Okafor as a service user: their own record, consents and subject access. */
export const sam = { role: 'service_user', sub: PERSONAS.sam.clientId } satisfies Principal;
/** Alex Marsh as a service user, an unrestricted client: a service user who is not Sam. */
export const alex = { role: 'service_user', sub: PERSONAS.ordinaryClient.clientId } satisfies Principal;
/** Jordan Ellery as a service user, a refuge resident (restricted): a service user whose own record is restricted. */
export const jordan = { role: 'service_user', sub: PERSONAS.refugeResident.clientId } satisfies Principal;
/** Northshire NHS Trust for care coordination: the agency Sam consented to share identity and contact with. */
export const nhsTrust = { role: 'external_agency', sub: 'nhs_user_1', agency: PERSONAS.agencies.nhsTrust, purpose: 'care coordination' } satisfies Principal;
/** Northshire Police for victim support: no persona consented to it; the seeded exceptional disclosure about Alex names it. */
export const police = { role: 'external_agency', sub: 'police_user_1', agency: PERSONAS.agencies.police, purpose: 'victim support' } satisfies Principal;

/** One seeded principal per role, for tests that try every role. */
export const PRINCIPAL_BY_ROLE: Readonly<Record<Role, Principal>> = {
  support_worker: keyworkerOfSam,
  team_manager: teamManagerNorth,
  duty_officer: dutyOfficer,
  hr,
  safeguarding_officer: safeguardingOfficer,
  data_protection_officer: dpo,
  trustee,
  reporting,
  service_user: sam,
  external_agency: nhsTrust,
};
