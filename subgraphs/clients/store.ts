import DataLoader from 'dataloader';
import type { Db, Filter } from 'mongodb';
import type { LookupShape } from '../shared/config.js';
import { FIRST_BATCH, loaderById, loaderGroupedBy, manyByKey } from '../shared/loaders.js';
import { forbidden } from '../shared/request-identity.js';
import { badInput } from '../shared/write-input.js';
import { CLIENT_COLLECTIONS, type CaseNoteDoc, type ClientDoc, type HomeVisitDoc, type PersonNameDoc, type TeamNameDoc } from './documents.js';

/** Ids per name lookup: one page of the DPO's audit trail search names at most this many clients. */
const MAX_AUDIT_NAMES = 100;
/** Clients per caseload page, case notes per page. */
const MAX_PAGE = 100;

export function clientCollections(db: Db) {
  return {
    clients: db.collection<ClientDoc>(CLIENT_COLLECTIONS.clients),
    caseNotes: db.collection<CaseNoteDoc>(CLIENT_COLLECTIONS.caseNotes),
    homeVisits: db.collection<HomeVisitDoc>(CLIENT_COLLECTIONS.homeVisits),
    teams: db.collection<TeamNameDoc>(CLIENT_COLLECTIONS.teams),
    personNames: db.collection<PersonNameDoc>(CLIENT_COLLECTIONS.personNames),
  };
}

/** Indexes every query below relies on; created at start-up, idempotent. */
export async function ensureClientIndexes(db: Db): Promise<void> {
  const { clients, caseNotes, homeVisits } = clientCollections(db);
  await clients.createIndex({ keyworkerStaffIds: 1, status: 1 }, { name: 'caseload' });
  await clients.createIndex({ teamId: 1, status: 1 }, { name: 'team_caseload' });
  await caseNotes.createIndex({ clientId: 1, occurredAt: 1 }, { name: 'notes_by_client' });
  await homeVisits.createIndex({ clientId: 1, startedAt: 1 }, { name: 'visits_by_client' });
  await homeVisits.createIndex({ endedAt: 1, startedAt: 1 }, { name: 'visits_in_progress' });
  await clients.createIndex({ dateOfBirth: 1, status: 1 }, { name: 'emergency_lookup' });
  await clients.createIndex({ name: 1 }, { name: 'by_name' });
}

function normalisedName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Data access for one request; its loaders batch and cache within that request only. */
export class ClientsStore {
  /** The database, for writes (client-writes.ts); reads go through the loaders below. */
  readonly db: Db;
  readonly #collections: ReturnType<typeof clientCollections>;
  readonly clientById: DataLoader<string, ClientDoc | null>;
  readonly caseNoteById: DataLoader<string, CaseNoteDoc | null>;
  readonly homeVisitById: DataLoader<string, HomeVisitDoc | null>;
  readonly caseNotesByClient: DataLoader<string, CaseNoteDoc[]>;
  readonly homeVisitsByClient: DataLoader<string, HomeVisitDoc[]>;
  /**
   * Whether each name key is the name of a person known to the organisation, client or staff
   * (third-party-names.ts). Keyed by `_id`, so the lookup is an index read; the answer is a
   * yes/no, never whose name it is.
   */
  readonly knownPersonNames: DataLoader<string, boolean>;

  constructor(db: Db, lookups: LookupShape) {
    this.db = db;
    const collections = clientCollections(db);
    this.#collections = collections;
    this.clientById = loaderById(collections.clients, lookups);
    this.caseNoteById = loaderById(collections.caseNotes, lookups);
    this.homeVisitById = loaderById(collections.homeVisits, lookups);
    this.caseNotesByClient = loaderGroupedBy(collections.caseNotes, 'clientId', { occurredAt: 1, _id: 1 }, lookups);
    this.homeVisitsByClient = loaderGroupedBy(collections.homeVisits, 'clientId', { startedAt: 1, _id: 1 }, lookups);
    this.knownPersonNames = new DataLoader<string, boolean>(async (keys) => {
      const find = (filter: Filter<PersonNameDoc>) => collections.personNames.find(filter, { batchSize: FIRST_BATCH, projection: { _id: 1 } }).toArray();
      const found = await manyByKey(
        keys,
        lookups,
        (batch) => find({ _id: { $in: batch } }),
        (key) => find({ _id: key }),
        (entry) => entry._id,
      );
      return found.map((entries) => entries.length > 0);
    });
  }

  async caseloadOf(staffId: string): Promise<ClientDoc[]> {
    return this.#primed(
      await this.#collections.clients.find({ keyworkerStaffIds: staffId, status: 'OPEN' }, { batchSize: FIRST_BATCH }).sort({ name: 1, _id: 1 }).toArray(),
    );
  }

  /**
   * A caseload (`{ keyworkerStaffIds }` or `{ teamId }`, open clients) a page at a time, in the
   * order of the whole list (name, id). The cursor must itself be on that caseload: a client's
   * id from elsewhere as a cursor would tell where their name sorts among these clients.
   */
  async caseloadPage(
    of: { keyworkerStaffIds: string } | { teamId: string },
    first: number,
    afterId: string | null | undefined,
  ): Promise<{ nodes: ClientDoc[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be 1–${MAX_PAGE}`);
    const caseload = { ...of, status: 'OPEN' as const };
    let position = {};
    if (afterId) {
      const after = await this.#collections.clients.findOne({ ...caseload, _id: afterId });
      // The uniform denial, as for any id the caller may not use.
      if (!after) throw forbidden();
      position = { $or: [{ name: { $gt: after.name } }, { name: after.name, _id: { $gt: after._id } }] };
    }
    const found = await this.#collections.clients
      .find({ ...caseload, ...position }, { limit: first + 1 })
      .sort({ name: 1, _id: 1 })
      .toArray();
    return { nodes: this.#primed(found.slice(0, first)), hasNextPage: found.length > first };
  }

  /**
   * One client's case notes a page at a time, newest first (occurredAt, then id, descending).
   * The cursor must be a note of that same client: a note of another client as a cursor would
   * tell when that note was written, measured against this client's notes.
   */
  async caseNotesPage(clientId: string, first: number, afterId: string | null | undefined): Promise<{ nodes: CaseNoteDoc[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be 1–${MAX_PAGE}`);
    let position = {};
    if (afterId) {
      const after = await this.#collections.caseNotes.findOne({ clientId, _id: afterId });
      // The uniform denial, as for any id the caller may not use.
      if (!after) throw forbidden();
      position = { $or: [{ occurredAt: { $lt: after.occurredAt } }, { occurredAt: after.occurredAt, _id: { $lt: after._id } }] };
    }
    const found = await this.#collections.caseNotes
      .find({ clientId, ...position }, { limit: first + 1 })
      .sort({ occurredAt: -1, _id: -1 })
      .toArray();
    const nodes = found.slice(0, first);
    for (const note of nodes) this.caseNoteById.prime(note._id, note);
    return { nodes, hasNextPage: found.length > first };
  }

  async teamCaseload(teamId: string): Promise<ClientDoc[]> {
    return this.#primed(await this.#collections.clients.find({ teamId, status: 'OPEN' }, { batchSize: FIRST_BATCH }).sort({ name: 1, _id: 1 }).toArray());
  }

  /** How many open clients a keyworker has (`me`); an indexed count, no records read. */
  caseloadSize(staffId: string): Promise<number> {
    return this.#collections.clients.countDocuments({ keyworkerStaffIds: staffId, status: 'OPEN' });
  }

  teamCaseloadSize(teamId: string): Promise<number> {
    return this.#collections.clients.countDocuments({ teamId, status: 'OPEN' });
  }

  /**
   * Clients with exactly this name (ignoring case and spacing) and date of birth, open or
   * closed: a subject access request covers a closed record too.
   */
  async findPeople(person: { name: string; dateOfBirth: string }): Promise<ClientDoc[]> {
    const { dateOfBirth } = person;
    const wanted = normalisedName(person.name);
    if (wanted.length === 0 || wanted.length > 200 || !/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) throw badInput('give a name and a date of birth (YYYY-MM-DD)');
    const candidates = await this.#collections.clients.find({ dateOfBirth }, { batchSize: FIRST_BATCH }).sort({ _id: 1 }).toArray();
    return this.#primed(candidates.filter((client) => normalisedName(client.name) === wanted));
  }

  /** The clients of these ids that exist, in the order asked; a bounded batch (the DPO's audit trail page). */
  async clientsNamedOnTheTrail(ids: readonly string[]): Promise<ClientDoc[]> {
    if (ids.length > MAX_AUDIT_NAMES) throw badInput(`ask for at most ${MAX_AUDIT_NAMES} ids at once`);
    const found = await this.clientById.loadMany([...new Set(ids)]);
    return found.filter((client): client is ClientDoc => client !== null && !(client instanceof Error));
  }

  async visitsInProgress(now: Date): Promise<HomeVisitDoc[]> {
    const visits = await this.#collections.homeVisits
      .find({ endedAt: null, startedAt: { $lte: now } }, { batchSize: FIRST_BATCH })
      .sort({ startedAt: 1, _id: 1 })
      .toArray();
    for (const visit of visits) this.homeVisitById.prime(visit._id, visit);
    return visits;
  }

  /** Later entity lookups of clients already read in this request cost no query. */
  #primed(clients: ClientDoc[]): ClientDoc[] {
    for (const client of clients) this.clientById.prime(client._id, client);
    return clients;
  }
}
