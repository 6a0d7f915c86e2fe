import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_MANIFEST_PATH, documentHash } from '../gateway/trusted-documents/manifest.js';

/**
 * `npm run trusted-documents`: writes api/trusted-documents.json, the manifest of operations
 * first-party apps may run (sha256 of the exact text → text), from the typed operations GraphQL
 * Code Generator wrote for the web console (web/src/generated) and for the example set per
 * role (api/generated). Each entry is the very string the generated code sends, so an app
 * built from these sources sends only hashes (or texts) in the manifest. CI checks it is current.
 */

const SOURCES = ['../web/src/generated/graphql.ts', '../api/generated/graphql.ts'];

/** Every typed query string a generated module exports (the client preset's `…Document` constants). */
async function operationsOf(relativePath: string): Promise<string[]> {
  const url = pathToFileURL(fileURLToPath(new URL(relativePath, import.meta.url))).href;
  // A generated module, imported by path so its types stay the web and api projects' own.
  const module = (await import(url)) as Record<string, unknown>;
  return Object.entries(module)
    .filter(([name, value]) => name.endsWith('Document') && value instanceof String)
    .map(([, value]) => String(value));
}

const entries = new Map<string, string>();
for (const source of SOURCES) {
  for (const text of await operationsOf(source)) entries.set(documentHash(text), text);
}
const manifest = Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(DEFAULT_MANIFEST_PATH, JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${entries.size} trusted operations to ${DEFAULT_MANIFEST_PATH}`);
