import type { ApolloServerPlugin, BaseContext, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { requestRefusal } from '../../platform/errors/coded-error.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import { decodeJwt } from 'jose';
import { documentHash, isDocumentHash, type TrustedManifest } from './manifest.js';

/**
 * Trusted documents (persisted operations) for first-party apps. A caller may name a manifest
 * operation by its hash alone (`extensions.persistedQuery.sha256Hash`, or `documentId`), and a
 * first-party caller outside development may run nothing else: a stolen staff token used
 * from a script gets the app's own operations, not the whole schema to explore.
 *
 * This is not automatic persisted queries: nothing is ever registered at run time, so one
 * caller cannot learn whether another sent some text (the manifest is fixed and public).
 *
 * It runs in `requestDidStart`, before Apollo reads the request's text and extensions, so the
 * text it puts in place is what is parsed, validated, limited and redacted as usual.
 */

/** `off`: any operation. `first-party`: callers in `clients` run manifest operations only. `require`: every caller does. */
export type TrustedDocumentsMode = 'off' | 'first-party' | 'require';

export interface TrustedDocumentsSettings {
  readonly mode: TrustedDocumentsMode;
  /** The OAuth client ids (token `azp`, else `client_id`) of the first-party apps. */
  readonly clients: readonly string[];
}

const OPERATION_NOT_TRUSTED = ErrorCode.OPERATION_NOT_TRUSTED;
const PERSISTED_QUERY_NOT_FOUND = ErrorCode.PERSISTED_QUERY_NOT_FOUND;

/** Refused whole, with the status the code has at every door (platform/errors). */
function refusal(message: string, code: ErrorCode): GraphQLError {
  return requestRefusal(code, message);
}

/**
 * The client the token was issued to: OpenID Connect's `azp` (Entra ID, Keycloak, Auth0), else
 * RFC 9068's `client_id`. The token was verified before Apollo runs (platform/graphql-http-server.ts
 * answers 401 first), so decoding it again trusts nothing new.
 */
export function clientIdOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  try {
    const claims = decodeJwt(match[1]);
    const id = claims.azp ?? claims.client_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The hash the caller names the operation by, if any; malformed names are refused, not ignored. */
function requestedHash(request: GraphQLRequest): string | undefined {
  const persisted: unknown = request.extensions?.persistedQuery;
  if (persisted !== undefined && persisted !== null) {
    const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1) throw refusal('Unsupported persisted query version: send version 1', ErrorCode.BAD_REQUEST);
    if (!isDocumentHash(sha256Hash)) throw refusal('persistedQuery.sha256Hash must be a lower-case hex SHA-256', ErrorCode.BAD_REQUEST);
    return sha256Hash;
  }
  const documentId = documentIdOf(request);
  if (documentId === undefined) return undefined;
  const hash = typeof documentId === 'string' ? documentId.replace(/^sha256:/, '') : undefined;
  if (!isDocumentHash(hash)) throw refusal('documentId must be "sha256:" followed by a lower-case hex SHA-256', ErrorCode.BAD_REQUEST);
  return hash;
}

/** GraphQL over HTTP's trusted-documents field: in the POST body, or the GET query string. */
function documentIdOf(request: GraphQLRequest): unknown {
  const http = request.http;
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body: unknown = http.body;
  return typeof body === 'object' && body !== null && Object.hasOwn(body, 'documentId') ? (body as { documentId: unknown }).documentId : undefined;
}

function mustBeTrusted(settings: TrustedDocumentsSettings, authorization: string | undefined): boolean {
  if (settings.mode === 'require') return true;
  if (settings.mode === 'off') return false;
  const client = clientIdOf(authorization);
  return client !== undefined && settings.clients.includes(client);
}

/**
 * What a refused request runs instead of its own text: nothing of the caller's text is parsed
 * or validated (a validation error would describe the schema to an operation never trusted).
 */
const REFUSED_PLACEHOLDER = 'query TrustedDocumentRefused { __typename }';

/** The text to run, with the caller's hash resolved; throws the refusal (a GraphQLError) otherwise. */
function resolve(request: GraphQLRequest, settings: TrustedDocumentsSettings, manifest: TrustedManifest): void {
  const hash = requestedHash(request);
  if (hash !== undefined) {
    if (request.query === undefined || request.query === '') {
      const text = manifest.textOf(hash);
      // Apollo's own message, code and 200: what persisted-query clients recognise.
      if (text === undefined) throw refusal('PersistedQueryNotFound', PERSISTED_QUERY_NOT_FOUND);
      request.query = text;
    } else if (documentHash(request.query) !== hash) {
      throw refusal('provided sha does not match query', ErrorCode.BAD_REQUEST);
    }
  }
  if (typeof request.query === 'string' && mustBeTrusted(settings, request.http?.headers.get('authorization'))) {
    if (manifest.textOf(documentHash(request.query)) === undefined) {
      throw refusal(
        'This operation is not in the trusted-documents manifest: send one of the app’s own operations (npm run trusted-documents)',
        OPERATION_NOT_TRUSTED,
      );
    }
  }
}

export function trustedDocumentsPlugin<TContext extends BaseContext>(
  settings: TrustedDocumentsSettings,
  manifest: TrustedManifest,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      // No HTTP request: the gateway's own fixed operations (CSV reports, subject access export,
      // gateway/run-operation.ts), never a caller's text.
      if (!request.http) return;
      let refused: GraphQLError | undefined;
      try {
        resolve(request, settings, manifest);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        refused = error;
      }
      // Handled here: Apollo's own persisted queries stay off (start-gateway.ts), and would
      // otherwise refuse the extension.
      if (request.extensions && Object.hasOwn(request.extensions, 'persistedQuery')) {
        const { persistedQuery: _handled, ...rest } = request.extensions;
        request.extensions = rest;
      }
      if (refused === undefined) return;
      // Apollo answers a plugin's error cleanly only from didResolveOperation (thrown earlier, it
      // is a 500), so the refusal runs a placeholder that reaches no subgraph and fails there.
      const refusalError = refused;
      request.query = REFUSED_PLACEHOLDER;
      request.operationName = undefined;
      return {
        async didResolveOperation() {
          throw refusalError;
        },
      };
    },
  };
}
