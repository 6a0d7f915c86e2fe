import type { TypedDocumentString } from './generated/graphql.js';
import { session, signOut } from './session.js';

/**
 * The public API, on the console's own origin (the console server passes it to the gateway),
 * always with the caller's own token. GraphQL answers keep their per-field errors: a field
 * denied to the role is null with an error at its path, and pages show it as withheld.
 */

export interface ApiErrorItem {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string };
}

class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface GraphQLResult<T> {
  readonly data: T | null;
  readonly errors: readonly ApiErrorItem[];
}

function authHeaders(token?: string): Record<string, string> {
  const bearer = token ?? session()?.token;
  return bearer ? { authorization: `Bearer ${bearer}` } : {};
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || 'Request failed';
  try {
    const body = (await response.json()) as { errors?: ApiErrorItem[] };
    const first = body.errors?.[0];
    if (first) {
      message = first.message;
      code = first.extensions?.code ?? code;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  // An expired or refused token ends the session rather than leaving a console that only fails.
  if (response.status === 401) signOut();
  return new ApiError(response.status, code, message);
}

/** Runs a typed operation. `token` overrides the session's (the role lens's own tokens). */
export async function runOperation<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
  token?: string,
): Promise<GraphQLResult<TResult>> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(token) },
    body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
  });
  if (response.status === 401 && token === undefined) throw await errorOf(response);
  let body: { data?: TResult | null; errors?: ApiErrorItem[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(response.status, `HTTP_${response.status}`, 'The server did not answer with JSON.');
  }
  // A refusal before execution (an invalid id, a query the role may not make) is a GraphQL
  // answer too: pages show its error like any field's.
  if (!response.ok && !body.data && !Array.isArray(body.errors)) throw new ApiError(response.status, `HTTP_${response.status}`, 'Request failed');
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() } });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body: unknown, options: { auth?: boolean } = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.auth === false ? {} : authHeaders()) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** Fetches a file with the caller's token and hands it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw await errorOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.code === 'FORBIDDEN' ? 'Forbidden: your role may not do this.' : `${error.message} (${error.code})`;
  return 'Something went wrong. Try again.';
}
