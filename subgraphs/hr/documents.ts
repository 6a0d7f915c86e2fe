/** How the HR system stores its records (database `<prefix>hr`). */

export interface PostalAddressDoc {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

export type ContractTypeValue = 'PERMANENT' | 'FIXED_TERM' | 'TRAINEE' | 'SESSIONAL';
export type AbsenceKindValue = 'ANNUAL_LEAVE' | 'SICKNESS' | 'PARENTAL' | 'OTHER';
export type DbsLevelValue = 'BASIC' | 'STANDARD' | 'ENHANCED' | 'ENHANCED_WITH_BARRED_LISTS';
export type DbsStatusValue = 'CLEAR' | 'UNDER_REVIEW' | 'EXPIRED';

export interface AbsenceDoc {
  id: string;
  kind: AbsenceKindValue;
  startDate: string;
  endDate?: string;
}

export interface TrainingDoc {
  course: string;
  completedOn: string;
  expiresOn?: string;
}

export interface DbsCheckDoc {
  level: DbsLevelValue;
  certificateNumber: string;
  issuedOn: string;
  status: DbsStatusValue;
}

/**
 * Collection `employees`. `staffId` is the separate identifier under which the person
 * appears on client data (the minimal staff view); the employee `_id` never leaves HR.
 */
export interface EmployeeDoc {
  _id: string;
  staffId: string;
  payrollNumber: string;
  name: string;
  dateOfBirth: string;
  homeAddress: PostalAddressDoc;
  niNumber: string;
  postId: string;
  teamId: string;
  lineManagerStaffId?: string;
  startDate: string;
  contract: { type: ContractTypeValue; hoursPerWeek: number };
  workPhone?: string;
  absences: AbsenceDoc[];
  training: TrainingDoc[];
  dbsCheck?: DbsCheckDoc;
}

/** The projection of an employee that the minimal staff view is built from. */
export type StaffDoc = Pick<EmployeeDoc, 'staffId' | 'name' | 'teamId' | 'workPhone'>;

/** Collection `teams`. */
export interface TeamDoc {
  _id: string;
  name: string;
  service: string;
  managerStaffId?: string;
}

/** Collection `posts`. */
export interface PostDoc {
  _id: string;
  title: string;
  grade: string;
}

export const HR_COLLECTIONS = {
  employees: 'employees',
  teams: 'teams',
  posts: 'posts',
} as const;

/** The part of an emergency lookup's answer the hr subgraph completes (its contact). */
export interface EmergencyLookupRef {
  id: string;
  teamRef?: string | null;
}
