import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/**
 * The built console (web/dist), read into memory once at start: a fixed set of files, so no
 * request path ever reaches the file system.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Vite names built assets by content hash, so they may be cached for good. */
  readonly immutable: boolean;
}

export function loadStaticFiles(distDir: string): ReadonlyMap<string, StaticFile> {
  let index: Buffer;
  try {
    index = readFileSync(join(distDir, 'index.html'));
  } catch {
    throw new Error(`console: no built console in ${distDir}; run \`npm run build:web\` first`);
  }
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const url = `/${relative(distDir, path).split(sep).join('/')}`;
      files.set(url, {
        body: readFileSync(path),
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        immutable: url.startsWith('/assets/'),
      });
    }
  };
  walk(distDir);
  files.set('/', { body: index, contentType: CONTENT_TYPES['.html'] ?? 'text/html', immutable: false });
  return files;
}
