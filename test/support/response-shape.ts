import type { GraphQLResponseBody } from './test-stack.js';

/**
 * The shape of a response with every value replaced by its kind, and the errors reduced to
 * path, message and code: two responses with the same shape say the same things about
 * different people. A list is only "a list": how many consents or notes someone has is
 * data, not shape.
 */
export function shapeOf(body: GraphQLResponseBody): unknown {
  const shape = (value: unknown): unknown => {
    if (Array.isArray(value)) return 'list';
    if (value === null) return null;
    if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
    return typeof value;
  };
  return {
    data: shape(body.data),
    errors: (body.errors ?? [])
      .map((error) => ({ path: error.path?.join('.'), message: error.message, code: error.extensions?.code }))
      .sort((a, b) => String(a.path).localeCompare(String(b.path))),
  };
}
