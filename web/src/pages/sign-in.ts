import { describeError } from '../api.js';
import { devInfo, devToken } from '../dev.js';
import { errorBox, field, h, replaceChildren } from '../dom.js';
import type { Page } from '../page.js';
import { sessionFromToken, signIn } from '../session.js';

/**
 * Signing in. Production: paste a bearer token issued by the charity's identity provider.
 * Development: pick a demo persona and the console server mints a token for it. Either way
 * the token is kept in memory only.
 */
export const signInPage: Page = {
  id: 'sign-in',
  title: 'Sign in',
  roles: [],
  async render(main) {
    const problems = h('div');
    const tokenInput = h('textarea', { rows: 4, autocomplete: 'off', spellcheck: 'false', required: true });
    const pasteForm = h(
      'form',
      {
        class: 'card',
        onSubmit: (event: Event) => {
          event.preventDefault();
          const result = sessionFromToken(tokenInput.value);
          if (typeof result === 'string') replaceChildren(problems, errorBox(result));
          else signIn(result);
        },
      },
      h('h2', {}, 'With a token from your identity provider'),
      field(
        'Bearer token',
        tokenInput,
        'Paste the access token your sign-in service gave you. It stays in this tab’s memory and is gone when you close or reload it.',
      ),
      h('button', { type: 'submit' }, 'Sign in with this token'),
    );

    const dev = await devInfo();
    let devForm: HTMLElement | null = null;
    if (dev) {
      const select = h('select', { name: 'persona' }, ...dev.personas.map((p) => h('option', { value: p.key }, p.label)));
      devForm = h(
        'form',
        {
          class: 'card',
          onSubmit: async (event: Event) => {
            event.preventDefault();
            const persona = dev.personas.find((p) => p.key === select.value);
            if (!persona) return;
            try {
              const result = sessionFromToken(await devToken(persona.key), persona.label);
              if (typeof result === 'string') replaceChildren(problems, errorBox(result));
              else signIn(result);
            } catch (error) {
              replaceChildren(problems, errorBox(describeError(error)));
            }
          },
        },
        h('h2', {}, 'Demo sign-in (development only)'),
        field('Demo persona', select, 'Invented people from the demo data. This is not offered in production.'),
        h('button', { type: 'submit' }, 'Sign in as this persona'),
      );
    }
    replaceChildren(main, h('h1', {}, 'Sign in'), problems, devForm, pasteForm);
  },
};
