import { describeError, getJson, postJson } from '../api.js';
import { detailsList, humanise } from '../details.js';
import { announce, errorBox, field, h, replaceChildren, when } from '../dom.js';
import type { Page } from '../page.js';
import { session } from '../session.js';

/**
 * Privacy alerts (`GET /alerts`, `POST /alerts/close`). The DPO closes each open alert with an
 * outcome and a note; a team manager sees their own team's alerts, read-only.
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
    h('div', { class: 'buttons', role: 'group', 'aria-label': 'Outcome' }, ...OUTCOMES.map((o) => h('button', { type: 'button', 'data-outcome': o.value, onClick: () => void close(o.value) }, o.label))),
  );
}

function alertCard(alert: AlertView, canClose: boolean, reload: () => Promise<void>): HTMLElement {
  return h(
    'article',
    { class: `card alert alert-${alert.status.toLowerCase()}`, 'data-alert-id': alert.id },
    h('h3', {}, humanise(alert.kind)),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Raised'),
      h('dd', {}, when(alert.raisedAt)),
      alert.actor ? [h('dt', {}, 'By'), h('dd', {}, `${humanise(alert.actor.role)} ${alert.actor.ref}${alert.actor.agency ? `, ${alert.actor.agency}` : ''}`)] : null,
      h('dt', {}, 'Whose record'),
      h('dd', { class: 'ref' }, alert.subject ?? '—'),
      h('dt', {}, 'Status'),
      h('dd', {}, alert.status === 'OPEN' ? 'Open' : `Closed ${when(alert.closedAt)}: ${humanise(alert.outcome ?? '')}`),
      alert.note ? [h('dt', {}, 'Note'), h('dd', {}, alert.note)] : null,
    ),
    detailsList(alert.details),
    canClose && alert.status === 'OPEN' ? closeForm(alert, reload) : null,
  );
}

export const alertsPage: Page = {
  id: 'alerts',
  title: 'Privacy alerts',
  roles: ['data_protection_officer', 'team_manager'],
  async render(main) {
    const canClose = session()?.role === 'data_protection_officer';
    const status = h('select', {}, h('option', { value: 'OPEN' }, 'Open'), h('option', { value: 'CLOSED' }, 'Closed'));
    const list = h('div', { class: 'stack', 'aria-live': 'polite' });
    const reload = async () => {
      try {
        const { alerts } = await getJson<{ alerts: AlertView[] }>(`/alerts?status=${status.value}&limit=100`);
        replaceChildren(
          list,
          alerts.length === 0 ? h('p', {}, status.value === 'OPEN' ? 'No open alerts.' : 'No closed alerts.') : alerts.map((alert) => alertCard(alert, canClose, reload)),
        );
      } catch (error) {
        replaceChildren(list, errorBox(describeError(error)));
      }
    };
    status.addEventListener('change', () => void reload());
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
      h('div', { class: 'toolbar' }, field('Show', status)),
      list,
    );
    await reload();
  },
};
