import { devInfo } from './dev.js';
import { h, replaceChildren } from './dom.js';
import type { Page } from './page.js';
import { alertsPage } from './pages/alerts.js';
import { auditPage } from './pages/audit.js';
import { decisionsPage } from './pages/decisions.js';
import { dutyPage } from './pages/duty.js';
import { myCaseloadPage } from './pages/my-caseload.js';
import { roleLensPage } from './pages/role-lens.js';
import { signInPage } from './pages/sign-in.js';
import { subjectAccessPage } from './pages/subject-access.js';
import { teamCaseloadPage } from './pages/team-caseload.js';
import { trusteeGrantsPage } from './pages/trustee-grants.js';
import { onSessionChange, session, signOut } from './session.js';

/**
 * The console: hash routes (#/alerts, #/lens, …), a navigation of the pages the signed-in
 * role may use, and sign-in when no one is. Which pages a role sees is convenience only; the
 * gateway decides what each request gets.
 */

const PAGES: readonly Page[] = [
  alertsPage,
  auditPage,
  subjectAccessPage,
  decisionsPage,
  trusteeGrantsPage,
  teamCaseloadPage,
  myCaseloadPage,
  dutyPage,
  roleLensPage,
];

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;

async function visiblePages(): Promise<Page[]> {
  const role = session()?.role;
  const dev = (await devInfo()) !== null;
  return PAGES.filter((page) => (page.roles === 'dev' ? dev : role !== undefined && page.roles.includes(role)));
}

function currentId(): string {
  return location.hash.replace(/^#\/?/, '');
}

async function route(): Promise<void> {
  const pages = await visiblePages();
  const id = currentId();
  const current = session();
  let page = pages.find((p) => p.id === id);
  if (!page && !current) page = id === roleLensPage.id ? undefined : signInPage;
  if (!page) page = pages[0] ?? signInPage;
  if (page !== signInPage && page.id !== id) {
    location.replace(`#/${page.id}`);
    return;
  }
  replaceChildren(
    nav,
    h(
      'ul',
      {},
      ...pages.map((p) => h('li', {}, h('a', { href: `#/${p.id}`, 'aria-current': p === page ? 'page' : undefined }, p.title))),
      !current ? h('li', {}, h('a', { href: '#/sign-in', 'aria-current': page === signInPage ? 'page' : undefined }, 'Sign in')) : null,
    ),
  );
  replaceChildren(
    who,
    current ? [h('span', {}, `Signed in: ${current.label}`), h('button', { type: 'button', class: 'secondary', onClick: () => signOut() }, 'Sign out')] : null,
  );
  document.title = `${page.title} · needtoknow console`;
  // Pages draw off-screen and only the latest navigation's page is shown, so a slow page
  // finishing late never replaces (and empties) the form someone is already filling in.
  const seq = ++renders;
  const draft = document.createElement('div');
  main.setAttribute('aria-busy', 'true');
  await page.render(draft);
  if (seq !== renders) return;
  main.replaceChildren(...draft.childNodes);
  main.setAttribute('aria-busy', 'false');
}

let renders = 0;

window.addEventListener('hashchange', () => void route());
onSessionChange(() => {
  // Land on the role's first page after signing in, on sign-in after signing out.
  if (location.hash !== '' && location.hash !== '#') location.hash = '';
  else void route();
  main.focus();
});
void route();
