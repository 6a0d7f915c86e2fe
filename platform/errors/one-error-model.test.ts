import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './error-codes.js';

/**
 * The code base keeps one error model: which codes are client-safe or temporary, and what
 * "forbidden" looks like, are said once, in platform/errors/. A second list drifts (there were
 * three lists of client-safe codes with different members, and a list of temporary codes,
 * beside four hand-built FORBIDDEN answers).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['gateway', 'subgraphs', 'shield', 'reporting', 'platform', 'stack'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = SCANNED.flatMap((dir) => sources(join(ROOT, dir)))
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
  .filter(({ path }) => !path.startsWith('platform/errors/'));

function offenders(pattern: RegExp): string[] {
  return files.flatMap(({ path, text }) => text.split('\n').flatMap((line, index) => (pattern.test(line) ? [`${path}:${index + 1}`] : [])));
}

describe('one error model', () => {
  it('no module keeps its own list of client-safe, client-written or temporary codes', () => {
    expect(offenders(/\b\w*(SAFE|WRITTEN|TEMPORARY\w*)_CODES\b\s*(:[^=]*)?=/)).toEqual([]);
  });

  it('no module builds a FORBIDDEN answer by hand: forbiddenError() is the one builder', () => {
    expect(offenders(/new GraphQLError\(\s*'Forbidden'|code:\s*'FORBIDDEN'|'FORBIDDEN',\s*'Forbidden'/)).toEqual([]);
  });

  it('every code a door sends by hand is in the list, with the status the list gives it', () => {
    const problems = files.flatMap(({ path, text }) => [
      ...[...text.matchAll(/extensions: \{[^}]*?\bcode: '([A-Za-z_]+)'/g)].flatMap(([, code]) =>
        isErrorCode(code) ? [] : [`${path}: ${code} is not in platform/errors/error-codes.ts`],
      ),
      ...[...text.matchAll(/(?:HttpError|refused)\((\d{3}), '([A-Za-z_]+)'/g)].flatMap(([, status, code]) =>
        isErrorCode(code) && ERROR_CODES[code].status === Number(status)
          ? []
          : [`${path}: ${code} answered ${status}, the list says ${isErrorCode(code) ? ERROR_CODES[code].status : 'nothing'}`],
      ),
    ]);
    expect(problems).toEqual([]);
  });
});
