/**
 * The fixed, well-known demo principals and records. Tests, the README and the token script
 * refer to these; the generator places them inside an otherwise random dataset. Every one is
 * invented.
 *
 * Ids that belong to the same person in different systems (Sam's employee and client ids)
 * are fixed random-looking hex with no shared runs, so nothing in their spelling, numbering
 * or sort position links them.
 */
import type { PostDoc } from '../subgraphs/hr/documents.js';

export const TEAM_NORTH = 'team_north';
export const TEAM_SOUTH = 'team_south';
/** Where the organisation-wide roles (duty, safeguarding, DPO, HR) sit; it holds no clients. */
export const TEAM_CENTRAL = 'team_central';

export const FIXED_TEAMS = [
  { _id: TEAM_NORTH, name: 'North housing team', service: 'Housing support' },
  { _id: TEAM_SOUTH, name: 'South mental health team', service: 'Mental health support' },
  { _id: TEAM_CENTRAL, name: 'Central services', service: 'Central services' },
] as const;

export const POST_IDS = {
  traineeSupportWorker: 'post_trainee_support_worker',
  supportWorker: 'post_support_worker',
  seniorSupportWorker: 'post_senior_support_worker',
  teamManager: 'post_team_manager',
  dutyOfficer: 'post_duty_officer',
  safeguardingLead: 'post_safeguarding_lead',
  hrOfficer: 'post_hr_officer',
  dataProtectionOfficer: 'post_data_protection_officer',
  administrator: 'post_administrator',
  headOfServices: 'post_head_of_services',
} as const;

export type PostId = (typeof POST_IDS)[keyof typeof POST_IDS];

export const POSTS: readonly PostDoc[] = [
  { _id: POST_IDS.traineeSupportWorker, title: 'Trainee support worker', grade: 'Grade 2' },
  { _id: POST_IDS.supportWorker, title: 'Support worker', grade: 'Grade 3' },
  { _id: POST_IDS.seniorSupportWorker, title: 'Senior support worker', grade: 'Grade 4' },
  { _id: POST_IDS.teamManager, title: 'Team manager', grade: 'Grade 6' },
  { _id: POST_IDS.dutyOfficer, title: 'Duty officer', grade: 'Grade 4' },
  { _id: POST_IDS.safeguardingLead, title: 'Safeguarding lead', grade: 'Grade 6' },
  { _id: POST_IDS.hrOfficer, title: 'HR officer', grade: 'Grade 4' },
  { _id: POST_IDS.dataProtectionOfficer, title: 'Data protection officer', grade: 'Grade 6' },
  { _id: POST_IDS.administrator, title: 'Administrator', grade: 'Grade 2' },
  { _id: POST_IDS.headOfServices, title: 'Head of services', grade: 'Grade 8' },
];

export const PERSONAS = {
  teams: { north: TEAM_NORTH, south: TEAM_SOUTH, central: TEAM_CENTRAL },

  teamManagerNorth: 'stf_0001',
  keyworkerOfSam: 'stf_0002',
  /** Support worker in team_north who is NOT Sam's (or the refuge resident's) keyworker. */
  otherSupportWorker: 'stf_0003',
  dutyOfficer: 'stf_0004',
  safeguardingOfficer: 'stf_0005',
  dataProtectionOfficer: 'stf_0006',
  hrOfficer: 'stf_0007',
  teamManagerSouth: 'stf_0008',

  /**
   * Trainee employee in team_south, and a restricted (SERVICE_USER_EMPLOYEE) client of
   * team_north. Sam's staff id is drawn from the same pool as generated staff, not next to the
   * fixed personas.
   */
  sam: {
    employeeId: 'emp_2b64d0e9',
    staffId: 'stf_5318',
    clientId: 'cli_7f3a91c2',
    name: 'Sam Okafor',
    dateOfBirth: '1999-03-14',
  },
  /** Client of team_north, restricted REFUGE_RESIDENT, keyworker keyworkerOfSam. */
  refugeResident: { clientId: 'cli_c40e5b7d', name: 'Jordan Ellery' },
  /** Unrestricted client on keyworkerOfSam's caseload. */
  ordinaryClient: { clientId: 'cli_19d8a6f0', name: 'Alex Marsh' },

  /** keyworkerOfSam visiting the refuge resident; started 30 minutes before `now`, not ended. */
  visitInProgress: { visitId: 'hv_5e02c7b1' },
  /** keyworkerOfSam's finished visit to the ordinary client. */
  visitEnded: { visitId: 'hv_a83f6d24' },

  agencies: { nhsTrust: 'Northshire NHS Trust', police: 'Northshire Police' },

  /** Sam → nhsTrust, 'care coordination', IDENTITY + CONTACT, active for 365 days around `now`. */
  samConsentToNhs: { consentId: 'cns_3c9e1f58' },
  /** Safeguarding officer → police about the ordinary client, SERIOUS_HARM, open 1h, 71h left. */
  exceptionalDisclosureToPolice: { id: 'exd_d71b2a46' },

  trustee: 'trs_0001',
  reportingAccount: 'svc_reporting',
} as const;

export interface PersonaStaff {
  staffId: string;
  name: string;
  postId: PostId;
  teamId: string;
}

/** Names, posts and teams of the fixed staff (Sam is in `PERSONAS.sam`). */
export const PERSONA_STAFF: readonly PersonaStaff[] = [
  { staffId: PERSONAS.teamManagerNorth, name: 'Morgan Hale', postId: POST_IDS.teamManager, teamId: TEAM_NORTH },
  { staffId: PERSONAS.keyworkerOfSam, name: 'Riley Ashdown', postId: POST_IDS.supportWorker, teamId: TEAM_NORTH },
  { staffId: PERSONAS.otherSupportWorker, name: 'Casey Pembridge', postId: POST_IDS.supportWorker, teamId: TEAM_NORTH },
  { staffId: PERSONAS.dutyOfficer, name: 'Jamie Tolland', postId: POST_IDS.dutyOfficer, teamId: TEAM_CENTRAL },
  { staffId: PERSONAS.safeguardingOfficer, name: 'Robin Farrow', postId: POST_IDS.safeguardingLead, teamId: TEAM_CENTRAL },
  { staffId: PERSONAS.dataProtectionOfficer, name: 'Avery Lindqvist', postId: POST_IDS.dataProtectionOfficer, teamId: TEAM_CENTRAL },
  { staffId: PERSONAS.hrOfficer, name: 'Taylor Brennan', postId: POST_IDS.hrOfficer, teamId: TEAM_CENTRAL },
  { staffId: PERSONAS.teamManagerSouth, name: 'Quinn Adebayo', postId: POST_IDS.teamManager, teamId: TEAM_SOUTH },
];

/** Ids the generator must never hand to a generated record. */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  PERSONAS.sam.employeeId,
  PERSONAS.sam.clientId,
  PERSONAS.refugeResident.clientId,
  PERSONAS.ordinaryClient.clientId,
  PERSONAS.visitInProgress.visitId,
  PERSONAS.visitEnded.visitId,
  PERSONAS.samConsentToNhs.consentId,
  PERSONAS.exceptionalDisclosureToPolice.id,
]);

/** Full names the generator must never produce, so a persona is always unambiguous by name. */
export const PERSONA_NAMES: ReadonlySet<string> = new Set([
  PERSONAS.sam.name,
  PERSONAS.refugeResident.name,
  PERSONAS.ordinaryClient.name,
  ...PERSONA_STAFF.map((s) => s.name),
]);
