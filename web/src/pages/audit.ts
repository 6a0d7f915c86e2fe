import { CursorPages } from '../cursor-pages.js';
import { describeError, getJson, runOperation } from '../api.js';
import { detailsList, humanise } from '../details.js';
import { errorBox, field, h, replaceChildren, when } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';

/**
 * The DPO's search of the audit trail (`GET /audit/entries`), newest first, a page at a time.
 * Clients appear by name: the console asks the public API for the names of the clients on the
 * page (`auditSubjectNames`, DPO only, the name and nothing else), and that lookup is itself
 * on the trail. No name comes from anywhere the DPO's token could not reach directly.
 */

const PAGE_SIZE = 50;

const SubjectNames = graphql(`
  query ConsoleAuditSubjectNames($ids: [ID!]!) {
    auditSubjectNames(ids: $ids) {
      name
      subject {
        id
      }
    }
  }
`);

/** Names of the clients an audit page names, by the ref the trail shows; none if the lookup fails. */
async function clientNames(entries: readonly AuditEntryView[]): Promise<ReadonlyMap<string, string>> {
  return namesOfClients(entries.flatMap((entry) => entry.subjects.filter((s) => s.type === 'Client').map((s) => s.ref)));
}

/** Client names for refs in the DPO's own audience (the trail's and the alerts'); none if the lookup fails. */
export async function namesOfClients(clientRefs: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const refs = [...new Set(clientRefs)];
  if (refs.length === 0) return new Map();
  const { data } = await runOperation(SubjectNames, { ids: refs });
  return new Map((data?.auditSubjectNames ?? []).flatMap((n) => (n.subject?.id && n.name ? [[n.subject.id, n.name] as const] : [])));
}

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

const ACTIONS = ['', 'read', 'change-requested', 'change', 'change-failed', 'change-unknown', 'refused', 'alert-raised', 'alert-closed'];

function entryRow(entry: AuditEntryView, names: ReadonlyMap<string, string>): HTMLElement {
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
            ...entry.subjects.map((s) => {
              const name = names.get(s.ref);
              return h(
                'li',
                {},
                name ? h('strong', { class: 'subject-name' }, name) : `${s.type} `,
                name ? ' ' : null,
                h('span', { class: 'ref' }, s.ref),
                `: ${s.returned.length} returned, ${s.denied.length} denied`,
              );
            }),
          ),
    ),
    h(
      'td',
      {},
      [...(entry.asked ?? []), ...(entry.changes ?? [])].join(', ') || null,
      entry.why && entry.why.length > 0 ? detailsList(Object.fromEntries(entry.why.map((w) => [w.field, w.value]))) : null,
    ),
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
    const results = h('div', { 'aria-live': 'polite' });
    const pager = h('div', { class: 'buttons pager' });
    const pages = new CursorPages<number>();
    const search = async () => {
      const params = new URLSearchParams({ first: String(PAGE_SIZE) });
      for (const [name, input] of [
        ['subject', subject],
        ['actor', actor],
        ['action', action],
        ['from', from],
        ['to', to],
      ] as const) {
        if (input.value.trim() !== '') params.set(name, input.value.trim());
      }
      const after = pages.after;
      if (after !== null) params.set('after', String(after));
      try {
        const { entries, pageInfo } = await getJson<{ entries: AuditEntryView[]; pageInfo?: { hasNextPage: boolean; endCursor: number | null } }>(
          `/audit/entries?${params.toString()}`,
        );
        const names = await clientNames(entries).catch(() => new Map<string, string>());
        const next = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
        replaceChildren(pager, ...pages.buttons(next, search));
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
                  h('caption', {}, `${entries.length} entries, newest first (page ${pages.number})`),
                  h('thead', {}, h('tr', {}, ...['#', 'When', 'Who', 'Action', 'Whose data', 'What and why'].map((c) => h('th', { scope: 'col' }, c)))),
                  h('tbody', {}, ...entries.map((entry) => entryRow(entry, names))),
                ),
              ),
        );
      } catch (error) {
        replaceChildren(results, errorBox(describeError(error)));
        replaceChildren(pager);
      }
    };
    replaceChildren(
      main,
      h('h1', {}, 'Audit trail'),
      h(
        'p',
        { class: 'lede' },
        'Every read of personal data and every change. Clients appear by name beside the id you see; this search, and each name shown, is itself on the trail.',
      ),
      h(
        'form',
        {
          class: 'card filters',
          onSubmit: (event: Event) => {
            event.preventDefault();
            pages.reset();
            void search();
          },
        },
        field('Whose data (subject id)', subject),
        field('Who (staff or account id)', actor),
        field('Action', action),
        field('From (date)', from),
        field('To (date, not included)', to),
        h('button', { type: 'submit' }, 'Search'),
      ),
      results,
      pager,
    );
    await search();
  },
};
