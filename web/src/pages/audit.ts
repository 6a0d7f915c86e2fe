import { describeError, getJson } from '../api.js';
import { detailsList, humanise } from '../details.js';
import { errorBox, field, h, replaceChildren, when } from '../dom.js';
import type { Page } from '../page.js';

/** The DPO's search of the audit trail (`GET /audit/entries`), newest first. */

interface AuditEntryView {
  readonly _id: number;
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly role: string; readonly ref: string; readonly agency?: string; readonly purpose?: string };
  readonly refusal?: string;
  readonly asked?: readonly string[];
  readonly changes?: readonly string[];
  readonly why?: readonly { readonly field: string; readonly argument: string; readonly value: unknown }[];
  readonly subjects: readonly { readonly type: string; readonly ref: string; readonly returned: readonly string[]; readonly denied: readonly string[] }[];
}

const ACTIONS = ['', 'read', 'change-requested', 'change', 'refused', 'alert-raised', 'alert-closed'];

function entryRow(entry: AuditEntryView): HTMLElement {
  return h(
    'tr',
    {},
    h('td', {}, String(entry._id)),
    h('td', {}, when(entry.at)),
    h('td', {}, `${humanise(entry.actor.role)}`, h('br'), h('span', { class: 'ref' }, entry.actor.ref), entry.actor.agency ? ` (${entry.actor.agency})` : null),
    h('td', {}, entry.action, entry.refusal ? ` (${entry.refusal})` : null),
    h(
      'td',
      {},
      entry.subjects.length === 0
        ? '—'
        : h(
            'ul',
            { class: 'plain' },
            ...entry.subjects.map((s) => h('li', {}, `${s.type} `, h('span', { class: 'ref' }, s.ref), `: ${s.returned.length} returned, ${s.denied.length} denied`)),
          ),
    ),
    h('td', {}, [...(entry.asked ?? []), ...(entry.changes ?? [])].join(', ') || null, entry.why && entry.why.length > 0 ? detailsList(entry.why.map((w) => ({ [w.field]: w.value }))) : null),
  );
}

export const auditPage: Page = {
  id: 'audit',
  title: 'Audit trail',
  roles: ['data_protection_officer'],
  async render(main) {
    const subject = h('input', { type: 'text', name: 'subject', autocomplete: 'off' });
    const actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off' });
    const action = h('select', { name: 'action' }, ...ACTIONS.map((a) => h('option', { value: a }, a === '' ? 'Any' : a)));
    const from = h('input', { type: 'date', name: 'from' });
    const to = h('input', { type: 'date', name: 'to' });
    const limit = h('input', { type: 'number', name: 'limit', min: 1, max: 500, value: 50 });
    const results = h('div', { 'aria-live': 'polite' });
    const search = async () => {
      const params = new URLSearchParams();
      for (const [name, input] of [['subject', subject], ['actor', actor], ['action', action], ['from', from], ['to', to], ['limit', limit]] as const) {
        if (input.value.trim() !== '') params.set(name, input.value.trim());
      }
      try {
        const { entries } = await getJson<{ entries: AuditEntryView[] }>(`/audit/entries?${params.toString()}`);
        replaceChildren(
          results,
          entries.length === 0
            ? h('p', {}, 'No entries match.')
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  {},
                  h('caption', {}, `${entries.length} entries, newest first`),
                  h('thead', {}, h('tr', {}, ...['#', 'When', 'Who', 'Action', 'Whose data', 'What and why'].map((c) => h('th', { scope: 'col' }, c)))),
                  h('tbody', {}, ...entries.map(entryRow)),
                ),
              ),
        );
      } catch (error) {
        replaceChildren(results, errorBox(describeError(error)));
      }
    };
    replaceChildren(
      main,
      h('h1', {}, 'Audit trail'),
      h('p', { class: 'lede' }, 'Every read of personal data and every change. People appear by the ids you see; this search is itself on the trail.'),
      h(
        'form',
        {
          class: 'card filters',
          onSubmit: (event: Event) => {
            event.preventDefault();
            void search();
          },
        },
        field('Whose data (subject id)', subject),
        field('Who (staff or account id)', actor),
        field('Action', action),
        field('From (date)', from),
        field('To (date, not included)', to),
        field('At most', limit),
        h('button', { type: 'submit' }, 'Search'),
      ),
      results,
    );
    await search();
  },
};
