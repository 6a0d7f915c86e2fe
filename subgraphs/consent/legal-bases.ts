/**
 * What each legal basis for an exceptional disclosure releases is policy: shield/policy.ts
 * holds the table (RELEASED_BY_BASIS), reviewed with the rest of the policy document.
 */
export { RELEASED_BY_BASIS } from '../../shield/policy.js';

export const DEFAULT_EXCEPTIONAL_DISCLOSURE_HOURS = 72;
