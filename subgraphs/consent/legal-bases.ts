/**
 * What each legal basis for an exceptional disclosure releases is policy: shield/policy.ts
 * holds the table (RELEASED_BY_BASIS), reviewed with the rest of the policy document.
 */
export { RELEASED_BY_BASIS } from '../../shield/policy.js';

/** How long a break-glass stays open when its opener does not say: a day (issue 10), within the configured maximum. */
export const DEFAULT_EXCEPTIONAL_DISCLOSURE_HOURS = 24;
