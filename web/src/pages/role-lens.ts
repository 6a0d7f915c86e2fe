import { describeError } from '../api.js';
import { devInfo, type LensPerson } from '../dev.js';
import { errorBox, field, h, replaceChildren } from '../dom.js';
import { lensColumns, type LensColumn } from '../lens/lens-columns.js';
import type { Page } from '../page.js';

/**
 * The role lens (development only: it mints demo tokens): one demo person, and side by side what
 * each role gets for them through the API. For a person who is both an employee and a client it
 * leads with the two records, HR's and the keyworker's, and checks on the page that nothing in
 * them links one to the other.
 */

function columnView(column: LensColumn): HTMLElement {
  const headingId = `lens-${column.key}`;
  return h(
    'section',
    { class: 'lens-column card', 'aria-labelledby': headingId, 'data-lens-column': column.key },
    h('h3', { id: headingId }, column.title),
    h('p', { class: 'hint' }, column.who),
    h(
      'dl',
      { class: 'details' },
      h('dt', {}, 'Id this role holds'),
      h('dd', { class: 'ref' }, column.id ?? 'none'),
      ...column.rows.map((row) => [h('dt', {}, row.label), h('dd', { class: row.withheld ? 'withheld' : undefined }, row.value)]),
    ),
    column.note ? h('p', { class: 'note' }, column.note) : null,
  );
}

/** What the two records have in common beyond the person's own name and date of birth. */
function sharedBetween(a: LensColumn, b: LensColumn, person: LensPerson): string[] {
  const own = new Set([person.name, person.dateOfBirth ?? '']);
  const values = (c: LensColumn) =>
    new Set([c.id ?? '', ...c.rows.filter((r) => !r.withheld).map((r) => r.value)].filter((v) => v !== '' && v !== 'none' && !own.has(v)));
  const inB = values(b);
  return [...values(a)].filter((v) => inB.has(v));
}

function twoRecords(hr: LensColumn, care: LensColumn, person: LensPerson): HTMLElement {
  const shared = sharedBetween(hr, care, person);
  return h(
    'section',
    { class: 'lens-pair', 'aria-labelledby': 'lens-pair-heading' },
    h('h2', { id: 'lens-pair-heading' }, `One person, two records: ${person.name}`),
    h('div', { class: 'pair' }, columnView(hr), h('div', { class: 'pair-gap', 'aria-hidden': 'true' }, '≠'), columnView(care)),
    h(
      'p',
      { class: shared.length === 0 ? 'verdict ok' : 'verdict bad', 'data-verdict': shared.length === 0 ? 'unlinked' : 'linked' },
      shared.length === 0
        ? 'What links them: nothing. Different ids, no field of one leads to the other, and neither says the other exists. Only the person’s own name and date of birth appear in both, as on any two files about one person.'
        : `Linked by: ${shared.join(', ')}`,
    ),
  );
}

export const roleLensPage: Page = {
  id: 'lens',
  title: 'Role lens',
  roles: 'dev',
  async render(main) {
    const dev = await devInfo();
    if (!dev) {
      replaceChildren(main, h('h1', {}, 'Role lens'), h('p', {}, 'The role lens is available in development only.'));
      return;
    }
    const select = h('select', { name: 'person' }, ...dev.lens.people.map((p) => h('option', { value: p.key }, `${p.name}: ${p.description}`)));
    const output = h('div', { 'aria-live': 'polite', 'aria-busy': 'false' });
    const show = async () => {
      const person = dev.lens.people.find((p) => p.key === select.value);
      if (!person) return;
      output.setAttribute('aria-busy', 'true');
      replaceChildren(output, h('p', {}, `Asking each role about ${person.name}…`));
      try {
        const columns = await lensColumns(person);
        const hr = columns.find((c) => c.key === 'hr');
        const care = columns.find((c) => c.key === 'keyworker');
        const pair = person.alsoEmployee && hr && care;
        replaceChildren(
          output,
          pair ? twoRecords(hr, care, person) : null,
          h('h2', {}, pair ? 'Every other role' : `What each role gets for ${person.name}`),
          h('div', { class: 'lens-grid' }, ...columns.filter((c) => !pair || (c !== hr && c !== care)).map(columnView)),
        );
      } catch (error) {
        replaceChildren(output, errorBox(describeError(error)));
      }
      output.setAttribute('aria-busy', 'false');
    };
    select.addEventListener('change', () => void show());
    replaceChildren(
      main,
      h('h1', {}, 'Role lens'),
      h(
        'p',
        { class: 'lede' },
        'Pick a demo person and see what each role gets for them, each asked through the API with that role’s own token. Development only.',
      ),
      h('div', { class: 'toolbar' }, field('Person', select)),
      output,
    );
    await show();
  },
};
