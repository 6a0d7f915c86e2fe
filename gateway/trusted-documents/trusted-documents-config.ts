import type { EnvReader, NodeEnv } from '../../platform/env.js';
import { DEFAULT_MANIFEST_PATH } from './manifest.js';
import type { TrustedDocumentsMode, TrustedDocumentsSettings } from './trusted-documents-plugin.js';

export interface TrustedDocumentsConfig extends TrustedDocumentsSettings {
  /** The manifest file: api/trusted-documents.json unless TRUSTED_DOCUMENTS_MANIFEST names another. */
  readonly manifestPath: string;
}

const MODES: readonly TrustedDocumentsMode[] = ['off', 'first-party', 'require'];
// An OAuth client id as identity providers issue them (GUIDs, slugs, URLs): printable, no spaces or commas.
const CLIENT_ID = /^[\x21-\x2B\x2D-\x7E]{1,255}$/;

/**
 * TRUSTED_DOCUMENTS: `first-party` by default in production (callers whose token's `azp` or
 * `client_id` is in TRUSTED_DOCUMENTS_CLIENTS run manifest operations only; an outside
 * organisation's or the reporting tool's own client keeps the whole API under the policy),
 * `off` in development and test (any operation). `require` holds every caller to the manifest,
 * for a deployment that has no outside clients.
 */
export function readTrustedDocumentsConfig(reader: EnvReader, nodeEnv: NodeEnv): TrustedDocumentsConfig {
  const explicitMode = reader.optionalString('TRUSTED_DOCUMENTS');
  const mode = reader.oneOf('TRUSTED_DOCUMENTS', MODES, nodeEnv === 'production' ? 'first-party' : 'off');
  const clients: string[] = [];
  for (const item of (reader.optionalString('TRUSTED_DOCUMENTS_CLIENTS') ?? '')
    .split(',')
    .map((each) => each.trim())
    .filter((each) => each !== '')) {
    if (CLIENT_ID.test(item)) clients.push(item);
    else reader.problem(`TRUSTED_DOCUMENTS_CLIENTS: "${item.slice(0, 40)}" is not a client id (printable, no spaces, at most 255 characters)`);
  }
  if (explicitMode === 'first-party' && clients.length === 0) {
    reader.problem('TRUSTED_DOCUMENTS=first-party needs TRUSTED_DOCUMENTS_CLIENTS: the client ids (token azp or client_id) of the first-party apps');
  }
  return { mode, clients, manifestPath: reader.string('TRUSTED_DOCUMENTS_MANIFEST', DEFAULT_MANIFEST_PATH) };
}
