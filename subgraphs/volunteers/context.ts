import type { Db } from 'mongodb';
import type { RequestIdentity } from '../shared/request-identity.js';

export interface VolunteersContext extends RequestIdentity {
  readonly db: Db;
}
