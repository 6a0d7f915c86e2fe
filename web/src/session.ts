/**
 * Who is signed in. The token lives in this module's memory only: never in localStorage,
 * sessionStorage or a cookie, so closing or reloading the tab signs out and a script injected
 * elsewhere cannot read a stored copy.
 */

export interface Session {
  readonly token: string;
  readonly role: string;
  readonly sub: string;
  readonly team?: string;
  /** How the session is shown, e.g. the demo persona's name. */
  readonly label: string;
}

let current: Session | null = null;
const listeners = new Set<() => void>();

/**
 * Reads the role from the token for display and navigation only; the gateway verifies the
 * token on every request, so a tampered claim here gains nothing.
 */
export function sessionFromToken(token: string, label?: string): Session | string {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return 'This is not a JSON Web Token (three parts separated by dots).';
  try {
    const json = atob(
      parts[1]
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(parts[1].length / 4) * 4, '='),
    );
    const claims = JSON.parse(json) as Record<string, unknown>;
    if (typeof claims.role !== 'string' || typeof claims.sub !== 'string') return 'The token carries no role or subject.';
    return {
      token: token.trim(),
      role: claims.role,
      sub: claims.sub,
      ...(typeof claims.team === 'string' ? { team: claims.team } : {}),
      label: label ?? `${claims.role.replace(/_/g, ' ')} (${claims.sub})`,
    };
  } catch {
    return 'The token could not be read.';
  }
}

export function signIn(session: Session): void {
  current = session;
  for (const listener of listeners) listener();
}

export function signOut(): void {
  current = null;
  for (const listener of listeners) listener();
}

export function session(): Session | null {
  return current;
}

export function onSessionChange(listener: () => void): void {
  listeners.add(listener);
}
