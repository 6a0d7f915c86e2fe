/** One page of the console: who may open it, and how it draws itself into <main>. */
export interface Page {
  readonly id: string;
  readonly title: string;
  /** Roles that see it in the navigation; 'dev' pages appear whenever demo sign-in is offered. */
  readonly roles: readonly string[] | 'dev';
  render(main: HTMLElement): Promise<void>;
}
