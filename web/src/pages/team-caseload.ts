import { describeError, runOperation } from '../api.js';
import { caseloadTable, firstError } from '../caseload.js';
import { errorBox, field, h, replaceChildren } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';

/**
 * A team manager's caseload: their team's open clients, restricted ones included, with the
 * restricted notices as the policy shows them to the manager.
 *
 * Which team is theirs comes from `me { team }` (the token's team claim is a raw id the gateway
 * would refuse); the list of teams stays as a fallback while `me` is new, preselected to it.
 * Another team's caseload answers Forbidden.
 */

const MyTeam = graphql(`
  query ConsoleMyTeam {
    me {
      team {
        id
        name
      }
    }
  }
`);

const Teams = graphql(`
  query ConsoleTeams {
    teams {
      id
      name
    }
  }
`);

const TeamCaseload = graphql(`
  query ConsoleTeamCaseload($teamId: ID!) {
    teamCaseload(teamId: $teamId) {
      id
      name
      status
      services
      keyworkers {
        name
      }
      restriction {
        reason
        contact {
          name
          workPhone
        }
      }
    }
  }
`);

export const teamCaseloadPage: Page = {
  id: 'team-caseload',
  title: 'Team caseload',
  roles: ['team_manager'],
  async render(main) {
    const result = h('div', { 'aria-live': 'polite' });
    let list: readonly { id: string; name?: string | null }[] = [];
    try {
      const { data, errors } = await runOperation(Teams);
      if (!data?.teams) throw new Error(firstError(errors));
      list = data.teams;
    } catch (error) {
      replaceChildren(main, h('h1', {}, 'Team caseload'), errorBox(error instanceof Error && !('code' in error) ? error.message : describeError(error)));
      return;
    }
    const select = h(
      'select',
      { name: 'team' },
      h('option', { value: '' }, 'Choose your team'),
      ...list.map((team) => h('option', { value: team.id }, team.name ?? team.id)),
    );
    const load = async () => {
      if (select.value === '') {
        replaceChildren(result);
        return;
      }
      try {
        const { data, errors } = await runOperation(TeamCaseload, { teamId: select.value });
        const clients = data?.teamCaseload;
        const name = select.selectedOptions[0]?.textContent ?? 'the team';
        replaceChildren(result, clients ? caseloadTable(clients, `Open clients of ${name}`) : errorBox(firstError(errors)));
      } catch (error) {
        replaceChildren(result, errorBox(describeError(error)));
      }
    };
    select.addEventListener('change', () => void load());
    const mine = await runOperation(MyTeam).catch(() => null);
    const myTeamId = mine?.data?.me?.team?.id;
    if (myTeamId && list.some((team) => team.id === myTeamId)) select.value = myTeamId;
    replaceChildren(
      main,
      h('h1', {}, 'Team caseload'),
      h('p', { class: 'lede' }, 'Your team’s open clients. Restricted records show who to contact; you see the reason because you manage the team.'),
      h('div', { class: 'toolbar' }, field('Team', select, 'You can open your own team only.')),
      result,
    );
    await load();
  },
};
