import type { RequestIdentity } from '../shared/request-identity.js';
import type { ReportSettings } from '../shared/report-table.js';
import type { ClientsStore } from './store.js';

export interface ClientsContext extends RequestIdentity {
  readonly store: ClientsStore;
  /** One clock reading per request, so "in progress" means the same thing across a response. */
  readonly now: Date;
  readonly reports: ReportSettings;
}
