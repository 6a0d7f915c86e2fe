import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { REQUEST_ID_HEADER, signGatewayClaims } from '../../platform/gateway-claims.js';
import type { ClientFacts } from '../../shield/conditions.js';
import type { Principal } from '../../shield/roles.js';

/**
 * Facts about the subject of a query or change, fetched before it is forwarded, so a change
 * about a client is checked against the client's circle whichever subgraph stores it (the
 * consent store knows nothing of keyworkers). Each lookup asks the subgraph that owns the data
 * for one entity by its key (`_entities`), under the caller's own principal: the subgraph's
 * guard applies, and nothing here can read what the caller could not have had fetched.
 */

export class FactsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FactsUnavailableError';
  }
}

export interface SubjectFactsSource {
  /** The client's circle, or undefined if no such client (or the caller may not have it fetched). */
  clientFacts(principal: Principal, requestId: string, clientId: string): Promise<ClientFacts | undefined>;
  /** The client a record is about (`Consent.subject`, `HomeVisit.client`, …), or undefined. */
  subjectOf(principal: Principal, requestId: string, type: string, field: string, recordId: string): Promise<string | undefined>;
}

/** Which subgraph resolves a field of a type, read from the supergraph's join directives. */
function fieldOwners(supergraphSdl: string): (type: string, field: string) => string | undefined {
  const document: DocumentNode = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const typeGraphs = new Map<string, string[]>();
  const fieldGraphs = new Map<string, string>();
  const graphArgument = (directive: ConstDirectiveNode, name: string): string | undefined => {
    const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
    return value?.kind === Kind.ENUM || value?.kind === Kind.STRING ? value.value : undefined;
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const directive = value.directives?.find((each) => each.name.value === 'join__graph');
        const name = directive ? graphArgument(directive, 'name') : undefined;
        if (name) graphNames.set(value.name.value, name);
      }
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = definition.name.value;
    typeGraphs.set(
      type,
      (definition.directives ?? []).filter((each) => each.name.value === 'join__type').flatMap((each) => graphArgument(each, 'graph') ?? []),
    );
    for (const field of definition.fields ?? []) {
      const owner = (field.directives ?? []).find((each) => each.name.value === 'join__field' && graphArgument(each, 'graph') !== undefined);
      const graph = owner ? graphArgument(owner, 'graph') : undefined;
      if (graph) fieldGraphs.set(`${type}.${field.name.value}`, graph);
    }
  }
  return (type, field) => {
    const graph = fieldGraphs.get(`${type}.${field}`) ?? (typeGraphs.get(type)?.length === 1 ? typeGraphs.get(type)?.[0] : undefined);
    return graph === undefined ? undefined : graphNames.get(graph);
  };
}

interface EntitiesAnswer {
  data?: { _entities?: (Record<string, unknown> | null)[] } | null;
  errors?: unknown[];
}

const CLIENT_FACTS_QUERY = 'query NtkClientFacts($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id keyworkers { id } team { id } } } }';

export function createSubjectFactsSource(options: {
  supergraphSdl: string;
  subgraphUrls: Readonly<Record<string, string>>;
  key: Uint8Array;
  timeoutMs?: number;
}): SubjectFactsSource {
  const ownerOf = fieldOwners(options.supergraphSdl);
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function entity(
    principal: Principal,
    requestId: string,
    subgraph: string,
    query: string,
    representation: Record<string, string>,
  ): Promise<Record<string, unknown> | undefined> {
    const url = options.subgraphUrls[subgraph];
    if (url === undefined) throw new FactsUnavailableError(`no URL for subgraph ${subgraph}`);
    const variables = { r: [representation] };
    const token = await signGatewayClaims(options.key, subgraph, { principal, requestId }, { query, variables });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: requestId },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new FactsUnavailableError(`${subgraph} subgraph unreachable: ${error instanceof Error ? error.name : 'unknown'}`);
    }
    if (!response.ok) throw new FactsUnavailableError(`${subgraph} subgraph answered ${response.status}`);
    const answer = (await response.json()) as EntitiesAnswer;
    // A refusal (the caller's role may not have this entity fetched) or a missing record: no facts, so no grant.
    // Any other error (the subgraph's database is down) is not an answer: the caller is told to retry, not refused.
    const codes = (answer.errors ?? []).map((error) => (error as { extensions?: { code?: unknown } }).extensions?.code);
    if (codes.some((code) => code !== 'FORBIDDEN')) throw new FactsUnavailableError(`${subgraph} subgraph failed: ${codes.map(String).join(', ')}`);
    const found = answer.data?._entities?.[0];
    return found && codes.length === 0 ? found : undefined;
  }

  return {
    async clientFacts(principal, requestId, clientId) {
      const owner = ownerOf('Client', 'keyworkers');
      if (owner === undefined) throw new FactsUnavailableError('the supergraph names no owner of Client.keyworkers');
      const found = await entity(principal, requestId, owner, CLIENT_FACTS_QUERY, { __typename: 'Client', id: clientId });
      if (found === undefined || found.id !== clientId) return undefined;
      const keyworkers = Array.isArray(found.keyworkers) ? found.keyworkers : [];
      const team = found.team as { id?: unknown } | null | undefined;
      return {
        id: clientId,
        keyworkerIds: keyworkers.flatMap((each: unknown) =>
          each && typeof each === 'object' && typeof (each as { id?: unknown }).id === 'string' ? [(each as { id: string }).id] : [],
        ),
        teamId: typeof team?.id === 'string' ? team.id : undefined,
      };
    },
    async subjectOf(principal, requestId, type, field, recordId) {
      if (!/^[A-Za-z_]\w*$/.test(type) || !/^[A-Za-z_]\w*$/.test(field)) throw new FactsUnavailableError('bad subject path');
      const owner = ownerOf(type, field);
      if (owner === undefined) throw new FactsUnavailableError(`the supergraph names no owner of ${type}.${field}`);
      const query = `query NtkSubjectOf($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${field} { id } } } }`;
      const found = await entity(principal, requestId, owner, query, { __typename: type, id: recordId });
      const subject = found?.[field] as { id?: unknown } | null | undefined;
      return typeof subject?.id === 'string' ? subject.id : undefined;
    },
  };
}
