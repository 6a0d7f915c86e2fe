import { describeError, runOperation } from '../api.js';
import { firstError } from '../caseload.js';
import { announce, errorBox, field, h, replaceChildren, when } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';

/**
 * The duty officer: home visits in progress (real name and address while the visit lasts,
 * for lone-working safety) and the emergency lookup (yes/no and whom to contact; rate-limited,
 * and a match with a restricted record alerts the DPO).
 */

const VisitsInProgress = graphql(`
  query ConsoleHomeVisitsInProgress {
    homeVisitsInProgress {
      id
      startedAt
      client {
        name
      }
      address {
        line1
        line2
        town
        postcode
      }
      worker {
        name
        workPhone
      }
    }
  }
`);

const EmergencyLookup = graphql(`
  query ConsoleEmergencyLookup($name: String!, $dateOfBirth: String!, $caller: EmergencyCallerInput!) {
    emergencyLookup(name: $name, dateOfBirth: $dateOfBirth, caller: $caller) {
      known
      contact {
        name
        workPhone
      }
    }
  }
`);

function lookupForm(): HTMLElement {
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const dateOfBirth = h('input', { type: 'date', required: true });
  const organisation = h('input', { type: 'text', required: true });
  const callerName = h('input', { type: 'text', required: true });
  const reason = h('input', { type: 'text', required: true });
  const answer = h('div', { 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'card',
      onSubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const { data, errors } = await runOperation(EmergencyLookup, {
            name: name.value.trim(),
            dateOfBirth: dateOfBirth.value,
            caller: { organisation: organisation.value.trim(), name: callerName.value.trim(), reason: reason.value.trim() },
          });
          const result = data?.emergencyLookup;
          if (!result) {
            replaceChildren(answer, errorBox(firstError(errors)));
            return;
          }
          const text = result.known
            ? `Yes, a current service user. Contact ${result.contact?.name ?? 'the team manager'}${result.contact?.workPhone ? ` on ${result.contact.workPhone}` : ''}.`
            : 'Not known to us.';
          replaceChildren(answer, h('p', { class: 'answer' }, text));
          announce(text);
        } catch (error) {
          replaceChildren(answer, errorBox(describeError(error)));
        }
      },
    },
    h('h2', {}, 'Emergency lookup'),
    h('p', { class: 'hint' }, 'Exact name and date of birth. Each lookup is on the audit trail with the caller; you have a limited number per hour.'),
    field('Name', name),
    field('Date of birth', dateOfBirth),
    field('Caller’s organisation', organisation),
    field('Caller’s name', callerName),
    field('Reason given', reason),
    h('button', { type: 'submit' }, 'Look up'),
    answer,
  );
}

export const dutyPage: Page = {
  id: 'duty',
  title: 'Duty',
  roles: ['duty_officer'],
  async render(main) {
    let visits: HTMLElement;
    try {
      const { data, errors } = await runOperation(VisitsInProgress);
      const list = data?.homeVisitsInProgress;
      visits = !list
        ? errorBox(firstError(errors))
        : list.length === 0
          ? h('p', {}, 'No home visits in progress.')
          : h(
              'ul',
              { class: 'stack plain' },
              ...list.map((visit) =>
                h(
                  'li',
                  { class: 'card' },
                  h('h3', {}, visit.client?.name ?? 'withheld'),
                  h(
                    'p',
                    {},
                    [visit.address?.line1, visit.address?.line2, visit.address?.town, visit.address?.postcode].filter(Boolean).join(', ') || 'Address withheld',
                  ),
                  h(
                    'p',
                    { class: 'hint' },
                    `${visit.worker?.name ?? 'A worker'}${visit.worker?.workPhone ? ` (${visit.worker.workPhone})` : ''}, since ${when(visit.startedAt)}`,
                  ),
                ),
              ),
            );
    } catch (error) {
      visits = errorBox(describeError(error));
    }
    replaceChildren(main, h('h1', {}, 'Duty'), h('h2', {}, 'Home visits in progress'), visits, lookupForm());
  },
};
