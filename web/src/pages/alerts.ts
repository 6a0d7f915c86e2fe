import { CursorPages } from '../cursor-pages.js';
import { describeError, getJson, postJson } from '../api.js';
import { detailsList, humanise } from '../details.js';
import { announce, errorBox, field, h, replaceChildren, when } from '../dom.js';
import type { Page } from '../page.js';
import { session } from '../session.js';
import { namesOfClients } from './audit.js';

/**
 * Privacy alerts (`GET /alerts`, `POST /alerts/close`), every kind, a page at a time. The DPO
 * closes each open alert with an outcome and a note; a team manager sees their own team's
 * alerts, read-only. A break-glass or trustee grant alert shows the record's expiry and
 * whether it is still active, expired or ended early (its details, as the API gives them).
 */

interface AlertView {
  readonly id: string;
  readonly kind: string;
  readonly raisedAt: string;
  readonly actor?: { readonly role: string; readonly ref: string; readonly agency?: string };
  readonly details: unknown;
  readonly subject: string | null;
  readonly status: 'OPEN' | 'CLOSED';
  readonly outcome?: string;
  readonly note?: string;
  readonly closedAt?: string;
}

const PAGE_SIZE = 20;
const KINDS = ['EXCEPTIONAL_DISCLOSURE_OPENED', 'EMERGENCY_LOOKUP_RESTRICTED', 'TRUSTEE_ACCESS_GRANTED', 'SUBJECT_ACCESS_EXPORTED'] as const;

const OUTCOMES = [
  { value: 'JUSTIFIED', label: 'Justified' },
  { value: 'NOT_JUSTIFIED', label: 'Not justified' },
  { value: 'REFERRED', label: 'Referred' },
] as const;

function closeForm(alert: AlertView, reload: () => Promise<void>): HTMLElement {
  const note = h('textarea', { rows: 3, maxlength: 2000, required: true });
  const problems = h('div');
  const close = async (outcome: string) => {
    if (note.value.trim() === '') {
      replaceChildren(problems, errorBox('Write a note saying why before choosing an outcome.'));
      note.focus();
      return;
    }
    try {
      await postJson('/alerts/close', { id: alert.id, outcome, note: note.value });
      announce(`Alert closed as ${humanise(outcome).toLowerCase()}.`);
      await reload();
    } catch (error) {
      replaceChildren(problems, errorBox(describeError(error)));
    }
  };
  return h(
    'form',
    { class: 'close-alert', onSubmit: (event: Event) => event.preventDefault() },
    field('Note (required)', note, 'Why you reached this outcome; up to 2,000 characters. It goes on the audit trail.'),
    problems,
    h(
      'div',
      { class: 'buttons', role: 'group', 'aria-label': 'Outcome' },
      ...OUTCOMES.map((o) => h('button', { type: 'button', 'data-outcome': o.value, onClick: () => void close(o.value) }, o.label)),
    ),
  );
}

/** Where the break-glass or grant an alert is about stands now, as the API reports it. */
const RECORD_NOW: Readonly<Record<string, string>> = { ACTIVE: 'Active', EXPIRED: 'Expired', ENDED: 'Ended early' };

function alertCard(alert: AlertView, canClose: boolean, reload: () => Promise<void>, names: ReadonlyMap<string, string>): HTMLElement {
  const { status: recordStatus, ...details } = (alert.details ?? {}) as Record<string, unknown>;
  const name = alert.subject ? names.get(alert.subject) : undefined;
  return h(
    'article',
    { class: `card alert alert-${alert.status.toLowerCase()}`, 'data-alert-id': alert.id },
    h('h3', {}, humanise(alert.kind)),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Raised'),
      h('dd', {}, when(alert.raisedAt)),
      alert.actor
        ? [h('dt', {}, 'By'), h('dd', {}, `${humanise(alert.actor.role)} ${alert.actor.ref}${alert.actor.agency ? `, ${alert.actor.agency}` : ''}`)]
        : null,
      h('dt', {}, 'Whose record'),
      h('dd', {}, name ? h('strong', { class: 'subject-name' }, name) : null, name ? ' ' : null, h('span', { class: 'ref' }, alert.subject ?? '—')),
      typeof recordStatus === 'string'
        ? [h('dt', {}, 'Record now'), h('dd', { 'data-record-status': recordStatus }, RECORD_NOW[recordStatus] ?? recordStatus)]
        : null,
      h('dt', {}, 'Status'),
      h('dd', {}, alert.status === 'OPEN' ? 'Open' : `Closed ${when(alert.closedAt)}: ${humanise(alert.outcome ?? '')}`),
      alert.note ? [h('dt', {}, 'Note'), h('dd', {}, alert.note)] : null,
    ),
    detailsList(details),
    canClose && alert.status === 'OPEN' ? closeForm(alert, reload) : null,
  );
}

export const alertsPage: Page = {
  id: 'alerts',
  title: 'Privacy alerts',
  roles: ['data_protection_officer', 'team_manager'],
  async render(main) {
    const canClose = session()?.role === 'data_protection_officer';
    const status = h('select', {}, h('option', { value: 'OPEN' }, 'Open'), h('option', { value: 'CLOSED' }, 'Closed'), h('option', { value: '' }, 'All'));
    const kind = h('select', {}, h('option', { value: '' }, 'Every kind'), ...KINDS.map((k) => h('option', { value: k }, humanise(k))));
    const list = h('div', { class: 'stack', id: 'alert-list', 'aria-live': 'polite', 'aria-busy': 'true' });
    const pager = h('div', { class: 'buttons pager' });
    const pages = new CursorPages<string>();
    // Only the latest load draws: a slower earlier one (before a filter changed) never replaces it.
    let loads = 0;
    const reload = async () => {
      const seq = ++loads;
      list.setAttribute('aria-busy', 'true');
      const params = new URLSearchParams({ first: String(PAGE_SIZE) });
      if (status.value) params.set('status', status.value);
      if (kind.value) params.set('kind', kind.value);
      const after = pages.after;
      if (after) params.set('after', after);
      try {
        const { alerts, pageInfo } = await getJson<{ alerts: AlertView[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } }>(
          `/alerts?${params.toString()}`,
        );
        // The DPO sees whose record by name too (the same DPO-only lookup as the audit trail's).
        const names = canClose
          ? await namesOfClients(alerts.flatMap((a) => (a.subject ? [a.subject] : []))).catch(() => new Map<string, string>())
          : new Map<string, string>();
        if (seq !== loads) return;
        replaceChildren(
          list,
          alerts.length === 0
            ? h('p', {}, status.value === 'OPEN' ? 'No open alerts.' : status.value === 'CLOSED' ? 'No closed alerts.' : 'No alerts.')
            : alerts.map((alert) => alertCard(alert, canClose, reload, names)),
        );
        const next = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
        replaceChildren(pager, ...pages.buttons(next, reload));
      } catch (error) {
        if (seq !== loads) return;
        replaceChildren(list, errorBox(describeError(error)));
        replaceChildren(pager);
      }
      list.setAttribute('aria-busy', 'false');
    };
    for (const control of [status, kind]) {
      control.addEventListener('change', () => {
        pages.reset();
        void reload();
      });
    }
    replaceChildren(
      main,
      h('h1', {}, 'Privacy alerts'),
      h(
        'p',
        { class: 'lede' },
        canClose
          ? 'Exceptional disclosures and lookups that touched a restricted record. Close each with an outcome and a note.'
          : 'Alerts about your team’s clients. The data protection officer closes them.',
      ),
      h('div', { class: 'toolbar' }, field('Show', status), field('Kind', kind)),
      list,
      pager,
    );
    await reload();
  },
};
