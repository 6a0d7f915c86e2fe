import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * One bounded GET of the identity provider's key set. The fetch is on our side of the trust
 * chain, so every way it can fail is named (for the operator's log and metrics) rather than
 * blamed on the caller's token, and every way it can hurt the gateway is capped: a total
 * deadline (a server that drips bytes or never answers), a streamed byte cap (a 600 MiB or
 * endless body is cut off, never buffered), no redirects (a 3xx to another key set is a failure,
 * not a new source of keys).
 *
 * node:https rather than fetch: it takes a CA per request (`JWT_JWKS_CA_FILE`) without a new
 * dependency and without trusting that CA process-wide, as NODE_EXTRA_CA_CERTS would for the
 * subgraphs' and MongoDB's connections too; and it never follows a redirect.
 */

export type KeySetFailureCause = 'unreachable' | 'tls' | 'timeout' | 'status' | 'too_large' | 'not_json' | 'not_a_key_set' | 'too_many_keys';

export const KEY_SET_FAILURE_CAUSES: readonly KeySetFailureCause[] = [
  'unreachable',
  'tls',
  'timeout',
  'status',
  'too_large',
  'not_json',
  'not_a_key_set',
  'too_many_keys',
];

export class KeySetFetchError extends Error {
  readonly reason: KeySetFailureCause;
  constructor(reason: KeySetFailureCause, message: string) {
    super(message);
    this.name = 'KeySetFetchError';
    this.reason = reason;
  }
}

export interface KeySetFetchOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxKeys: number;
  /** PEM certificates trusted for this fetch instead of the system's roots (a private CA). */
  readonly ca?: string | undefined;
}

const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function classify(error: unknown, timedOut: boolean): KeySetFetchError {
  if (error instanceof KeySetFetchError) return error;
  if (timedOut) return new KeySetFetchError('timeout', 'no complete answer within the time-out');
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
  return new KeySetFetchError(typeof code === 'string' && TLS_ERROR.test(code) ? 'tls' : 'unreachable', detail);
}

/** The response's body, refused as soon as it passes `maxBytes` (declared or streamed). */
async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new KeySetFetchError('too_large', `the key set declares ${declared} bytes, more than the ${maxBytes} accepted`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new KeySetFetchError('too_large', `the key set is larger than the ${maxBytes} bytes accepted`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function parseKeySet(body: Buffer, maxKeys: number): readonly unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new KeySetFetchError('not_json', 'the answer is not JSON');
  }
  const keys = typeof parsed === 'object' && parsed !== null ? (parsed as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new KeySetFetchError('not_a_key_set', 'the answer is not a JWK set (no "keys" list)');
  if (keys.length > maxKeys) throw new KeySetFetchError('too_many_keys', `the key set has ${keys.length} keys, more than the ${maxKeys} accepted`);
  return keys as unknown[];
}

/** Fetches and parses the key set: its members, unchecked. Throws KeySetFetchError naming the cause. */
export async function fetchKeySet(options: KeySetFetchOptions): Promise<readonly unknown[]> {
  const url = new URL(options.url);
  const controller = new AbortController();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'GET',
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: controller.signal,
        // A fresh connection each time: fetches are rare, and nothing is pooled past the deadline.
        agent: false,
        ...(url.protocol === 'https:' && options.ca !== undefined ? { ca: options.ca } : {}),
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end();
    });
    try {
      if (response.statusCode !== 200) {
        const location = response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400 ? ' (redirects are not followed)' : '';
        throw new KeySetFetchError('status', `answered HTTP ${response.statusCode ?? '?'}${location}`);
      }
      return parseKeySet(await readCapped(response, options.maxBytes), options.maxKeys);
    } finally {
      // Stop reading whatever is left (an endless body) and free the socket.
      response.destroy();
    }
  } catch (error) {
    throw classify(error, timedOut);
  } finally {
    clearTimeout(deadline);
  }
}
