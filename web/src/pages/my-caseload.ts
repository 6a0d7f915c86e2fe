import { describeError, runOperation } from '../api.js';
import { caseloadTable, firstError } from '../caseload.js';
import { errorBox, h, replaceChildren } from '../dom.js';
import { graphql } from '../generated/gql.js';
import type { Page } from '../page.js';

/** A support worker's own caseload. */

const MyCaseload = graphql(`
  query ConsoleMyCaseload {
    myCaseload {
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

export const myCaseloadPage: Page = {
  id: 'my-caseload',
  title: 'My caseload',
  roles: ['support_worker'],
  async render(main) {
    let body: HTMLElement;
    try {
      const { data, errors } = await runOperation(MyCaseload);
      body = data?.myCaseload ? caseloadTable(data.myCaseload, 'The clients you are keyworker for') : errorBox(firstError(errors));
    } catch (error) {
      body = errorBox(describeError(error));
    }
    replaceChildren(main, h('h1', {}, 'My caseload'), body);
  },
};
