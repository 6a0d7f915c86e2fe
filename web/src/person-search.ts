import { runOperation } from './api.js';
import { errorBox, field, h, replaceChildren } from './dom.js';
import { graphql } from './generated/gql.js';

/**
 * The DPO finds a person by exact name and date of birth (`findPeople`, on the audit trail) and
 * picks one match, so no id is ever typed or copied from elsewhere. The answer is each match's
 * id as the DPO sees it and nothing else: the DPO may not read client records.
 */

const FindPeople = graphql(`
  query ConsoleFindPeople($person: PersonSearchInput!) {
    findPeople(person: $person) {
      id
    }
  }
`);

export interface PersonPicker {
  readonly element: HTMLElement;
  /** The picked match's id, or null until one is picked. */
  picked(): string | null;
  reset(): void;
}

export function personPicker(legend: string): PersonPicker {
  const name = h('input', { type: 'text', autocomplete: 'off', required: true });
  const dateOfBirth = h('input', { type: 'date', required: true });
  const matches = h('div', { 'aria-live': 'polite', class: 'matches' });
  let chosen: string | null = null;
  const search = async () => {
    chosen = null;
    if (name.value.trim() === '' || dateOfBirth.value === '') {
      replaceChildren(matches, errorBox('Give the name and the date of birth, as the person gave them.'));
      return;
    }
    const { data, errors } = await runOperation(FindPeople, { person: { name: name.value.trim(), dateOfBirth: dateOfBirth.value } });
    const found = data?.findPeople ?? [];
    if (errors.length > 0 && found.length === 0) {
      replaceChildren(
        matches,
        errorBox(errors[0]?.extensions?.code === 'FORBIDDEN' ? 'Forbidden: your role may not do this.' : (errors[0]?.message ?? 'The search failed.')),
      );
      return;
    }
    if (found.length === 0) {
      replaceChildren(matches, h('p', {}, 'No one matches that name and date of birth exactly.'));
      return;
    }
    // One match is picked for you; two or more (the same person referred twice) are a choice.
    chosen = found.length === 1 ? (found[0]?.id ?? null) : null;
    const group = `m-${Math.random().toString(36).slice(2, 10)}`;
    replaceChildren(
      matches,
      h(
        'fieldset',
        { class: 'plain' },
        h('legend', {}, found.length === 1 ? 'One record matches' : `${found.length} records match: pick the one the request is about`),
        ...found.map((person, index) =>
          h(
            'label',
            { class: 'inline match' },
            h('input', {
              type: 'radio',
              name: group,
              value: person.id,
              checked: found.length === 1,
              onChange: () => {
                chosen = person.id;
              },
            }),
            `Record ${index + 1} `,
            h('span', { class: 'ref' }, person.id),
          ),
        ),
      ),
    );
  };
  const element = h(
    'fieldset',
    { class: 'person-search' },
    h('legend', {}, legend),
    field('Name', name, 'Exactly as the person gave it; case and spacing do not matter.'),
    field('Date of birth', dateOfBirth),
    h('button', { type: 'button', class: 'secondary', onClick: () => void search() }, 'Find'),
    matches,
  );
  return {
    element,
    picked: () => chosen,
    reset: () => {
      chosen = null;
      name.value = '';
      dateOfBirth.value = '';
      replaceChildren(matches);
    },
  };
}
