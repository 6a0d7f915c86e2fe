import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATEWAY_DEFAULT_PORT, readGatewayConfig, subgraphUrlVariable } from '../gateway/config.js';
import { ConfigError, type Env } from '../platform/env.js';
import { portVariable, readSubgraphConfig, SUBGRAPH_DEFAULT_PORTS, type SubgraphName } from '../subgraphs/shared/config.js';
import { SUBGRAPH_NAMES } from '../subgraphs/registry.js';

/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so this checks,
 * statically, that they agree with the code: the variables the services are given are ones the
 * code reads, the environment compose would produce passes the code's own production
 * validation, the ports and URLs line up, and the image holds what the commands import.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP_SERVICES = ['gateway', ...SUBGRAPH_NAMES] as const;
type AppService = (typeof APP_SERVICES)[number];

// ---------------------------------------------------------------------------------------------
// Reading the compose file

type RawEnv = Readonly<Record<string, string | null>>;

interface PortMapping {
  readonly published: string | undefined;
  readonly target: number;
}

interface Service {
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly image: string | undefined;
  readonly build: unknown;
  readonly command: readonly string[] | undefined;
  /** As written; `null` is a pass-through (`KEY:` or `- KEY`), taken from the caller's shell. */
  readonly environment: RawEnv;
  readonly ports: readonly PortMapping[];
  readonly healthcheck: readonly string[] | undefined;
  readonly dependsOn: Readonly<Record<string, string>>;
  readonly profiles: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a scalar, got ${JSON.stringify(value)}`);
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value.map((item, i) => scalar(item, `${where}[${i}]`));
}

function readEnvironment(value: unknown, where: string): RawEnv {
  if (value === undefined || value === null) return {};
  const env: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    for (const item of stringList(value, where)) {
      const eq = item.indexOf('=');
      if (eq === -1) env[item] = null;
      else env[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return env;
  }
  if (!isRecord(value)) throw new Error(`${where}: expected a map or a list`);
  for (const [key, item] of Object.entries(value)) env[key] = item === null ? null : scalar(item, `${where}.${key}`);
  return env;
}

/** Short syntax `[IP:][HOST:]CONTAINER[/PROTO]` or long syntax `{ target, published }`. */
function readPorts(value: unknown, where: string): PortMapping[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value.map((item, i) => {
    if (isRecord(item)) {
      return {
        target: Number(scalar(item.target, `${where}[${i}].target`)),
        published: item.published === undefined ? undefined : scalar(item.published, `${where}[${i}].published`),
      };
    }
    const parts = scalar(item, `${where}[${i}]`)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    if (!Number.isInteger(target)) throw new Error(`${where}[${i}]: cannot read the container port of ${JSON.stringify(item)}`);
    return { target, published: parts.length >= 2 ? parts.at(-2) : undefined };
  });
}

function readDependsOn(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  // The list form has no condition: compose then waits only for the container to start.
  if (Array.isArray(value)) return Object.fromEntries(stringList(value, where).map((name) => [name, 'service_started']));
  if (!isRecord(value)) throw new Error(`${where}: expected a map or a list`);
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      isRecord(item) && item.condition !== undefined ? scalar(item.condition, `${where}.${name}.condition`) : 'service_started',
    ]),
  );
}

function readHealthcheck(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error(`${where}: expected a map`);
  if (value.disable === true) return undefined;
  const test = value.test;
  if (typeof test === 'string') return ['CMD-SHELL', test];
  return stringList(test, `${where}.test`);
}

function loadCompose(): { services: Map<string, Service>; volumes: Record<string, unknown> } {
  const document: unknown = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
  if (!isRecord(document) || !isRecord(document.services)) throw new Error('docker-compose.yml: no services');
  const services = new Map<string, Service>();
  for (const [name, raw] of Object.entries(document.services)) {
    if (!isRecord(raw)) throw new Error(`services.${name}: expected a map`);
    const where = `services.${name}`;
    services.set(name, {
      name,
      raw,
      image: raw.image === undefined ? undefined : scalar(raw.image, `${where}.image`),
      build: raw.build,
      command:
        raw.command === undefined
          ? undefined
          : Array.isArray(raw.command)
            ? stringList(raw.command, `${where}.command`)
            : scalar(raw.command, `${where}.command`).split(/\s+/),
      environment: readEnvironment(raw.environment, `${where}.environment`),
      ports: readPorts(raw.ports, `${where}.ports`),
      healthcheck: readHealthcheck(raw.healthcheck, `${where}.healthcheck`),
      dependsOn: readDependsOn(raw.depends_on, `${where}.depends_on`),
      profiles: raw.profiles === undefined ? [] : stringList(raw.profiles, `${where}.profiles`),
    });
  }
  return { services, volumes: isRecord(document.volumes) ? document.volumes : {} };
}

// ---------------------------------------------------------------------------------------------
// Compose's variable interpolation, with the user's environment simulated

/** What a user would export for a required variable: 40 characters, or an https URL for URLs. */
function dummyValue(name: string): string {
  if (/_(URL|URI)$/.test(name)) return `https://${name.toLowerCase().replace(/_/g, '-')}.example.org/`;
  return `${name.toLowerCase()}-`.padEnd(40, '0');
}

interface Interpolated {
  readonly value: string;
  /** Variables written `${VAR:?…}` / `${VAR?…}` (compose refuses to start without them). */
  readonly required: readonly string[];
}

/**
 * Compose's `${…}` syntax. `${VAR}`, `$VAR`, `${VAR:?err}` take the user's value or, when the
 * user has none, a dummy (as if the user had set it); `${VAR:-default}` takes the user's value
 * or the default; `$$` is a literal `$`. Anything else is refused rather than guessed at.
 */
function interpolate(text: string, user: Env): Interpolated {
  const required: string[] = [];
  const value = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}$]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare;
      if (name === undefined) throw new Error(`cannot interpolate ${match}`);
      const given = user[name];
      const set = given !== undefined;
      const nonEmpty = set && given !== '';
      switch (op) {
        case undefined:
          return given ?? dummyValue(name);
        case ':?':
        case '?':
          required.push(name);
          return (op === ':?' ? nonEmpty : set) ? (given as string) : dummyValue(name);
        case ':-':
          return nonEmpty ? given : (arg ?? '');
        case '-':
          return set ? given : (arg ?? '');
        case ':+':
          return nonEmpty ? (arg ?? '') : '';
        case '+':
          return set ? (arg ?? '') : '';
        default:
          throw new Error(`cannot interpolate ${match}`);
      }
    },
  );
  if (value.includes('${')) throw new Error(`unsupported interpolation in ${JSON.stringify(text)}`);
  return { value, required };
}

/** The environment a service's process would see (pass-through variables come from `user`). */
function containerEnv(service: Service, user: Env): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, raw] of Object.entries(service.environment)) env[name] = raw === null ? user[name] : interpolate(raw, user).value;
  return env;
}

function requiredVariables(service: Service): string[] {
  return Object.values(service.environment).flatMap((raw) => (raw === null ? [] : interpolate(raw, {}).required));
}

// ---------------------------------------------------------------------------------------------
// The Dockerfile and the import graph of the commands

interface Dockerfile {
  readonly from: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly users: readonly string[];
  readonly runs: readonly string[];
  /** Sources of every COPY into the image from the build context. */
  readonly copied: readonly string[];
  readonly exposed: readonly number[];
}

function loadDockerfile(): Dockerfile {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const from: string[] = [];
  const env: Record<string, string> = {};
  const users: string[] = [];
  const runs: string[] = [];
  const copied: string[] = [];
  const exposed: number[] = [];
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'FROM':
        from.push(rest[0] ?? '');
        break;
      case 'ENV':
        for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
          const eq = pair.indexOf('=');
          env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
        }
        break;
      case 'USER':
        users.push(args);
        break;
      case 'EXPOSE':
        exposed.push(...rest.map((port) => Number.parseInt(port, 10)));
        break;
      case 'RUN':
        runs.push(args);
        break;
      case 'COPY': {
        const operands = rest.filter((word) => !word.startsWith('--'));
        if (rest.some((word) => word.startsWith('--from'))) break;
        copied.push(...operands.slice(0, -1).map((source) => source.replace(/^\.\//, '').replace(/\/$/, '')));
        break;
      }
    }
  }
  return { from, env, users, runs, copied, exposed };
}

function dockerignorePatterns(): string[] {
  return readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Good enough for the patterns a .dockerignore here uses: `name`, `dir/`, `*.ext`, `**\/name`. */
function ignoredBy(patterns: readonly string[], path: string): string | undefined {
  const segments = path.split('/');
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const cleaned = pattern.replace(/^\/|\/$/g, '').replace(/^\*\*\//, '');
    const regex = new RegExp(
      `^${cleaned
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (regex.test(prefix) || (pattern.startsWith('**/') && regex.test(segments[i - 1] ?? ''))) return pattern;
    }
  }
  return undefined;
}

function resolveRelative(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`${relative(ROOT, fromFile)} imports ${specifier}, which does not exist`);
  return found;
}

/** Every file reachable from `entry` by value imports, and every package those files import. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const specifiers: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
        specifiers.push(node.moduleSpecifier.text);
      else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
        specifiers.push(node.moduleSpecifier.text);
      else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(resolveRelative(file, specifier));
      else if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  }
  return { files, packages };
}

// ---------------------------------------------------------------------------------------------
// Running a healthcheck script against a stand-in server

function runNode(script: string): Promise<number> {
  return new Promise((resolveExit) => {
    execFile(process.execPath, ['-e', script], { timeout: 15_000 }, (error) => {
      if (!error) resolveExit(0);
      else resolveExit(typeof error.code === 'number' ? error.code : -1);
    });
  });
}

// ---------------------------------------------------------------------------------------------

const { services, volumes } = loadCompose();
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function service(name: string): Service {
  const found = services.get(name);
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** What a user following the comments exports: one of the two token key sources. */
const USER_WITH_SECRET: Env = { JWT_SECRET: dummyValue('JWT_SECRET') };
const USER_WITH_JWKS: Env = { JWT_JWKS_URL: 'https://login.example.org/.well-known/jwks.json' };

function gatewayEnv(user: Env = USER_WITH_SECRET): Record<string, string | undefined> {
  return containerEnv(service('gateway'), user);
}

function subgraphEnv(name: SubgraphName, user: Env = {}): Record<string, string | undefined> {
  return containerEnv(service(name), user);
}

function configPort(name: AppService): number {
  return name === 'gateway' ? readGatewayConfig(gatewayEnv()).config.port : readSubgraphConfig(name, subgraphEnv(name)).config.port;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function healthUrl(check: readonly string[]): URL {
  const urls = check.join(' ').match(/https?:\/\/[^\s'"`)]+/g) ?? [];
  expect(urls, `one URL in the healthcheck ${JSON.stringify(check)}`).toHaveLength(1);
  return new URL(urls[0] as string);
}

/** The command's script, as named by package.json (`tsx <file>`), e.g. start:hr -> subgraphs/hr/main.ts. */
function packageScriptFile(script: string): string {
  const line = packageJson.scripts[script];
  const file = line?.match(/^tsx\s+(\S+\.ts)\b/)?.[1];
  if (!file) throw new Error(`package.json script "${script}" is not "tsx <file>.ts": ${line}`);
  return file;
}

const ENTRY_SCRIPTS: Readonly<Record<string, string>> = {
  gateway: packageScriptFile('start:gateway'),
  ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, packageScriptFile(`start:${name}`)])),
  seed: packageScriptFile('seed'),
};

/** The `.ts` file the command runs, after checking it is run by tsx without npm in between. */
function commandScript(svc: Service): string {
  const command = svc.command;
  expect(command, `${svc.name} has a command`).toBeDefined();
  const argv = command as readonly string[];
  const [program, ...args] = argv;
  if (program === 'node') {
    // node --import tsx <file>
    expect(args.slice(0, 2), `${svc.name}: node loads tsx`).toEqual(['--import', 'tsx']);
  } else {
    // The tsx binary itself, so `docker stop`'s SIGTERM reaches it (npm/npx would sit in between).
    expect(program, `${svc.name} runs tsx directly`).toBe('node_modules/.bin/tsx');
    expect(existsSync(join(ROOT, 'node_modules/.bin/tsx'))).toBe(true);
    expect(packageJson.dependencies.tsx, 'tsx is a runtime dependency (npm ci --omit=dev installs it)').toBeDefined();
  }
  const scripts = argv.filter((arg) => arg.endsWith('.ts'));
  expect(scripts, `${svc.name} names one .ts file`).toHaveLength(1);
  return scripts[0] as string;
}

describe('docker-compose.yml', () => {
  it('has mongodb, the three subgraphs, the gateway and the demo seed', () => {
    for (const name of ['mongodb', ...APP_SERVICES, 'seed']) expect(services.has(name), `service ${name}`).toBe(true);
    for (const name of APP_SERVICES) expect(service(name).build, `${name} is built from this repository`).toBeDefined();
  });

  it('runs MongoDB 7 on a named volume, with a ping healthcheck, unpublished', () => {
    const mongodb = service('mongodb');
    expect(mongodb.image).toMatch(/^mongo:7(\b|$)/);
    expect(mongodb.ports).toEqual([]);
    const mounts = (mongodb.raw.volumes as unknown[] | undefined) ?? [];
    const dataMount = mounts
      .map((m) => (typeof m === 'string' ? { source: m.split(':')[0], target: m.split(':')[1] } : (m as { source?: string; target?: string })))
      .find((m) => m.target === '/data/db');
    expect(dataMount, 'a volume at /data/db').toBeDefined();
    expect(Object.keys(volumes), 'the /data/db volume is a named volume').toContain(dataMount?.source);
    const check = mongodb.healthcheck ?? [];
    expect(check[0]).toBe('CMD');
    expect(check).toContain('mongosh');
    expect(check.join(' ')).toContain("db.adminCommand('ping')");
  });

  it('runs Redis 7 unpublished with a ping healthcheck, and gives the gateway its URL for shared rate limits', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(\b|$|-)/);
    expect(redis.ports).toEqual([]);
    expect(redis.healthcheck).toEqual(['CMD', 'redis-cli', 'ping']);
    const url = new URL(interpolate(service('gateway').environment.REDIS_URL as string, {}).value);
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe('redis');
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    const svc = service(name);

    it('runs the entry point package.json names, with tsx and no npm in between', () => {
      const script = commandScript(svc);
      expect(script).toBe(ENTRY_SCRIPTS[name]);
      expect(existsSync(join(ROOT, script)), `${script} exists`).toBe(true);
    });

    it('sets NODE_ENV=production and HOST=0.0.0.0 itself', () => {
      expect(svc.environment.NODE_ENV).toBe('production');
      expect(svc.environment.HOST).toBe('0.0.0.0');
    });

    it('sets only variables its config reads', () => {
      const variables =
        name === 'gateway'
          ? new Set([...readGatewayConfig(gatewayEnv(USER_WITH_SECRET)).variables, ...readGatewayConfig(gatewayEnv(USER_WITH_JWKS)).variables])
          : new Set(readSubgraphConfig(name, subgraphEnv(name)).variables);
      const unknown = Object.keys(svc.environment).filter((variable) => !variables.has(variable));
      expect(unknown, `variables set on ${name} that its config never reads`).toEqual([]);
    });

    it('has a healthcheck on its own port and /health/ready', () => {
      const url = healthUrl(svc.healthcheck ?? []);
      expect(['127.0.0.1', 'localhost']).toContain(url.hostname);
      expect(Number(url.port)).toBe(configPort(name));
      expect(url.pathname).toBe('/health/ready');
    });
  });

  it('gives every subgraph its default port and points the gateway at it', () => {
    const gateway = readGatewayConfig(gatewayEnv()).config;
    for (const name of SUBGRAPH_NAMES) {
      const svc = service(name);
      const written = svc.environment[portVariable(name)];
      if (written !== undefined) expect(written, `${portVariable(name)} on ${name}`).toBe(String(SUBGRAPH_DEFAULT_PORTS[name]));
      expect(configPort(name), `${name}'s port`).toBe(SUBGRAPH_DEFAULT_PORTS[name]);
      expect(service('gateway').environment[subgraphUrlVariable(name)], `${subgraphUrlVariable(name)} is set`).toBeDefined();
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${SUBGRAPH_DEFAULT_PORTS[name]}/graphql`);
    }
  });

  it('publishes only the gateway, on its GATEWAY_PORT', () => {
    for (const [name, svc] of services) {
      if (name !== 'gateway') expect(svc.ports, `${name} publishes no port`).toEqual([]);
    }
    const port = configPort('gateway');
    const written = service('gateway').environment.GATEWAY_PORT;
    expect(port).toBe(written === undefined || written === null ? GATEWAY_DEFAULT_PORT : Number(written));
    const ports = service('gateway').ports;
    expect(ports).toHaveLength(1);
    expect(ports[0]?.target, 'container side of the gateway mapping').toBe(port);
    expect(ports[0]?.published, 'host side of the gateway mapping').toBe(String(port));
  });

  it('starts the subgraphs after a healthy MongoDB, and the gateway after healthy subgraphs', () => {
    for (const name of [...SUBGRAPH_NAMES, 'seed']) expect(service(name).dependsOn, name).toEqual({ mongodb: 'service_healthy' });
    expect(service('gateway').dependsOn).toEqual(Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 'service_healthy'])));
  });

  it('points the subgraphs and the seed at the compose MongoDB, with one database prefix', () => {
    const users = [...SUBGRAPH_NAMES, 'seed'].map(service);
    for (const svc of users) {
      const uri = svc.environment.MONGODB_URI;
      expect(uri, `${svc.name} MONGODB_URI`).toBeTypeOf('string');
      const url = new URL(interpolate(uri as string, {}).value);
      expect(url.hostname, `${svc.name} MONGODB_URI host`).toBe('mongodb');
      expect(url.port || '27017').toBe('27017');
      expect(svc.environment.MONGODB_URI).toBe(users[0]?.environment.MONGODB_URI);
      expect(svc.environment.MONGODB_DB_PREFIX, `${svc.name} MONGODB_DB_PREFIX`).toBe(users[0]?.environment.MONGODB_DB_PREFIX);
    }
  });

  it('gives the gateway and every subgraph the same signing secret, from the user, required', () => {
    const written = APP_SERVICES.map((name) => service(name).environment.SUBGRAPH_SIGNING_SECRET);
    expect(written[0]).toMatch(/^\$\{SUBGRAPH_SIGNING_SECRET:\?[^}]*\}$/);
    expect(new Set(written).size, 'one expression for all four services').toBe(1);
  });

  describe('the environment compose produces passes the code validation', () => {
    it.each(SUBGRAPH_NAMES)('%s subgraph (required variables given, defaults taken)', (name) => {
      const env = subgraphEnv(name);
      expect(problemsOf(() => readSubgraphConfig(name, env))).toEqual([]);
      const { config } = readSubgraphConfig(name, env);
      expect(config.nodeEnv).toBe('production');
      expect(config.host).toBe('0.0.0.0');
      expect(config.mongodbUri, 'MONGODB_URI: a subgraph run alone needs it').toBeDefined();
    });

    it.each([
      ['JWT_SECRET', USER_WITH_SECRET],
      ['JWT_JWKS_URL', USER_WITH_JWKS],
    ] as const)('gateway, with %s given', (_, user) => {
      const env = gatewayEnv(user);
      expect(problemsOf(() => readGatewayConfig(env))).toEqual([]);
      const { config } = readGatewayConfig(env);
      expect(config.nodeEnv).toBe('production');
      expect(config.host).toBe('0.0.0.0');
      expect(config.introspection).toBe(false);
    });

    it('gateway without a token key source: refuses, naming JWT_JWKS_URL and JWT_SECRET (and nothing else)', () => {
      const problems = problemsOf(() => readGatewayConfig(gatewayEnv({})));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/JWT_JWKS_URL/);
      expect(problems[0]).toMatch(/JWT_SECRET/);
    });

    it('marks as required (`${VAR:?…}`) only variables production cannot start without', () => {
      const required = new Set(APP_SERVICES.flatMap((name) => requiredVariables(service(name))));
      expect([...required].sort()).toEqual(expect.arrayContaining(['JWT_ISSUER', 'SUBGRAPH_SIGNING_SECRET']));
      for (const variable of required) {
        // As if the user left it empty (compose would stop first): some service's config must refuse too.
        const refused = APP_SERVICES.filter((name) => {
          const svc = service(name);
          const env = containerEnv(svc, USER_WITH_SECRET);
          let uses = false;
          for (const [key, raw] of Object.entries(svc.environment)) {
            if (raw !== null && interpolate(raw, {}).required.includes(variable)) {
              env[key] = '';
              uses = true;
            }
          }
          return uses && problemsOf(() => (name === 'gateway' ? readGatewayConfig(env) : readSubgraphConfig(name, env))).length > 0;
        });
        expect(refused, `${variable} is required by the compose file; without it the code should refuse too`).not.toEqual([]);
      }
    });
  });

  describe('the demo seed', () => {
    const seed = service('seed');

    it('runs scripts/seed.ts --size demo once, only under the demo profile', () => {
      const script = commandScript(seed);
      expect(script).toBe(ENTRY_SCRIPTS.seed);
      expect(existsSync(join(ROOT, script)), `${script} exists`).toBe(true);
      const args = seed.command ?? [];
      expect(args.slice(args.indexOf('--size'), args.indexOf('--size') + 2)).toEqual(['--size', 'demo']);
      expect(seed.profiles).toEqual(['demo']);
      expect(seed.raw.restart ?? 'no').toBe('no');
    });
  });

  describe('healthcheck scripts (run against a stand-in server)', () => {
    let server: Server;
    let reply: { status: number; body: string } = { status: 200, body: '{"status":"ok"}' };
    let base = '';

    beforeAll(async () => {
      server = createServer((request, response) => {
        const ok = request.url === '/health/ready';
        response.writeHead(ok ? reply.status : 404, { 'content-type': 'application/json' }).end(ok ? reply.body : '{}');
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((done) => server.close(() => done()));
    });

    it.each(APP_SERVICES)('%s: node -e with fetch, healthy only on 200 {"status":"ok"}', async (name) => {
      const check = service(name).healthcheck ?? [];
      expect(check.slice(0, 3), 'exec form: the slim image has no shell tools like curl').toEqual(['CMD', 'node', '-e']);
      const script = (check[3] ?? '').replace(`${healthUrl(check).origin}`, base);
      reply = { status: 200, body: '{"status":"ok"}' };
      expect(await runNode(script), 'healthy').toBe(0);
      reply = { status: 503, body: '{"status":"unavailable"}' };
      expect(await runNode(script), 'unhealthy on 503').not.toBe(0);
      reply = { status: 200, body: '{"status":"starting"}' };
      expect(await runNode(script), 'unhealthy unless status is ok').not.toBe(0);
    });
  });
});

describe('Dockerfile', () => {
  const dockerfile = loadDockerfile();
  const ignore = dockerignorePatterns();

  it('builds on node:20-bookworm-slim, installs production dependencies only, runs as a non-root user', () => {
    expect(dockerfile.from).toEqual(['node:20-bookworm-slim']);
    expect(dockerfile.runs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(dockerfile.copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json']));
    const user = dockerfile.users.at(-1);
    expect(user, 'a USER instruction').toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('defaults to production, listening on every interface', () => {
    expect(dockerfile.env.NODE_ENV).toBe('production');
    expect(dockerfile.env.HOST).toBe('0.0.0.0');
  });

  it('exposes the gateway’s port and every registered subgraph’s (subgraphs/registry.ts)', () => {
    expect([...dockerfile.exposed].sort()).toEqual([4000, ...SUBGRAPH_NAMES.map((name) => SUBGRAPH_DEFAULT_PORTS[name])].sort());
  });

  it('copies only sources that exist, and no empty folder (git would not carry it, and COPY would fail)', () => {
    for (const source of dockerfile.copied) {
      const path = join(ROOT, source);
      expect(existsSync(path), `${source} exists`).toBe(true);
      if (statSync(path).isDirectory()) expect(readdirSync(path, { recursive: true }).length, `${source}/ holds files`).toBeGreaterThan(0);
    }
  });

  it('.dockerignore keeps out local state but none of what the image copies', () => {
    for (const path of ['node_modules', '.git', 'coverage', '.cache']) expect(ignoredBy(ignore, path), path).toBeDefined();
    for (const path of dockerfile.copied) expect(ignoredBy(ignore, path), `${path} is copied but ignored`).toBeUndefined();
  });

  it.each(['gateway', ...SUBGRAPH_NAMES, 'seed'])('the image holds everything the %s command imports', (name) => {
    const entry = join(ROOT, ENTRY_SCRIPTS[name] as string);
    const { files, packages } = importGraph(entry);
    for (const file of files) {
      const path = relative(ROOT, file).split(sep).join('/');
      const copied = dockerfile.copied.some((source) => path === source || path.startsWith(`${source}/`));
      expect(copied, `${path} (imported by the ${name} command) is copied into the image`).toBe(true);
      expect(ignoredBy(ignore, path), `${path} is excluded by .dockerignore`).toBeUndefined();
    }
    const missing = [...packages].filter((pkg) => packageJson.dependencies[pkg] === undefined);
    expect(missing, `packages the ${name} command imports that npm ci --omit=dev leaves out`).toEqual([]);
  });
});
