import { postJson } from './api.js';

/**
 * The console server's development-only routes (absent in production): demo sign-ins and the
 * role lens's people.
 */

interface DemoPersona {
  readonly key: string;
  readonly label: string;
  readonly role: string;
}

export interface LensPerson {
  readonly key: string;
  readonly name: string;
  readonly dateOfBirth?: string;
  readonly alsoEmployee: boolean;
  readonly description: string;
}

export interface DevInfo {
  readonly personas: readonly DemoPersona[];
  readonly lens: { readonly people: readonly LensPerson[]; readonly roles: readonly string[] };
}

let cached: Promise<DevInfo | null> | undefined;

/** The demo personas, or null when the server offers none (production). */
export function devInfo(): Promise<DevInfo | null> {
  cached ??= fetch('/dev/personas', { headers: { accept: 'application/json' } })
    .then(async (response) => (response.ok ? ((await response.json()) as DevInfo) : null))
    .catch(() => null);
  return cached;
}

export async function devToken(persona: string): Promise<string> {
  return (await postJson<{ token: string }>('/dev/token', { persona }, { auth: false })).token;
}

export async function agencyReference(persona: string, person: string): Promise<string> {
  return (await postJson<{ id: string }>('/dev/agency-reference', { persona, person }, { auth: false })).id;
}
