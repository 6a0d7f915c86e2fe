import type { IncomingMessage } from 'node:http';
import { mintDevToken } from '../../gateway/auth/mint-dev-token.js';
import { audienceOf } from '../../shield/audience.js';
import { createIdCodec } from '../../gateway/ids/opaque-ids.js';
import type { DevSignIn } from './console-config.js';
import { DEMO_PERSONAS, LENS_PEOPLE, LENS_ROLES } from './demo-personas.js';

/**
 * Development-only routes of the console server (never mounted in production, where they
 * answer 404 like any unknown path):
 * - `GET /dev/personas`: the demo sign-ins and the role lens's people (names only, no ids).
 * - `POST /dev/token` `{ persona }`: an access token for one demo persona.
 * - `POST /dev/agency-reference` `{ persona, person }`: the id an external agency persona uses
 *   for a lens person. It stands in for the charity handing an agency the reference of someone
 *   it shares about (a referral letter): by design the API offers agencies no way to look a
 *   person up, so the lens could not otherwise show an agency's view.
 * They answer only to a loopback Host, so a web page elsewhere cannot reach them through DNS
 * rebinding and mint itself tokens.
 */

export const DEV_PREFIX = '/dev/';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type DevAnswer = { status: number; body: unknown };

const notFound = (): DevAnswer => ({ status: 404, body: { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] } });
const badRequest = (message: string): DevAnswer => ({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } });

export function isLoopbackHost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (typeof host !== 'string') return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name !== undefined && LOOPBACK_HOSTS.has(name.toLowerCase());
}

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function createDevRoutes(keys: DevSignIn) {
  const codec = createIdCodec(keys.idTokenSecret);
  return async (method: string, path: string, body: () => Promise<unknown>): Promise<DevAnswer> => {
    if (method === 'GET' && path === '/dev/personas') {
      return {
        status: 200,
        body: {
          personas: DEMO_PERSONAS.map(({ key, label, principal }) => ({ key, label, role: principal.role })),
          lens: {
            people: LENS_PEOPLE.map(({ key, name, dateOfBirth, alsoEmployee, description }) => ({ key, name, dateOfBirth, alsoEmployee, description })),
            roles: LENS_ROLES,
          },
        },
      };
    }
    if (method === 'POST' && path === '/dev/token') {
      const key = stringField(await body(), 'persona');
      const persona = DEMO_PERSONAS.find((p) => p.key === key);
      if (!persona) return badRequest(`persona must be one of ${DEMO_PERSONAS.map((p) => p.key).join(', ')}`);
      const token = await mintDevToken({ principal: persona.principal, secret: keys.jwtSecret, issuer: keys.issuer, audience: keys.audience });
      return { status: 200, body: { token } };
    }
    if (method === 'POST' && path === '/dev/agency-reference') {
      const parsed = await body();
      const persona = DEMO_PERSONAS.find((p) => p.key === stringField(parsed, 'persona') && p.principal.role === 'external_agency');
      const person = LENS_PEOPLE.find((p) => p.key === stringField(parsed, 'person'));
      if (!persona || !person) return badRequest('persona must be an external agency persona and person a lens person');
      return { status: 200, body: { id: codec.encode(audienceOf(persona.principal), 'Client', person.clientId) } };
    }
    return notFound();
  };
}
