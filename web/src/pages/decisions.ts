import { CursorPages } from '../cursor-pages.js';
import { runOperation, type ApiErrorItem } from '../api.js';
import { announce, errorBox, field, h, replaceChildren, when } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { DataCategory } from '../generated/graphql.js';
import type { Page } from '../page.js';
import { session } from '../session.js';

/**
 * Decisions not to share (Caldicott: a refusal to disclose is recorded too). A safeguarding
 * officer or a team manager records one; the DPO lists them, a page at a time. A team manager
 * picks the client from their own team's caseload (through `me`), so no id is typed; the
 * safeguarding lead, who acts for any client, gives the client's id as they see it.
 */

const PAGE_SIZE = 20;
const CATEGORIES: readonly DataCategory[] = ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES', 'HOME_VISITS'];

const Decisions = graphql(`
  query ConsoleDecisionsNotToShare($first: Int!, $after: ID) {
    decisionsNotToShare(first: $first, after: $after) {
      hasNextPage
      nodes {
        id
        requestingOrganisation
        purpose
        dataCategories
        reason
        decidedAt
        decidedBy {
          name
        }
        subject {
          id
          name
        }
      }
    }
  }
`);

const RecordDecision = graphql(`
  mutation ConsoleRecordDecisionNotToShare($subjectId: ID!, $requestingOrganisation: String!, $purpose: String!, $dataCategories: [DataCategory!]!, $reason: String!) {
    recordDecisionNotToShare(subjectId: $subjectId, requestingOrganisation: $requestingOrganisation, purpose: $purpose, dataCategories: $dataCategories, reason: $reason) {
      id
      decidedAt
    }
  }
`);

const MyTeamClients = graphql(`
  query ConsoleMyTeamClients {
    me {
      team {
        id
      }
    }
  }
`);

const TeamClients = graphql(`
  query ConsoleTeamClientsForDecision($teamId: ID!) {
    teamCaseload(teamId: $teamId) {
      id
      name
    }
  }
`);

function firstProblem(errors: readonly ApiErrorItem[], fallback: string): string {
  const first = errors[0];
  if (!first) return fallback;
  return first.extensions?.code === 'FORBIDDEN' ? 'Forbidden: your role may not do this.' : first.message;
}

const humanCategory = (c: string) => c.charAt(0) + c.slice(1).toLowerCase().replace(/_/g, ' ');

/** The client the decision is about: a team manager's own clients by name, otherwise an id. */
async function subjectControl(): Promise<HTMLSelectElement | HTMLInputElement> {
  if (session()?.role !== 'team_manager') return h('input', { type: 'text', autocomplete: 'off', required: true });
  const me = await runOperation(MyTeamClients);
  const teamId = me.data?.me?.team?.id;
  const clients = teamId ? ((await runOperation(TeamClients, { teamId })).data?.teamCaseload ?? []) : [];
  return h('select', { required: true }, h('option', { value: '' }, 'Choose a client'), ...clients.map((c) => h('option', { value: c.id }, c.name ?? c.id)));
}

async function recordForm(): Promise<HTMLElement> {
  const subject = await subjectControl();
  const organisation = h('input', { type: 'text', autocomplete: 'organization', required: true, maxlength: 200 });
  const purpose = h('input', { type: 'text', required: true, maxlength: 500 });
  const boxes = CATEGORIES.map((c) => h('input', { type: 'checkbox', value: c }));
  const reason = h('textarea', { rows: 3, required: true, maxlength: 2000 });
  const problems = h('div');
  return h(
    'form',
    {
      class: 'card',
      onSubmit: async (event: Event) => {
        event.preventDefault();
        const dataCategories = boxes.filter((b) => b.checked).map((b) => b.value as DataCategory);
        if (subject.value.trim() === '' || dataCategories.length === 0) {
          replaceChildren(problems, errorBox('Choose the client and at least one category asked for.'));
          return;
        }
        const result = await runOperation(RecordDecision, {
          subjectId: subject.value.trim(),
          requestingOrganisation: organisation.value.trim(),
          purpose: purpose.value.trim(),
          dataCategories,
          reason: reason.value.trim(),
        });
        if (result.errors.length > 0 || !result.data?.recordDecisionNotToShare) {
          replaceChildren(problems, errorBox(firstProblem(result.errors, 'The decision was not recorded.')));
          return;
        }
        replaceChildren(problems, h('p', { class: 'answer', role: 'status' }, `Recorded ${when(result.data.recordDecisionNotToShare.decidedAt)}.`));
        announce('Decision not to share recorded.');
        for (const control of [organisation, purpose, reason]) control.value = '';
        for (const box of boxes) box.checked = false;
      },
    },
    h('h2', {}, 'Record a decision not to share'),
    field(
      session()?.role === 'team_manager' ? 'Client' : 'Client id',
      subject,
      session()?.role === 'team_manager' ? 'Your team’s clients.' : 'The client’s id as you see it (for example on a break-glass).',
    ),
    field('Requesting organisation', organisation),
    field('Purpose they gave', purpose),
    h(
      'fieldset',
      { class: 'categories' },
      h('legend', {}, 'What they asked for'),
      ...boxes.map((box, i) => h('label', { class: 'inline' }, box, humanCategory(CATEGORIES[i] ?? ''))),
    ),
    field('Why it was refused', reason, 'Kept for the DPO; the person’s export shows the decision without this reason.'),
    problems,
    h('button', { type: 'submit' }, 'Record decision'),
  );
}

function decisionsList(): { element: HTMLElement; reload: () => Promise<void> } {
  const list = h('div', { 'aria-live': 'polite' });
  const pager = h('div', { class: 'buttons pager' });
  const pages = new CursorPages<string>();
  const reload = async (): Promise<void> => {
    const { data, errors } = await runOperation(Decisions, { first: PAGE_SIZE, after: pages.after });
    const page = data?.decisionsNotToShare;
    if (!page) {
      replaceChildren(list, errorBox(firstProblem(errors, 'The decisions could not be read.')));
      return;
    }
    const nodes = page.nodes ?? [];
    replaceChildren(
      list,
      nodes.length === 0
        ? h('p', {}, 'No decisions recorded.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              {},
              h('caption', {}, `Decisions, newest first (page ${pages.number})`),
              h(
                'thead',
                {},
                h('tr', {}, ...['Decided', 'By', 'Organisation and purpose', 'Asked for', 'Why refused', 'Subject'].map((c) => h('th', { scope: 'col' }, c))),
              ),
              h(
                'tbody',
                {},
                ...nodes.map((d) =>
                  h(
                    'tr',
                    { 'data-decision-id': d.id },
                    h('td', {}, when(d.decidedAt)),
                    h('td', {}, d.decidedBy?.name ?? '—'),
                    h('td', {}, d.requestingOrganisation ?? '—', h('br'), h('span', { class: 'note' }, d.purpose ?? '')),
                    h('td', {}, (d.dataCategories ?? []).map(humanCategory).join(', ')),
                    h('td', {}, d.reason ?? '—'),
                    h(
                      'td',
                      {},
                      d.subject?.name ? h('strong', { class: 'subject-name' }, d.subject.name) : null,
                      ' ',
                      h('span', { class: 'ref' }, d.subject?.id ?? '—'),
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
    const lastId = nodes.at(-1)?.id ?? null;
    replaceChildren(pager, ...pages.buttons(page.hasNextPage ? lastId : null, reload));
  };
  return { element: h('div', {}, list, pager), reload };
}

export const decisionsPage: Page = {
  id: 'decisions',
  title: 'Decisions not to share',
  roles: ['data_protection_officer', 'safeguarding_officer', 'team_manager'],
  async render(main) {
    const dpo = session()?.role === 'data_protection_officer';
    if (dpo) {
      const list = decisionsList();
      replaceChildren(
        main,
        h('h1', {}, 'Decisions not to share'),
        h(
          'p',
          { class: 'lede' },
          'Requests for disclosure that were refused, with what was asked for and why. Each appears in the person’s subject access export.',
        ),
        list.element,
      );
      await list.reload();
      return;
    }
    replaceChildren(
      main,
      h('h1', {}, 'Decisions not to share'),
      h(
        'p',
        { class: 'lede' },
        'When another organisation asks for a client’s information and you refuse, record the decision: who asked, for what, and why not. The data protection officer reviews them.',
      ),
      await recordForm(),
    );
  },
};
