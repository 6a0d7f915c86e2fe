import type { RequestIdentity } from '../shared/request-identity.js';
import type { ReportSettings } from '../shared/report-table.js';
import type { ConsentStore } from './store.js';

export interface ConsentContext extends RequestIdentity {
  readonly store: ConsentStore;
  /** One clock reading per request, so "active" means the same thing across a response. */
  readonly now: Date;
  readonly exceptionalDisclosureMaxHours: number;
  readonly exceptionalDisclosureDefaultHours: number;
  readonly reports: ReportSettings;
}
