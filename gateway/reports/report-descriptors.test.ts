import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readCommittedSupergraph } from '../supergraph/compose.js';
import { reportCsvPath, reportDescriptors, reportRouteName, supergraphReports } from './report-descriptors.js';

describe('the CSV reports, read from the schema', () => {
  it('keeps every published URL, with the parameters and types each report takes', () => {
    const reports = supergraphReports(readCommittedSupergraph());
    // Contains, not equals: a new report adds its route without touching this test.
    expect(reports.map(reportCsvPath)).toEqual(
      expect.arrayContaining([
        '/reports/caseload.csv',
        '/reports/referrals-and-closures.csv',
        '/reports/headcount.csv',
        '/reports/consent-activity.csv',
        '/reports/exceptional-disclosures.csv',
      ]),
    );
    const byRoute = Object.fromEntries(reports.map((report) => [report.route, report]));
    expect(byRoute.caseload).toEqual({
      route: 'caseload',
      field: 'caseloadReport',
      parameters: [
        { name: 'period', type: 'String!' },
        { name: 'rows', type: 'CaseloadDimension!' },
        { name: 'columns', type: 'CaseloadDimension!' },
      ],
    });
    expect(byRoute['referrals-and-closures']?.parameters).toEqual([
      { name: 'period', type: 'String!' },
      { name: 'rows', type: 'ReferralDimension!' },
    ]);
    expect(byRoute.headcount?.parameters).toEqual([]);
  });

  it('names a route by the field in kebab case without "Report", unless an alias keeps an older URL', () => {
    expect(reportRouteName('referralsAndClosuresReport')).toBe('referrals-and-closures');
    expect(reportRouteName('headcountReport')).toBe('headcount');
    expect(reportRouteName('exceptionalDisclosureReport')).toBe('exceptional-disclosures');
  });

  it('offers no route for a field the API hides, nor a hidden argument, and refuses two reports on one route', () => {
    const sdl = (extra: string) => `
      directive @inaccessible on FIELD_DEFINITION | ARGUMENT_DEFINITION
      type ReportTable { name: String }
      type Query { visitsReport(period: String!, debug: Boolean @inaccessible): ReportTable hiddenReport: ReportTable @inaccessible notAReport: String ${extra} }`;
    expect(reportDescriptors(buildSchema(sdl('')))).toEqual([{ route: 'visits', field: 'visitsReport', parameters: [{ name: 'period', type: 'String!' }] }]);
    expect(() => reportDescriptors(buildSchema(sdl('visits: ReportTable')))).toThrow(/share the CSV route \/reports\/visits\.csv/);
  });
});
