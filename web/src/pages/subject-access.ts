import { describeError, download, runOperation } from '../api.js';
import { announce, errorBox, field, h, replaceChildren } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';

/**
 * The DPO's register of subject access requests: due and overdue, the export for each logged
 * request (`GET /subject-access/export?request=`), logging a request and completing it.
 * Finding a new person's id by name and date of birth, and extensions, come with the oversight
 * API (issue 10); until then a request is logged with the subject's id as the DPO sees it.
 */

const Register = graphql(`
  query ConsoleSubjectAccessRegister($overdueOnly: Boolean!) {
    subjectAccessRequests(overdueOnly: $overdueOnly) {
      id
      receivedOn
      dueOn
      overdue
      status
      completedAt
      subject {
        id
      }
    }
  }
`);

const LogRequest = graphql(`
  mutation ConsoleLogSubjectAccessRequest($subjectId: ID!, $receivedOn: String!) {
    logSubjectAccessRequest(subjectId: $subjectId, receivedOn: $receivedOn) {
      id
      dueOn
    }
  }
`);

const CompleteRequest = graphql(`
  mutation ConsoleCompleteSubjectAccessRequest($id: ID!) {
    completeSubjectAccessRequest(id: $id) {
      id
      status
    }
  }
`);

export const subjectAccessPage: Page = {
  id: 'subject-access',
  title: 'Subject access',
  roles: ['data_protection_officer'],
  async render(main) {
    const overdueOnly = h('input', { type: 'checkbox' });
    const register = h('div', { 'aria-live': 'polite' });
    const problems = h('div');
    const reload = async () => {
      try {
        const { data, errors } = await runOperation(Register, { overdueOnly: overdueOnly.checked });
        const requests = data?.subjectAccessRequests ?? [];
        if (errors.length > 0 && requests.length === 0) throw new Error(errors[0]?.message);
        replaceChildren(
          register,
          requests.length === 0
            ? h('p', {}, 'No requests on the register.')
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  {},
                  h('caption', {}, 'Requests, soonest due first'),
                  h('thead', {}, h('tr', {}, ...['Received', 'Due', 'Status', 'Subject', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
                  h(
                    'tbody',
                    {},
                    ...requests.map((request) =>
                      h(
                        'tr',
                        { class: request.overdue ? 'overdue' : undefined },
                        h('td', {}, request.receivedOn ?? '—'),
                        h('td', {}, request.dueOn ?? '—', request.overdue ? h('strong', { class: 'badge badge-warn' }, ' overdue') : null),
                        h('td', {}, request.status ?? '—'),
                        h('td', { class: 'ref' }, request.subject?.id ?? '—'),
                        h(
                          'td',
                          { class: 'buttons' },
                          h(
                            'button',
                            {
                              type: 'button',
                              onClick: () =>
                                void download(`/subject-access/export?request=${encodeURIComponent(request.id)}`, `subject-access-${request.receivedOn ?? 'export'}.json`).catch((error: unknown) =>
                                  replaceChildren(problems, errorBox(describeError(error))),
                                ),
                            },
                            'Download export',
                          ),
                          request.status === 'OPEN'
                            ? h(
                                'button',
                                {
                                  type: 'button',
                                  class: 'secondary',
                                  onClick: async () => {
                                    const result = await runOperation(CompleteRequest, { id: request.id });
                                    if (result.errors.length > 0) replaceChildren(problems, errorBox(result.errors[0]?.message ?? 'Failed'));
                                    else announce('Request marked complete.');
                                    await reload();
                                  },
                                },
                                'Mark complete',
                              )
                            : null,
                        ),
                      ),
                    ),
                  ),
                ),
              ),
        );
      } catch (error) {
        replaceChildren(register, errorBox(describeError(error)));
      }
    };
    overdueOnly.addEventListener('change', () => void reload());

    const subjectId = h('input', { type: 'text', required: true, autocomplete: 'off' });
    const receivedOn = h('input', { type: 'date', required: true, value: new Date().toISOString().slice(0, 10) });
    const logForm = h(
      'form',
      {
        class: 'card',
        onSubmit: async (event: Event) => {
          event.preventDefault();
          const result = await runOperation(LogRequest, { subjectId: subjectId.value.trim(), receivedOn: receivedOn.value });
          if (result.errors.length > 0 || !result.data?.logSubjectAccessRequest) {
            replaceChildren(problems, errorBox(result.errors[0]?.message ?? 'The request was not logged.'));
            return;
          }
          announce(`Request logged, due ${result.data.logSubjectAccessRequest.dueOn ?? ''}.`);
          subjectId.value = '';
          await reload();
        },
      },
      h('h2', {}, 'Log a request'),
      field('Subject id', subjectId, 'The person’s id as you see it (from the audit trail or an alert).'),
      field('Received on', receivedOn),
      h('button', { type: 'submit' }, 'Log request'),
    );
    replaceChildren(
      main,
      h('h1', {}, 'Subject access requests'),
      h('p', { class: 'lede' }, 'Due one calendar month after receipt. An export carries no one else’s data; review it before sending.'),
      h('label', { class: 'inline' }, overdueOnly, ' Overdue only'),
      problems,
      register,
      logForm,
    );
    await reload();
  },
};
