/**
 * Reading configuration from the environment. Every problem is collected so that start-up
 * fails once with the whole list, instead of one variable at a time.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(service: string, problems: readonly string[]) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Collects problems while values are read; `finish` throws if there were any. */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: string[] = [];
  readonly #read = new Set<string>();

  constructor(env: Env) {
    this.#env = env;
  }

  /** Names of every variable this reader was asked for (documentation and tests use it). */
  get names(): readonly string[] {
    return [...this.#read];
  }

  problem(message: string): void {
    this.#problems.push(message);
  }

  raw(name: string): string | undefined {
    this.#read.add(name);
    const value = this.#env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, { min, max }: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.problem(`${name} must be a whole number, got "${value}"`);
      return fallback;
    }
    const parsed = Number(value);
    if (parsed < min || parsed > max) {
      this.problem(`${name} must be between ${min} and ${max}, got ${parsed}`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
    this.problem(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  url(name: string, fallback: string | undefined): string | undefined {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) return undefined;
    try {
      new URL(value);
    } catch {
      this.problem(`${name} must be a URL, got "${value}"`);
    }
    return value;
  }

  finish(service: string): void {
    if (this.#problems.length > 0) throw new ConfigError(service, this.#problems);
  }
}

export function readNodeEnv(reader: EnvReader): NodeEnv {
  return reader.oneOf('NODE_ENV', NODE_ENVS, 'development');
}
