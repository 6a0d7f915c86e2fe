import { buildSchema, getNamedType, type GraphQLField, type GraphQLSchema } from 'graphql';

/**
 * What each `/reports/<route>.csv` runs, read from the schema rather than listed by hand: every
 * Query field returning `ReportTable` is a report, its arguments are the route's query-string
 * parameters (same names, same GraphQL types), and its route name comes from the field name:
 * `<name>Report` in kebab case (`referralsAndClosuresReport` → `referrals-and-closures`). A new
 * report in a subgraph's schema therefore has its CSV route once the supergraph is recomposed.
 */

interface ReportParameter {
  readonly name: string;
  /** Its GraphQL type as written in a variable definition, e.g. `CaseloadDimension!`. */
  readonly type: string;
}

export interface ReportDescriptor {
  /** The route name: `/reports/<route>.csv`, and the file name the CSV is given. */
  readonly route: string;
  readonly field: string;
  readonly parameters: readonly ReportParameter[];
}

const REPORT_TABLE_TYPE = 'ReportTable';

/**
 * Routes published before the rule, kept so their URLs keep working. Only a field whose route
 * the rule would name differently belongs here.
 */
const ROUTE_ALIASES: Readonly<Record<string, string>> = {
  exceptionalDisclosureReport: 'exceptional-disclosures',
};

/** `consentActivityReport` → `consent-activity` (unless aliased above). */
export function reportRouteName(field: string): string {
  const alias = ROUTE_ALIASES[field];
  if (alias !== undefined) return alias;
  return field
    .replace(/Report$/, '')
    .replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
    .replace(/^-/, '');
}

// The supergraph keeps fields the API hides; a hidden one is no report a caller can ask for.
function inaccessible(node: GraphQLField<unknown, unknown>['astNode'] | GraphQLField<unknown, unknown>['args'][number]['astNode']): boolean {
  return node?.directives?.some((directive) => directive.name.value === 'inaccessible') ?? false;
}

/** Every report the schema offers, in the schema's field order. */
export function reportDescriptors(schema: GraphQLSchema): readonly ReportDescriptor[] {
  const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
  const reports = fields
    .filter((field) => getNamedType(field.type).name === REPORT_TABLE_TYPE && !inaccessible(field.astNode))
    .map((field) => ({
      route: reportRouteName(field.name),
      field: field.name,
      parameters: field.args.filter((arg) => !inaccessible(arg.astNode)).map((arg) => ({ name: arg.name, type: String(arg.type) })),
    }));
  const routes = new Set<string>();
  for (const report of reports) {
    // Two fields naming one route would leave one report unreachable: refuse to start instead.
    if (routes.has(report.route)) throw new Error(`two reports would share the CSV route /reports/${report.route}.csv`);
    routes.add(report.route);
  }
  return reports;
}

/** The reports of a supergraph (the gateway's own SDL, federation directives and all). */
export function supergraphReports(supergraphSdl: string): readonly ReportDescriptor[] {
  return reportDescriptors(buildSchema(supergraphSdl));
}

export function reportCsvPath(report: ReportDescriptor): string {
  return `/reports/${report.route}.csv`;
}
