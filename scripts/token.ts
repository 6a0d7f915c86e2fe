import { parseArgs } from 'node:util';
import { readGatewayConfig } from '../gateway/config.js';
import { DEV_TOKEN_LIFETIME, mintDevToken, tokenLifetimeSeconds } from '../gateway/auth/mint-dev-token.js';
import { principalProblems } from '../platform/principal-claims.js';
import { isRole, REQUIRED_CLAIMS, ROLES, type Principal } from '../shield/roles.js';

// `npm run token -- --role support_worker --sub stf_0002`: prints a dev access token.

const USAGE = `usage: npm run token -- --role <role> --sub <principal id> [--team <team id>] [--agency <organisation> --purpose <purpose>] [--expires ${DEV_TOKEN_LIFETIME}]
roles: ${ROLES.join(', ')}`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      team: { type: 'string' },
      agency: { type: 'string' },
      purpose: { type: 'string' },
      expires: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values as Record<string, string | undefined>;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(
    `Mints a development access token (HS256 with JWT_SECRET or the dev secret); refuses under NODE_ENV=production or with JWT_JWKS_URL.\n${USAGE}\nThe demo principals are in README.md ("Demo data").`,
  );
  process.exit(0);
}
const { role, sub, team, agency, purpose, expires } = values;
if (!isRole(role)) fail(role ? `unknown role "${role}"` : 'missing --role');
if (!sub) fail('missing --sub');
for (const claim of REQUIRED_CLAIMS[role]) {
  if (!values[claim]) fail(`a ${role} token needs --${claim}`);
}
const principal: Principal = { role, sub, ...(team ? { team } : {}), ...(agency ? { agency } : {}), ...(purpose ? { purpose } : {}) };
// The gateway would refuse it: say so here rather than print a token that only gets a 401.
const problem = principalProblems(principal);
if (problem) fail(problem);
const { config } = readGatewayConfig(process.env);
if (config.tokenKeys.kind !== 'secret') fail('JWT_JWKS_URL is set: tokens come from your identity provider, not from this command');
if (config.nodeEnv === 'production') fail('refusing to mint tokens with NODE_ENV=production');
let token: string;
try {
  token = await mintDevToken({
    principal,
    secret: config.tokenKeys.secret,
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    expiresIn: expires ?? DEV_TOKEN_LIFETIME,
  });
} catch {
  fail(`--expires must be a duration such as 30m, ${DEV_TOKEN_LIFETIME} or 1d, got "${expires ?? ''}"`);
}
const lifetime = tokenLifetimeSeconds(token);
if (lifetime <= 0) fail(`--expires ${expires ?? ''} is not in the future`);
if (lifetime > config.tokenMaxLifetimeSeconds) {
  fail(
    `--expires ${expires ?? ''} is ${lifetime} seconds; the gateway accepts tokens of at most ${config.tokenMaxLifetimeSeconds} seconds (JWT_MAX_LIFETIME_SECONDS)`,
  );
}
console.log(token);
