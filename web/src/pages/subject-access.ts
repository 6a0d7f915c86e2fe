import { CursorPages } from '../cursor-pages.js';
import { describeError, download, runOperation, type ApiErrorItem } from '../api.js';
import { announce, errorBox, field, h, replaceChildren } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { SubjectAccessRegisterFilter } from '../generated/graphql.js';
import type { Page } from '../page.js';
import { personPicker } from '../person-search.js';

/**
 * The DPO's register of subject access requests (`subjectAccessRegister`, a page at a time,
 * filtered due / overdue / extended / completed), the export for each request, completing and
 * extending one (UK GDPR Art. 12(3)), and logging a new one for a person found by name and date
 * of birth (`findPeople`), so no id is typed.
 */

const PAGE_SIZE = 20;

const Register = graphql(`
  query ConsoleSubjectAccessRegister($filter: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) {
    subjectAccessRegister(filter: $filter, first: $first, after: $after) {
      hasNextPage
      nodes {
        id
        receivedOn
        dueOn
        originalDueOn
        overdue
        status
        completedAt
        extended
        extension {
          months
          reason
          personToldOn
        }
        subject {
          id
          name
        }
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

const ExtendRequest = graphql(`
  mutation ConsoleExtendSubjectAccessRequest($id: ID!, $months: Int!, $personToldOn: String!, $reason: String!) {
    extendSubjectAccessRequest(id: $id, months: $months, personToldOn: $personToldOn, reason: $reason) {
      id
      dueOn
      extended
    }
  }
`);

const FILTERS: readonly { value: SubjectAccessRegisterFilter; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'DUE', label: 'Due (open, in time)' },
  { value: 'OVERDUE', label: 'Overdue' },
  { value: 'EXTENDED', label: 'Extended' },
  { value: 'COMPLETED', label: 'Completed' },
];

const today = () => new Date().toISOString().slice(0, 10);

function firstProblem(errors: readonly ApiErrorItem[], fallback: string): string {
  const first = errors[0];
  if (!first) return fallback;
  return first.extensions?.code === 'FORBIDDEN' ? 'Forbidden: your role may not do this.' : first.message;
}

/** Extending needs the months, the day the person was told and why: Art. 12(3). */
function extendForm(id: string, done: (message: string) => Promise<void>): HTMLElement {
  const months = h('select', {}, h('option', { value: '1' }, '1 month'), h('option', { value: '2' }, '2 months'));
  const toldOn = h('input', { type: 'date', required: true, value: today() });
  const reason = h('textarea', { rows: 2, maxlength: 2000, required: true });
  const problems = h('div');
  return h(
    'details',
    { class: 'extend' },
    h('summary', {}, 'Extend'),
    h(
      'form',
      {
        onSubmit: async (event: Event) => {
          event.preventDefault();
          const result = await runOperation(ExtendRequest, { id, months: Number(months.value), personToldOn: toldOn.value, reason: reason.value.trim() });
          if (result.errors.length > 0 || !result.data?.extendSubjectAccessRequest) {
            replaceChildren(problems, errorBox(firstProblem(result.errors, 'The request was not extended.')));
            return;
          }
          await done(`Extended: now due ${result.data.extendSubjectAccessRequest.dueOn ?? ''}.`);
        },
      },
      field('Further months', months),
      field('Person told on', toldOn, 'Within the first month, with the reasons.'),
      field('Reason', reason, 'Why the request is complex or numerous; it is kept with the request.'),
      problems,
      h('button', { type: 'submit' }, 'Extend the deadline'),
    ),
  );
}

export const subjectAccessPage: Page = {
  id: 'subject-access',
  title: 'Subject access',
  roles: ['data_protection_officer'],
  async render(main) {
    const filter = h('select', { name: 'filter' }, ...FILTERS.map((f) => h('option', { value: f.value }, f.label)));
    const register = h('div', { 'aria-live': 'polite' });
    const pager = h('div', { class: 'buttons pager' });
    const problems = h('div');
    const pages = new CursorPages<string>();
    const reload = async (): Promise<void> => {
      const after = pages.after;
      try {
        const { data, errors } = await runOperation(Register, { filter: filter.value as SubjectAccessRegisterFilter, first: PAGE_SIZE, after });
        const page = data?.subjectAccessRegister;
        if (!page) throw new Error(firstProblem(errors, 'The register could not be read.'));
        const requests = page.nodes ?? [];
        const refresh = async (message: string) => {
          announce(message);
          await reload();
        };
        replaceChildren(
          register,
          requests.length === 0
            ? h('p', {}, 'No requests match.')
            : h(
                'div',
                { class: 'table-wrap' },
                h(
                  'table',
                  {},
                  h('caption', {}, `Requests, soonest due first (page ${pages.number})`),
                  h('thead', {}, h('tr', {}, ...['Received', 'Due', 'Status', 'Subject', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
                  h(
                    'tbody',
                    {},
                    ...requests.map((request) =>
                      h(
                        'tr',
                        { class: request.overdue ? 'overdue' : undefined, 'data-request-id': request.id },
                        h('td', {}, request.receivedOn ?? '—'),
                        h(
                          'td',
                          {},
                          request.dueOn ?? '—',
                          request.overdue ? h('strong', { class: 'badge badge-warn' }, 'overdue') : null,
                          request.extended
                            ? h('span', { class: 'badge' }, `extended ${request.extension?.months ?? ''} mo. from ${request.originalDueOn ?? ''}`)
                            : null,
                          request.extension?.reason
                            ? h('p', { class: 'note' }, `Told ${request.extension.personToldOn ?? ''}: ${request.extension.reason}`)
                            : null,
                        ),
                        h('td', {}, request.status ?? '—'),
                        h(
                          'td',
                          {},
                          request.subject?.name ? h('strong', { class: 'subject-name' }, request.subject.name) : null,
                          ' ',
                          h('span', { class: 'ref' }, request.subject?.id ?? '—'),
                        ),
                        h(
                          'td',
                          { class: 'buttons' },
                          h(
                            'button',
                            {
                              type: 'button',
                              onClick: () =>
                                void download(
                                  `/subject-access/export?request=${encodeURIComponent(request.id)}`,
                                  `subject-access-${request.receivedOn ?? 'export'}.json`,
                                ).catch((error: unknown) => replaceChildren(problems, errorBox(describeError(error)))),
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
                                    if (result.errors.length > 0) replaceChildren(problems, errorBox(firstProblem(result.errors, 'Failed')));
                                    await refresh('Request marked complete.');
                                  },
                                },
                                'Mark complete',
                              )
                            : null,
                          request.status === 'OPEN' && !request.extended ? extendForm(request.id, refresh) : null,
                        ),
                      ),
                    ),
                  ),
                ),
              ),
        );
        const lastId = requests.at(-1)?.id ?? null;
        replaceChildren(pager, ...pages.buttons(page.hasNextPage ? lastId : null, reload));
      } catch (error) {
        replaceChildren(register, errorBox(error instanceof Error && error.message ? error.message : describeError(error)));
        replaceChildren(pager);
      }
    };
    filter.addEventListener('change', () => {
      pages.reset();
      void reload();
    });

    const person = personPicker('Whose request');
    const receivedOn = h('input', { type: 'date', required: true, value: today() });
    const logProblems = h('div');
    const logForm = h(
      'form',
      {
        class: 'card',
        onSubmit: async (event: Event) => {
          event.preventDefault();
          const subjectId = person.picked();
          if (!subjectId) {
            replaceChildren(logProblems, errorBox('Find the person and pick their record first.'));
            return;
          }
          const result = await runOperation(LogRequest, { subjectId, receivedOn: receivedOn.value });
          if (result.errors.length > 0 || !result.data?.logSubjectAccessRequest) {
            replaceChildren(logProblems, errorBox(firstProblem(result.errors, 'The request was not logged.')));
            return;
          }
          replaceChildren(logProblems);
          announce(`Request logged, due ${result.data.logSubjectAccessRequest.dueOn ?? ''}.`);
          person.reset();
          pages.reset();
          await reload();
        },
      },
      h('h2', {}, 'Log a request'),
      person.element,
      field('Received on', receivedOn),
      logProblems,
      h('button', { type: 'submit' }, 'Log request'),
    );
    replaceChildren(
      main,
      h('h1', {}, 'Subject access requests'),
      h(
        'p',
        { class: 'lede' },
        'Due one calendar month after receipt; extendable once by up to two months if the person is told within the first. An export carries no one else’s data; review it before sending.',
      ),
      h('div', { class: 'toolbar' }, field('Show', filter)),
      problems,
      register,
      pager,
      logForm,
    );
    await reload();
  },
};
