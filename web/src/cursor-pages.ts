import { h, type Child } from './dom.js';

/**
 * Forward-only cursor paging, as every list the API pages with `after` needs: the cursors of the
 * pages seen so far, so Previous goes back without the API paging backwards.
 */
export class CursorPages<C extends string | number> {
  #cursors: (C | null)[] = [null];

  /** The cursor to ask for the current page with (null: the first page). */
  get after(): C | null {
    return this.#cursors.at(-1) ?? null;
  }

  /** The current page's number, from 1. */
  get number(): number {
    return this.#cursors.length;
  }

  /** Back to the first page (a filter changed). */
  reset(): void {
    this.#cursors = [null];
  }

  /** Previous and Next buttons; `next` is the cursor after this page, or null on the last one. */
  buttons(next: C | null | undefined, reload: () => Promise<void>): Child[] {
    const go = (cursors: (C | null)[]) => () => {
      this.#cursors = cursors;
      void reload();
    };
    return [
      this.#cursors.length > 1 ? h('button', { type: 'button', class: 'secondary', onClick: go(this.#cursors.slice(0, -1)) }, 'Previous page') : null,
      next !== null && next !== undefined ? h('button', { type: 'button', class: 'secondary', onClick: go([...this.#cursors, next]) }, 'Next page') : null,
    ];
  }
}
