/**
 * The internal response keys of a rewritten operation. The response never carries them: the
 * redaction schema reads the fetched result through them and returns only what the client
 * asked for, under the client's own keys.
 */

/** Data fetched for the rules, the audit and the oversight, never returned (`_ntk_…`). Reserved: a client may not use it. */
export const INTERNAL_ALIAS_PREFIX = '_ntk_';

/**
 * Every field the client asked for is fetched under this prefix plus its response key, so no
 * alias the client chose can collide with a field the query planner adds (`id`, `__typename`
 * of entity keys): @apollo/gateway mixes such colliding aliases up.
 */
export const CLIENT_KEY_PREFIX = '_ntkc_';
