/**
 * The client database: clients, their case notes and home visits, and the names the store
 * labels and redacts with (teams, services, person names). Each client is rebuilt on demand
 * from its own stream (`clients#<index>`), so the other stores can look one up without
 * generating the rest, and case notes come per client from `caseNotes#<index>`.
 */
import type {
  CaseNoteDoc,
  ClientDoc,
  GenderValue,
  HomeVisitDoc,
  PersonNameDoc,
  RestrictionReasonValue,
  ServiceNameDoc,
  TeamNameDoc,
} from '../subgraphs/clients/documents.js';
import { nameKeys } from '../subgraphs/clients/third-party-names.js';
import type { SeedSize } from './generate.js';
import { mobilePhone, personName, postalAddress } from './people.js';
import { PERSONAS } from './personas.js';
import { createRng, type Rng } from './random.js';
import { idFactory, must, placeSpecials } from './records.js';
import { birthDate, DAY, HOUR, instantBetween, isoDate, isoDateMs, MINUTE, startOfDay, YEAR } from './time.js';
import { VOCABULARY } from './vocabulary.js';
import type { Ctx, World } from './world.js';

const SERVICES: readonly string[] = VOCABULARY.services.map(({ service }) => service);
const { topics: NOTE_TOPICS, openers: NOTE_OPENERS, outcomes: NOTE_OUTCOMES, venues: VENUES } = VOCABULARY.caseNotes;

const GENDERS: readonly (readonly [GenderValue, number])[] = [
  ['FEMALE', 48],
  ['MALE', 46],
  ['NON_BINARY', 3],
  ['NOT_STATED', 3],
];

/** The same teams as HR's, names only: the client database labels reports with them. */
export const teamNameDocs = (world: World): TeamNameDoc[] => world.teams.map((t) => ({ _id: t._id, name: t.name }));

export const serviceNameDocs = (): ServiceNameDoc[] => SERVICES.map((name) => ({ _id: `svc_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`, name }));

type ClientWorld = Pick<World, 'ctx' | 'teams' | 'serviceTeams' | 'managerOf' | 'keyworkersOf' | 'clientLayout' | 'clientIdAt'>;

export function makeClient(world: ClientWorld, index: number): ClientDoc {
  const { ctx } = world;
  const rng = createRng(ctx.seed, `clients#${index}`);
  const fixed = world.clientLayout.get(index);
  // Draw everything first, then let a fixed record override: every record consumes the same
  // draws, and fixed records get generated values for whatever the persona leaves open.
  const gender = rng.weighted(GENDERS);
  const drawnName = personName(rng, gender);
  const drawnBirth = birthDate(rng, ctx.nowMs, 16, 90);
  const address = postalAddress(rng);
  const phone = mobilePhone(rng);
  const drawnTeam = rng.pick(world.serviceTeams);
  const extraService = rng.chance(0.2) ? rng.pick(SERVICES) : undefined;
  const drawnClosed = rng.chance(0.15);
  const referralDraw = rng.next();
  const closureDraw = rng.next();
  const keyworkerCount = rng.chance(0.3) ? 2 : 1;
  const keyworkerDraw = rng.uint32();
  const drawnRestriction = rng.chance(0.02)
    ? rng.weighted<RestrictionReasonValue>([
        ['REFUGE_RESIDENT', 50],
        ['WITNESS_PROTECTION', 15],
        ['OTHER', 35],
      ])
    : undefined;
  const sealedNoteDraw = rng.uint32();

  const dateOfBirth = fixed?.dateOfBirth ?? drawnBirth;
  const team = fixed
    ? must(
        world.teams.find((t) => t._id === fixed.teamId),
        `team ${fixed.teamId}`,
      )
    : drawnTeam;
  const services = extraService === undefined || extraService === team.service ? [team.service] : [team.service, extraService];

  // Fixed records are long-standing open cases so the demo scenarios always have history.
  const referredFrom = Math.max(isoDateMs(dateOfBirth) + 16 * YEAR, ctx.nowMs - (fixed ? 3 : 8) * 365 * DAY);
  const referredTo = fixed ? ctx.nowMs - 60 * DAY : ctx.nowMs - 7 * DAY;
  const referredMs = startOfDay(referredFrom + Math.floor(referralDraw * Math.max(DAY, referredTo - referredFrom)));
  const closable = !fixed && drawnClosed && referredMs + 30 * DAY < ctx.nowMs - DAY;
  const closedMs = closable ? startOfDay(referredMs + 30 * DAY + Math.floor(closureDraw * (ctx.nowMs - DAY - referredMs - 30 * DAY))) : undefined;

  const pool = must(world.keyworkersOf.get(team._id), `keyworkers of ${team._id}`);
  const keyworkerStaffIds = fixed?.keyworkerStaffIds ? [...fixed.keyworkerStaffIds] : pickKeyworkers(pool, keyworkerCount, keyworkerDraw);
  const reason = fixed ? fixed.restriction : drawnRestriction;
  const notes = reason === undefined ? [] : VOCABULARY.sealedNotes[reason];

  return {
    _id: world.clientIdAt(index),
    name: fixed?.name ?? drawnName,
    dateOfBirth,
    gender,
    address,
    phone,
    services,
    status: closedMs === undefined ? 'OPEN' : 'CLOSED',
    referredOn: isoDate(referredMs),
    ...(closedMs === undefined ? {} : { closedOn: isoDate(closedMs) }),
    teamId: team._id,
    keyworkerStaffIds,
    ...(reason === undefined
      ? {}
      : {
          restriction: {
            reason,
            sealedNote: must(notes[sealedNoteDraw % notes.length], 'sealed note'),
            contactStaffId: must(world.managerOf.get(team._id), `manager of ${team._id}`),
          },
        }),
  };
}

/** One or two distinct keyworkers chosen from a single draw, so the stream length is fixed. */
function pickKeyworkers(pool: readonly string[], count: number, draw: number): string[] {
  const first = must(pool[draw % pool.length], 'keyworker');
  if (count < 2 || pool.length < 2) return [first];
  const offset = 1 + (Math.floor(draw / pool.length) % (pool.length - 1));
  return [first, must(pool[((draw % pool.length) + offset) % pool.length], 'second keyworker')];
}

export function* clientDocs(world: World): Generator<ClientDoc> {
  for (let i = 0; i < world.ctx.counts.clients; i++) yield world.clientAt(i);
}

/**
 * How many notes each client gets: uneven (some cases are busy) but summing exactly to the
 * configured total. A typed array keeps this cheap at 100,000 clients.
 */
function noteCounts(ctx: Ctx): Uint32Array {
  const rng = createRng(ctx.seed, 'caseNotes/counts');
  const { clients, caseNotes } = ctx.counts;
  const weights = new Float64Array(clients);
  let totalWeight = 0;
  for (let i = 0; i < clients; i++) {
    const weight = (0.25 + rng.next() * 1.5) * (rng.chance(0.05) ? 3 : 1);
    weights[i] = weight;
    totalWeight += weight;
  }
  const counts = new Uint32Array(clients);
  let assigned = 0;
  for (let i = 0; i < clients; i++) {
    const count = Math.floor((caseNotes * (weights[i] ?? 0)) / totalWeight);
    counts[i] = count;
    assigned += count;
  }
  for (; assigned < caseNotes; assigned++) {
    const i = rng.int(0, clients - 1);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/**
 * The client database's list of people known to the organisation, written from the same lists
 * as the clients and HR's employees. Sorted keys, one each: the order says nothing about which
 * list a name came from, or that Sam's name is on both.
 */
export function personNameDocs(world: World): PersonNameDoc[] {
  const keys = new Set<string>();
  for (let i = 0; i < world.ctx.counts.clients; i++) for (const key of nameKeys(world.clientAt(i).name)) keys.add(key);
  for (const employee of world.employees) for (const key of nameKeys(employee.name)) keys.add(key);
  return [...keys].sort().map((key) => ({ _id: key }));
}

export function* caseNoteDocs(world: World): Generator<CaseNoteDoc> {
  const { ctx } = world;
  const counts = noteCounts(ctx);
  const noteIds = idFactory(ctx.seed, 'caseNotes', 'note_', 40);
  let counter = 0;
  for (let i = 0; i < ctx.counts.clients; i++) {
    const count = counts[i] ?? 0;
    if (count === 0) continue;
    const client = world.clientAt(i);
    const rng = createRng(ctx.seed, `caseNotes#${i}`);
    yield* notesForClient(rng, ctx.nowMs, client, count, () => noteIds(counter++));
  }
}

function notesForClient(rng: Rng, nowMs: number, client: ClientDoc, count: number, nextId: () => string): CaseNoteDoc[] {
  const from = isoDateMs(client.referredOn);
  // Nothing happens after closure, and the last note is at least ten minutes old.
  const until = Math.min(client.closedOn === undefined ? nowMs : isoDateMs(client.closedOn) + DAY, nowMs) - 10 * MINUTE;
  const times: number[] = [];
  for (let n = 0; n < count; n++) times.push(instantBetween(rng, from, until));
  times.sort((a, b) => a - b);

  const notes: CaseNoteDoc[] = [];
  for (const occurredMs of times) {
    const author = rng.pick(client.keyworkerStaffIds);
    const venue = rng.weighted(VENUES);
    // The opener is drawn before its topic, as the stream has always had them.
    const text = `${rng.pick(NOTE_OPENERS)(rng.pick(NOTE_TOPICS))} ${rng.pick(NOTE_OUTCOMES)}`;
    const recordedMs = Math.min(occurredMs + recordingDelay(rng), nowMs);
    const correct = notes.length > 0 && rng.chance(0.02);
    const target = notes[rng.int(0, Math.max(0, notes.length - 1))];
    const correctionDelay = rng.int(10, 14 * 24 * 60) * MINUTE;

    // A correction is a new note about the same event, recorded after the note it corrects.
    if (correct && target !== undefined && target.recordedAt.getTime() + 10 * MINUTE < nowMs) {
      notes.push({
        _id: nextId(),
        clientId: client._id,
        authorStaffId: author,
        occurredAt: new Date(target.occurredAt.getTime()),
        venue: target.venue,
        recordedAt: new Date(Math.min(target.recordedAt.getTime() + correctionDelay, nowMs)),
        text: `Correction to an earlier note: ${text}`,
        correctsNoteId: target._id,
      });
      continue;
    }
    notes.push({
      _id: nextId(),
      clientId: client._id,
      authorStaffId: author,
      occurredAt: new Date(occurredMs),
      venue,
      recordedAt: new Date(recordedMs),
      text,
    });
  }
  return notes;
}

/** Most notes are written up the same day; a few days later is not rare. */
function recordingDelay(rng: Rng): number {
  const bucket = rng.weighted([
    ['sameDay', 70],
    ['days', 25],
    ['late', 5],
  ]);
  if (bucket === 'sameDay') return rng.int(5, 8 * 60) * MINUTE;
  if (bucket === 'days') return rng.int(8 * 60, 72 * 60) * MINUTE;
  return rng.int(3 * 24 * 60, 14 * 24 * 60) * MINUTE;
}

type VisitSpecial = 'personaInProgress' | 'personaEnded' | 'otherInProgress';

/** Besides the persona's, how many visits are under way at `now` (the duty officer's list). */
const EXTRA_VISITS_IN_PROGRESS: Record<SeedSize, number> = { demo: 2, bench: 0 };

export function* homeVisitDocs(world: World): Generator<HomeVisitDoc> {
  const { ctx } = world;
  const rng = createRng(ctx.seed, 'homeVisits');
  const specials: VisitSpecial[] = ['personaInProgress', 'personaEnded'];
  for (let i = 0; i < EXTRA_VISITS_IN_PROGRESS[ctx.size]; i++) specials.push('otherInProgress');
  const layout = placeSpecials(createRng(ctx.seed, 'homeVisits/layout'), ctx.counts.homeVisits, specials);
  const visitIds = idFactory(ctx.seed, 'homeVisits', 'hv_', 32);
  // Nobody is on two visits at once.
  const busyWorkers = new Set<string>([PERSONAS.keyworkerOfSam]);

  for (let j = 0; j < ctx.counts.homeVisits; j++) {
    const special = layout.get(j);
    if (special === 'personaInProgress') {
      const client = world.clientAt(world.clientIndexOf.refuge);
      yield {
        _id: PERSONAS.visitInProgress.visitId,
        clientId: client._id,
        workerStaffId: PERSONAS.keyworkerOfSam,
        startedAt: new Date(ctx.nowMs - 30 * MINUTE),
        address: must(client.address, 'refuge resident address'),
      };
    } else if (special === 'personaEnded') {
      const client = world.clientAt(world.clientIndexOf.ordinary);
      const started = ctx.nowMs - 26 * HOUR;
      yield {
        _id: PERSONAS.visitEnded.visitId,
        clientId: client._id,
        workerStaffId: PERSONAS.keyworkerOfSam,
        startedAt: new Date(started),
        endedAt: new Date(started + 70 * MINUTE),
        address: must(client.address, 'ordinary client address'),
      };
    } else if (special === 'otherInProgress') {
      yield visitInProgress(world, rng, busyWorkers, visitIds(j));
    } else {
      yield endedVisit(world, rng, visitIds(j));
    }
  }
}

function visitInProgress(world: World, rng: Rng, busyWorkers: Set<string>, id: string): HomeVisitDoc {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const index = rng.int(0, world.ctx.counts.clients - 1);
    const client = world.clientAt(index);
    const worker = rng.pick(client.keyworkerStaffIds);
    const startedAgo = rng.int(5, 90) * MINUTE;
    if (world.clientLayout.has(index) || client.status !== 'OPEN' || busyWorkers.has(worker)) continue;
    busyWorkers.add(worker);
    return {
      _id: id,
      clientId: client._id,
      workerStaffId: worker,
      startedAt: new Date(world.ctx.nowMs - startedAgo),
      address: must(client.address, 'client address'),
    };
  }
  throw new Error('seed generator: no client available for a visit in progress');
}

function endedVisit(world: World, rng: Rng, id: string): HomeVisitDoc {
  const { nowMs } = world.ctx;
  for (;;) {
    const client = world.clientAt(rng.int(0, world.ctx.counts.clients - 1));
    const worker = rng.pick(client.keyworkerStaffIds);
    const lo = Math.max(isoDateMs(client.referredOn), nowMs - 2 * 365 * DAY);
    const hi = (client.closedOn === undefined ? nowMs : isoDateMs(client.closedOn)) - 4 * HOUR;
    const started = instantBetween(rng, lo, hi);
    const duration = rng.int(20, 150) * MINUTE;
    if (hi <= lo) continue;
    return {
      _id: id,
      clientId: client._id,
      workerStaffId: worker,
      startedAt: new Date(started),
      endedAt: new Date(started + duration),
      address: must(client.address, 'client address'),
    };
  }
}
