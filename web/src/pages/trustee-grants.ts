import { describeError, getJson, runOperation, type ApiErrorItem } from '../api.js';
import { announce, errorBox, field, h, replaceChildren, when } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';
import { personPicker } from '../person-search.js';
import { namesOfClients } from './audit.js';

/**
 * Trustee grants: the DPO grants a trustee read access to one person's record for a complaint,
 * until it expires, and revokes it early. The API has no list of grants; every grant raises a
 * TRUSTEE_ACCESS_GRANTED alert carrying the grant's id, expiry and whether it is still active,
 * so the list here is those alerts (`GET /alerts?kind=…`), read like any other.
 */

const PAGE_SIZE = 50;

const Grant = graphql(`
  mutation ConsoleGrantTrusteeAccess($subjectId: ID!, $trusteeId: String!, $complaintReference: String!, $expiresAt: String!) {
    grantTrusteeAccess(subjectId: $subjectId, trusteeId: $trusteeId, complaintReference: $complaintReference, expiresAt: $expiresAt) {
      id
      expiresAt
    }
  }
`);

const Revoke = graphql(`
  mutation ConsoleRevokeTrusteeAccess($id: ID!) {
    revokeTrusteeAccess(id: $id) {
      id
      revokedAt
    }
  }
`);

interface GrantAlert {
  readonly id: string;
  readonly raisedAt: string;
  readonly subject: string | null;
  readonly details: {
    readonly record?: string;
    readonly trusteeId?: string;
    readonly complaintReference?: string;
    readonly expiresAt?: string | null;
    readonly endedAt?: string;
    readonly status?: string;
  };
}

function firstProblem(errors: readonly ApiErrorItem[], fallback: string): string {
  const first = errors[0];
  if (!first) return fallback;
  return first.extensions?.code === 'FORBIDDEN' ? 'Forbidden: your role may not do this.' : first.message;
}

/** A week from now, to the minute, as a datetime-local value. */
function inAWeek(): string {
  const date = new Date(Date.now() + 7 * 24 * 3_600_000);
  date.setSeconds(0, 0);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export const trusteeGrantsPage: Page = {
  id: 'trustee-grants',
  title: 'Trustee grants',
  roles: ['data_protection_officer'],
  async render(main) {
    const list = h('div', { 'aria-live': 'polite' });
    const problems = h('div');
    const reload = async (): Promise<void> => {
      try {
        const { alerts } = await getJson<{ alerts: GrantAlert[] }>(`/alerts?kind=TRUSTEE_ACCESS_GRANTED&first=${PAGE_SIZE}`);
        const names = await namesOfClients(alerts.flatMap((a) => (a.subject ? [a.subject] : []))).catch(() => new Map<string, string>());
        replaceChildren(
          list,
          alerts.length === 0
            ? h('p', {}, 'No trustee has been granted access.')
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  {},
                  h('caption', {}, `Grants, newest first (the latest ${PAGE_SIZE})`),
                  h(
                    'thead',
                    {},
                    h('tr', {}, ...['Granted', 'Trustee', 'Complaint', 'Whose record', 'Until', 'Status', ''].map((c) => h('th', { scope: 'col' }, c))),
                  ),
                  h(
                    'tbody',
                    {},
                    ...alerts.map((alert) => {
                      const grant = alert.details;
                      const status = grant.status ?? '—';
                      return h(
                        'tr',
                        { 'data-grant-id': grant.record },
                        h('td', {}, when(alert.raisedAt)),
                        h('td', { class: 'ref' }, grant.trusteeId ?? '—'),
                        h('td', {}, grant.complaintReference ?? '—'),
                        h(
                          'td',
                          {},
                          alert.subject && names.get(alert.subject) ? h('strong', { class: 'subject-name' }, names.get(alert.subject)) : null,
                          ' ',
                          h('span', { class: 'ref' }, alert.subject ?? '—'),
                        ),
                        h('td', {}, when(grant.expiresAt)),
                        h('td', {}, status === 'ENDED' ? `Revoked ${when(grant.endedAt)}` : status.charAt(0) + status.slice(1).toLowerCase()),
                        h(
                          'td',
                          {},
                          status === 'ACTIVE' && grant.record
                            ? h(
                                'button',
                                {
                                  type: 'button',
                                  class: 'secondary',
                                  onClick: async () => {
                                    const result = await runOperation(Revoke, { id: grant.record ?? '' });
                                    if (result.errors.length > 0)
                                      replaceChildren(problems, errorBox(firstProblem(result.errors, 'The grant was not revoked.')));
                                    else announce('Access revoked.');
                                    await reload();
                                  },
                                },
                                'Revoke',
                              )
                            : null,
                        ),
                      );
                    }),
                  ),
                ),
              ),
        );
      } catch (error) {
        replaceChildren(list, errorBox(describeError(error)));
      }
    };

    const person = personPicker('Whose record');
    const trusteeId = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: 100 });
    const complaint = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: 100 });
    const expiresAt = h('input', { type: 'datetime-local', required: true, value: inAWeek() });
    const formProblems = h('div');
    const form = h(
      'form',
      {
        class: 'card',
        onSubmit: async (event: Event) => {
          event.preventDefault();
          const subjectId = person.picked();
          if (!subjectId) {
            replaceChildren(formProblems, errorBox('Find the person and pick their record first.'));
            return;
          }
          const until = new Date(expiresAt.value);
          if (Number.isNaN(until.getTime())) {
            replaceChildren(formProblems, errorBox('Give the date and time the access ends.'));
            return;
          }
          const result = await runOperation(Grant, {
            subjectId,
            trusteeId: trusteeId.value.trim(),
            complaintReference: complaint.value.trim(),
            expiresAt: until.toISOString(),
          });
          if (result.errors.length > 0 || !result.data?.grantTrusteeAccess) {
            replaceChildren(formProblems, errorBox(firstProblem(result.errors, 'Access was not granted.')));
            return;
          }
          replaceChildren(formProblems);
          announce(`Access granted until ${when(result.data.grantTrusteeAccess.expiresAt)}.`);
          person.reset();
          await reload();
        },
      },
      h('h2', {}, 'Grant a trustee access'),
      person.element,
      field('Trustee id', trusteeId, 'The trustee’s own identifier, as the identity provider names them.'),
      field('Complaint reference', complaint),
      field('Access ends', expiresAt),
      formProblems,
      h('button', { type: 'submit' }, 'Grant access'),
    );
    replaceChildren(
      main,
      h('h1', {}, 'Trustee grants'),
      h(
        'p',
        { class: 'lede' },
        'A trustee reviewing a complaint reads one person’s record, without contact details, until the grant ends. Every grant raises an alert.',
      ),
      problems,
      list,
      form,
    );
    await reload();
  },
};
