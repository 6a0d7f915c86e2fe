import type { RequestIdentity } from '../shared/request-identity.js';
import type { ReportSettings } from '../shared/report-table.js';
import type { HrStore } from './store.js';

export interface HrContext extends RequestIdentity {
  readonly store: HrStore;
  readonly reports: ReportSettings;
}
