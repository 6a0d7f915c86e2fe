import type DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import type { LookupShape } from '../shared/config.js';
import { FIRST_BATCH, loaderById, loaderUniqueBy } from '../shared/loaders.js';
import { HR_COLLECTIONS, type EmployeeDoc, type PostDoc, type StaffDoc, type TeamDoc } from './documents.js';

export function hrCollections(db: Db) {
  return {
    employees: db.collection<EmployeeDoc>(HR_COLLECTIONS.employees),
    teams: db.collection<TeamDoc>(HR_COLLECTIONS.teams),
    posts: db.collection<PostDoc>(HR_COLLECTIONS.posts),
  };
}

export async function ensureHrIndexes(db: Db): Promise<void> {
  const { employees } = hrCollections(db);
  await employees.createIndex({ staffId: 1 }, { name: 'staff_id', unique: true });
  await employees.createIndex({ payrollNumber: 1 }, { name: 'payroll_number', unique: true });
  await employees.createIndex({ teamId: 1 }, { name: 'team' });
}

/** The staff view is read with a projection: the rest of the employee record is never fetched for it. */
const STAFF_PROJECTION = { _id: 0, staffId: 1, name: 1, teamId: 1, workPhone: 1 } as const;

export class HrStore {
  /** The database, for reports (headcount-report.ts); reads go through the loaders below. */
  readonly db: Db;
  readonly #collections: ReturnType<typeof hrCollections>;
  readonly employeeById: DataLoader<string, EmployeeDoc | null>;
  readonly teamById: DataLoader<string, TeamDoc | null>;
  readonly postById: DataLoader<string, PostDoc | null>;
  readonly staffById: DataLoader<string, StaffDoc | null>;

  constructor(db: Db, lookups: LookupShape) {
    this.db = db;
    const collections = hrCollections(db);
    this.#collections = collections;
    this.employeeById = loaderById(collections.employees, lookups);
    this.teamById = loaderById(collections.teams, lookups);
    this.postById = loaderById(collections.posts, lookups);
    this.staffById = loaderUniqueBy<EmployeeDoc, StaffDoc>(collections.employees, 'staffId', lookups, { projection: STAFF_PROJECTION });
  }

  async employeesPage(limit: number, offset: number): Promise<EmployeeDoc[]> {
    const page = await this.#collections.employees.find({}, { batchSize: FIRST_BATCH }).sort({ payrollNumber: 1 }).skip(offset).limit(limit).toArray();
    for (const employee of page) this.employeeById.prime(employee._id, employee);
    return page;
  }

  async allTeams(): Promise<TeamDoc[]> {
    const teams = await this.#collections.teams.find({}, { batchSize: FIRST_BATCH }).sort({ name: 1, _id: 1 }).toArray();
    for (const team of teams) this.teamById.prime(team._id, team);
    return teams;
  }
}
