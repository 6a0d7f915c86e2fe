import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { AUDIT_COLLECTION } from '../../gateway/audit/audit-log.js';

/**
 * A bounded write load through the public API, at a fixed rate, for the fault tests, the
 * replica test and the soak (issue 11): case notes, consents, withdrawals of consents it
 * recorded, and reads (each one an audit entry), in turn, spread over one or more gateways.
 * It keeps what each acknowledged (the record's id, the read's request id), so the stores can
 * be checked afterwards: every acknowledged write is there.
 */

export interface LoadCaller {
  /** Gateways' /graphql URLs; requests go to each in turn (replicas behind a balancer). */
  readonly urls: readonly string[];
  /** A bearer token of someone who may write about `clientId` (the client's keyworker). */
  readonly token: string;
  /** The raw client id the load writes about and reads. */
  readonly clientId: string;
  /** The opaque id the caller is shown for a raw id of a type, and back. */
  idFor(typeName: string, rawId: string): string;
  rawIdOf(typeName: string, opaqueId: string): string | null;
}

export interface LoadTally {
  sent: number;
  answered: number;
  /** Requests not answered with data, by `<status>:<code>` (or `network`). */
  readonly failures: Record<string, number>;
  /** Requests the fixed rate could not start because too many were still in flight. */
  behind: number;
  readonly acknowledged: { readonly caseNotes: string[]; readonly consents: string[]; readonly withdrawals: string[]; readonly reads: string[] };
}

const NOTE =
  'mutation LoadNote($client: ID!, $at: String!, $text: String!) { recordCaseNote(clientId: $client, occurredAt: $at, venue: "Office", text: $text) { id } }';
const CONSENT = `mutation LoadConsent($subject: ID!, $from: String!, $until: String!) {
  recordConsent(subjectId: $subject, recipientOrganisation: "Northshire NHS Trust", recipientType: NHS, purpose: "care coordination",
    dataCategories: [IDENTITY], signedBy: SUBJECT, signedHow: ELECTRONIC, signedAt: $from, validFrom: $from, validUntil: $until) { id }
}`;
const WITHDRAW = 'mutation LoadWithdraw($id: ID!) { withdrawConsent(consentId: $id) { id } }';
const READ = 'query LoadRead($id: ID!) { client(id: $id) { name } }';

const MAX_IN_FLIGHT = 16;

export function emptyTally(): LoadTally {
  return { sent: 0, answered: 0, failures: {}, behind: 0, acknowledged: { caseNotes: [], consents: [], withdrawals: [], reads: [] } };
}

interface GraphQLAnswer {
  data?: Record<string, { id?: string; name?: string } | null> | null;
  errors?: { extensions?: { code?: unknown } }[];
}

/** Sends `ratePerSecond` requests a second for `durationMs`, then waits for those in flight. */
export async function runWriteLoad(
  caller: LoadCaller,
  options: { ratePerSecond: number; durationMs: number; tally?: LoadTally; stop?: () => boolean },
): Promise<LoadTally> {
  const tally = options.tally ?? emptyTally();
  const unwithdrawn: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1_000 / options.ratePerSecond;
  const started = performance.now();
  const hour = 3_600_000;

  async function one(n: number): Promise<void> {
    const url = caller.urls[n % caller.urls.length] ?? caller.urls[0]!;
    const requestId = `load-${randomBytes(8).toString('hex')}`;
    const kind = n % 4;
    const withdrawing = kind === 2 ? unwithdrawn.shift() : undefined;
    const [query, variables, field, type] =
      kind === 0
        ? [
            NOTE,
            { client: caller.idFor('Client', caller.clientId), at: new Date(Date.now() - hour).toISOString(), text: `Load note ${requestId}.` },
            'recordCaseNote',
            'CaseNote',
          ]
        : kind === 1
          ? [
              CONSENT,
              {
                subject: caller.idFor('Client', caller.clientId),
                from: new Date(Date.now() - hour).toISOString(),
                until: new Date(Date.now() + 30 * 24 * hour).toISOString(),
              },
              'recordConsent',
              'Consent',
            ]
          : withdrawing !== undefined
            ? [WITHDRAW, { id: caller.idFor('Consent', withdrawing) }, 'withdrawConsent', 'Consent']
            : [READ, { id: caller.idFor('Client', caller.clientId) }, 'client', 'Client'];
    tally.sent += 1;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-request-id': requestId },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as GraphQLAnswer;
      const value = body.data?.[field];
      if (response.status !== 200 || body.errors !== undefined || value === null || value === undefined) {
        const code = body.errors?.[0]?.extensions?.code;
        const key = `${response.status}:${typeof code === 'string' ? code : 'none'}`;
        tally.failures[key] = (tally.failures[key] ?? 0) + 1;
        // Not acknowledged: a withdrawal may be tried again later.
        if (withdrawing !== undefined) unwithdrawn.push(withdrawing);
        return;
      }
      tally.answered += 1;
      if (field === 'client') {
        tally.acknowledged.reads.push(requestId);
        return;
      }
      const raw = value.id === undefined ? null : caller.rawIdOf(type, value.id);
      if (raw === null) throw new Error(`the ${field} answer carried no id this caller can read`);
      if (field === 'recordCaseNote') tally.acknowledged.caseNotes.push(raw);
      else if (field === 'recordConsent') {
        tally.acknowledged.consents.push(raw);
        unwithdrawn.push(raw);
      } else tally.acknowledged.withdrawals.push(raw);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the ')) throw error;
      tally.failures.network = (tally.failures.network ?? 0) + 1;
      if (withdrawing !== undefined) unwithdrawn.push(withdrawing);
    }
  }

  for (let n = 0; ; n += 1) {
    const due = started + n * intervalMs;
    if (due - started >= options.durationMs || options.stop?.()) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= MAX_IN_FLIGHT) {
      tally.behind += 1;
      continue;
    }
    const request = one(n).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return tally;
}

export interface StoredCheck {
  readonly acknowledged: number;
  readonly found: number;
  /** Acknowledged but not in the store, by kind: must be empty. */
  readonly missing: Readonly<Record<string, readonly string[]>>;
}

/** Looks up every acknowledged write in the stores themselves (not through the API). */
export async function checkAcknowledgedStored(dbs: { clients: Db; consent: Db; audit: Db }, tally: LoadTally): Promise<StoredCheck> {
  const missing: Record<string, string[]> = {};
  let acknowledged = 0;
  let found = 0;
  const check = async (kind: string, ids: readonly string[], present: (ids: string[]) => Promise<Set<string>>) => {
    acknowledged += ids.length;
    const there = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) for (const id of await present(ids.slice(i, i + 500))) there.add(id);
    const absent = ids.filter((id) => !there.has(id));
    found += ids.length - absent.length;
    if (absent.length > 0) missing[kind] = absent;
  };
  const ids = async (db: Db, collection: string, filter: Record<string, unknown>, field = '_id') =>
    new Set(
      (
        await db
          .collection(collection)
          .find(filter, { projection: { [field]: 1 } })
          .toArray()
      ).map((doc) => String(doc[field])),
    );
  const { caseNotes, consents, withdrawals, reads } = tally.acknowledged;
  await check('caseNotes', caseNotes, (some) => ids(dbs.clients, 'caseNotes', { _id: { $in: some } }));
  await check('consents', consents, (some) => ids(dbs.consent, 'consents', { _id: { $in: some } }));
  await check('withdrawals', withdrawals, (some) => ids(dbs.consent, 'consents', { _id: { $in: some }, withdrawnAt: { $type: 'date' } }));
  await check('reads', reads, (some) => ids(dbs.audit, AUDIT_COLLECTION, { requestId: { $in: some } }, 'requestId'));
  return { acknowledged, found, missing };
}
