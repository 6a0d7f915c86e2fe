import { PERSONA_STAFF, PERSONAS } from '../../seed/personas.js';
import type { Principal } from '../../shield/roles.js';

/**
 * The demo sign-ins the development console offers, and the demo people its role lens looks
 * at, from the seed's fixed personas. The dev routes mint tokens for these principals only,
 * never for a principal the browser makes up.
 */

export interface DemoPersona {
  /** Stable key the browser asks for. */
  readonly key: string;
  readonly label: string;
  readonly principal: Principal;
}

const staffName = (staffId: string): string => PERSONA_STAFF.find((s) => s.staffId === staffId)?.name ?? staffId;

export const DEMO_PERSONAS: readonly DemoPersona[] = [
  {
    key: 'dpo',
    label: `${staffName(PERSONAS.dataProtectionOfficer)}, data protection officer`,
    principal: { role: 'data_protection_officer', sub: PERSONAS.dataProtectionOfficer },
  },
  {
    key: 'manager-north',
    label: `${staffName(PERSONAS.teamManagerNorth)}, team manager (North)`,
    principal: { role: 'team_manager', sub: PERSONAS.teamManagerNorth, team: PERSONAS.teams.north },
  },
  {
    key: 'manager-south',
    label: `${staffName(PERSONAS.teamManagerSouth)}, team manager (South)`,
    principal: { role: 'team_manager', sub: PERSONAS.teamManagerSouth, team: PERSONAS.teams.south },
  },
  {
    key: 'keyworker',
    label: `${staffName(PERSONAS.keyworkerOfSam)}, support worker (Sam’s keyworker)`,
    principal: { role: 'support_worker', sub: PERSONAS.keyworkerOfSam },
  },
  {
    key: 'other-worker',
    label: `${staffName(PERSONAS.otherSupportWorker)}, support worker (not Sam’s keyworker)`,
    principal: { role: 'support_worker', sub: PERSONAS.otherSupportWorker },
  },
  { key: 'duty', label: `${staffName(PERSONAS.dutyOfficer)}, duty officer`, principal: { role: 'duty_officer', sub: PERSONAS.dutyOfficer } },
  {
    key: 'safeguarding',
    label: `${staffName(PERSONAS.safeguardingOfficer)}, safeguarding lead`,
    principal: { role: 'safeguarding_officer', sub: PERSONAS.safeguardingOfficer },
  },
  { key: 'hr', label: `${staffName(PERSONAS.hrOfficer)}, HR officer`, principal: { role: 'hr', sub: PERSONAS.hrOfficer } },
  { key: 'sam', label: `${PERSONAS.sam.name}, service user`, principal: { role: 'service_user', sub: PERSONAS.sam.clientId } },
  {
    key: 'nhs',
    label: `${PERSONAS.agencies.nhsTrust} (care coordination)`,
    principal: { role: 'external_agency', sub: 'nhs_user_1', agency: PERSONAS.agencies.nhsTrust, purpose: 'care coordination' },
  },
  // An agency with neither a consent nor a break-glass disclosure for anyone seeded.
  {
    key: 'council',
    label: 'Northshire Council (care coordination)',
    principal: { role: 'external_agency', sub: 'council_user_1', agency: 'Northshire Council', purpose: 'care coordination' },
  },
  { key: 'trustee', label: 'Trustee', principal: { role: 'trustee', sub: PERSONAS.trustee } },
  { key: 'reporting', label: 'Reporting tool', principal: { role: 'reporting', sub: PERSONAS.reportingAccount } },
];

export interface LensPerson {
  readonly key: string;
  readonly name: string;
  readonly dateOfBirth?: string;
  /** Also on HR's staff list: the lens shows the employee record beside the client record. */
  readonly alsoEmployee: boolean;
  readonly description: string;
}

/** The people the role lens can be pointed at (clients of the keyworker persona). */
export const LENS_PEOPLE: readonly (LensPerson & { readonly clientId: string })[] = [
  {
    key: 'sam',
    name: PERSONAS.sam.name,
    dateOfBirth: PERSONAS.sam.dateOfBirth,
    alsoEmployee: true,
    clientId: PERSONAS.sam.clientId,
    description: 'A trainee employee who is also a client (record restricted).',
  },
  {
    key: 'refuge',
    name: PERSONAS.refugeResident.name,
    alsoEmployee: false,
    clientId: PERSONAS.refugeResident.clientId,
    description: 'A refuge resident (record restricted), visited now.',
  },
  {
    key: 'ordinary',
    name: PERSONAS.ordinaryClient.name,
    alsoEmployee: false,
    clientId: PERSONAS.ordinaryClient.clientId,
    description: 'A client with no restriction; the police hold a break-glass disclosure.',
  },
];

/** Which demo sign-in plays each column of the role lens. */
export const LENS_ROLES = ['hr', 'keyworker', 'other-worker', 'duty', 'reporting', 'nhs', 'council'] as const;
