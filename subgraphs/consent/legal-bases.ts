import type { DataCategoryValue, LegalBasisValue } from './documents.js';

/**
 * What each legal basis for an exceptional disclosure releases: the minimum the basis needs
 * (policies 001–003), never case notes unless a court orders it.
 */
export const RELEASED_BY_BASIS: Readonly<Record<LegalBasisValue, readonly DataCategoryValue[]>> = {
  SAFEGUARDING: ['IDENTITY', 'CONTACT', 'SUPPORT'],
  SERIOUS_HARM: ['IDENTITY', 'CONTACT'],
  CRIME_PREVENTION: ['IDENTITY'],
  COURT_ORDER: ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES'],
  VITAL_INTERESTS: ['IDENTITY', 'CONTACT'],
};

export const DEFAULT_EXCEPTIONAL_DISCLOSURE_HOURS = 72;
