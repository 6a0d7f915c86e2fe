/** How every subgraph writes a stored date-time in its API: ISO 8601, UTC. */
export function isoDate(value: Date): string {
  return value.toISOString();
}
