import { h, when } from './dom.js';

/**
 * Shows an object of unknown shape (an alert's details, an audit entry's reasons) as a
 * definition list, so a new alert kind or audit field shows up without a console change.
 */
export function detailsList(value: unknown): HTMLElement {
  const rows: HTMLElement[] = [];
  const walk = (prefix: string, item: unknown): void => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      for (const [key, inner] of Object.entries(item as Record<string, unknown>)) walk(prefix ? `${prefix} ${key}` : key, inner);
      return;
    }
    rows.push(
      h('dt', {}, humanise(prefix)),
      h('dd', {}, Array.isArray(item) ? item.map(String).join(', ') : item === null || item === undefined ? '—' : shown(item)),
    );
  };
  walk('', value);
  return h('dl', { class: 'details' }, ...rows);
}

/** A date-time read the way people read it here; anything else as it is. */
function shown(item: unknown): string {
  return typeof item === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(item) ? when(item) : String(item);
}

/** EMERGENCY_LOOKUP_RESTRICTED → "Emergency lookup restricted"; caller organisation → "Caller organisation". */
export function humanise(text: string): string {
  const spaced = text
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
