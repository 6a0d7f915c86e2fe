import type { ApiErrorItem } from './api.js';
import { h } from './dom.js';
import { humanise } from './details.js';

/**
 * A caseload as the policy shows it to the reader: a restricted client appears to those
 * outside the designated circle as a name and "restricted — contact <manager>"; the reason
 * only where the reader is in the circle. Whatever the API withheld is shown as withheld.
 */

export interface CaseloadClient {
  readonly id: string;
  readonly name?: string | null;
  readonly status?: string | null;
  readonly services?: readonly string[] | null;
  readonly keyworkers?: readonly { readonly name?: string | null }[] | null;
  readonly restriction?: {
    readonly reason?: string | null;
    readonly contact?: { readonly name?: string | null; readonly workPhone?: string | null } | null;
  } | null;
}

export function caseloadTable(clients: readonly CaseloadClient[], caption: string): HTMLElement {
  if (clients.length === 0) return h('p', {}, 'No open clients.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'caseload' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...['Name', 'Services', 'Keyworkers', 'Restriction'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...clients.map((client) =>
          h(
            'tr',
            { 'data-client-id': client.id },
            h('th', { scope: 'row' }, client.name ?? 'withheld'),
            h('td', {}, client.services?.join(', ') ?? '—'),
            h('td', {}, client.keyworkers?.map((k) => k.name ?? 'withheld').join(', ') || '—'),
            h('td', {}, client.restriction ? restrictedNotice(client.restriction) : 'None'),
          ),
        ),
      ),
    ),
  );
}

function restrictedNotice(restriction: NonNullable<CaseloadClient['restriction']>): HTMLElement {
  const contact = restriction.contact;
  return h(
    'span',
    { class: 'restricted' },
    h('strong', {}, 'Restricted'),
    contact ? ` — contact ${contact.name ?? 'the team manager'}${contact.workPhone ? `, ${contact.workPhone}` : ''}` : null,
    restriction.reason ? h('span', { class: 'badge' }, humanise(restriction.reason)) : null,
  );
}

/** The first error message, for a page that got no data at all. */
export function firstError(errors: readonly ApiErrorItem[]): string {
  const first = errors[0];
  if (!first) return 'Nothing came back.';
  return first.extensions?.code === 'FORBIDDEN' ? 'Forbidden: your role may not see this.' : first.message;
}
