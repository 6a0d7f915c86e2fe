import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The trusted-documents manifest: every operation a first-party app may send, keyed by the
 * SHA-256 of its exact text (lower-case hex, as Apollo's persisted-query link and GraphQL Code
 * Generator compute it). Built by `npm run trusted-documents` from the console's and the
 * example operations; committed, and checked current by CI.
 *
 * The manifest is public (it ships in the apps anyway): it names operations, never data, so a
 * hash in it confirms nothing about what any caller asked.
 */

export const DEFAULT_MANIFEST_PATH = fileURLToPath(new URL('../../api/trusted-documents.json', import.meta.url));

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function documentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function isDocumentHash(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

export interface TrustedManifest {
  /** The operation's text for a hash in the manifest, else undefined. */
  textOf(hash: string): string | undefined;
  readonly size: number;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Checks every entry: a hash that is not the SHA-256 of its own text would let a hand-edited
 * manifest run one text under another operation's name, so the file is refused whole.
 */
export function parseManifest(json: string, source = 'trusted-documents manifest'): TrustedManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ManifestError(`${source} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ManifestError(`${source} must be an object of sha256 hash → operation text`);
  const documents = new Map<string, string>();
  for (const [hash, text] of Object.entries(parsed)) {
    if (!SHA256_HEX.test(hash)) throw new ManifestError(`${source}: "${hash.slice(0, 80)}" is not a lower-case hex SHA-256`);
    if (typeof text !== 'string' || text.trim() === '') throw new ManifestError(`${source}: the entry ${hash} is not an operation text`);
    if (documentHash(text) !== hash) throw new ManifestError(`${source}: the entry ${hash} is not the SHA-256 of its text (run npm run trusted-documents)`);
    documents.set(hash, text);
  }
  return { textOf: (hash) => documents.get(hash), size: documents.size };
}

export function readManifest(path: string = DEFAULT_MANIFEST_PATH): TrustedManifest {
  let json: string;
  try {
    json = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read the trusted-documents manifest at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseManifest(json, path);
}
