import type DataLoader from 'dataloader';
import type { CaseNoteDoc } from './documents.js';
import type { ClientsStore } from './store.js';

/**
 * Other people named in a case note's free text, for readers outside the care team: the person
 * themself (and their subject access export), an agency the note was shared with, a trustee.
 * A note may say "met Jo Bloggs at the group, with Riley Ashdown"; that Jo Bloggs is a client,
 * and who the staff involved were, is not the reader's to learn.
 *
 * Every person's name is replaced the same way (docs/INVARIANTS.md#12): if only clients' names
 * went, a note naming two people would tell the reader which one is a client and which a
 * colleague — and for someone who is both (invariant 1) that is exactly the link that must never
 * be shown. So names are looked up in the client database's one list of every person known to
 * the organisation (`personNames`: clients and staff alike, keys only, nothing saying whose),
 * with one normalisation and one placeholder whoever the name belongs to.
 *
 * What is recognised: runs of two to four capitalised words (lower-case particles such as "de"
 * or "van" may sit inside), compared after normalisation (case, accents, apostrophe and hyphen
 * forms, spacing, a trailing possessive); a person is known by their full name and by first and
 * last name alone. Once a full name is replaced, its single words elsewhere in the same note
 * ("Riley said…") go too. A first name or surname on its own, with no full name in the note, is
 * not recognised — for anyone, so the replacement still says nothing about whose name it was —
 * and neither is a person described without a name ("her brother"). A DPO reviews an export
 * before it is sent.
 *
 * The subject's own name stays, whoever else may share it: it is theirs, and keeping it is
 * decided from the subject's own client record alone, never from whether the name is also a
 * member of staff's, so the note of a client who is also an employee reads like anyone else's.
 */

export const THIRD_PARTY_PLACEHOLDER = '[another person]';

const GAP = '[ \\t\\u00A0]+';
const WORD = "\\p{Lu}[\\p{L}\\p{M}'’‘\\-\\u2010\\u2011]*";
const NOT_AFTER_WORD = "(?<![\\p{L}\\p{M}'’‘\\-\\u2010\\u2011])";
const PARTICLES: ReadonlySet<string> = new Set([
  'al',
  'ap',
  'bin',
  'da',
  'de',
  'del',
  'della',
  'den',
  'der',
  'di',
  'du',
  'el',
  'ibn',
  'la',
  'le',
  'van',
  'von',
]);
const PARTICLE = `(?:${[...PARTICLES].join('|')})`;
const CAPITALISED_RUN = new RegExp(`${NOT_AFTER_WORD}${WORD}(?:${GAP}(?:${PARTICLE}${GAP}){0,2}${WORD})+`, 'gu');
const MAX_NAME_WORDS = 4;
const POSSESSIVE = /(?:['’]s|['’])$/u;

/**
 * The one normalisation every name goes through, whoever it belongs to: lower case, accents
 * dropped, one apostrophe and one hyphen, single spaces. The seed writes `personNames` with it.
 */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[\u2010\u2011\u2012\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The keys a person is known by: their full name, and first and last name when there is more between. */
export function nameKeys(fullName: string): string[] {
  const key = nameKey(fullName);
  const words = key.split(' ').filter((word) => word !== '');
  const first = words[0];
  const last = words[words.length - 1];
  if (first === undefined || last === undefined || words.length <= 2) return key === '' ? [] : [key];
  return [key, `${first} ${last}`];
}

/** A run's words, each lower-case particle joined to the word after it ("de Souza"). */
function tokens(run: string): string[] {
  const out: string[] = [];
  let particles = '';
  for (const word of run.split(/[ \t\u00A0]+/u)) {
    if (PARTICLES.has(word)) particles += `${word} `;
    else {
      out.push(particles + word);
      particles = '';
    }
  }
  return out;
}

/**
 * Each run of two to four consecutive capitalised words as written (and without a trailing
 * possessive): the names a person could be recorded under.
 */
export function candidateNames(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(CAPITALISED_RUN)) {
    const words = tokens(match[0]);
    for (let start = 0; start < words.length; start += 1) {
      for (let end = start + 2; end <= Math.min(words.length, start + MAX_NAME_WORDS); end += 1) {
        const name = words.slice(start, end).join(' ');
        found.add(name);
        const bare = name.replace(POSSESSIVE, '');
        if (bare !== name) found.add(bare);
      }
    }
  }
  return [...found];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `words` occur in `text` as whole words, separated by any spacing. Full names are matched
 * in any case ("ALEX MARSH"); a single word only as written, since "grace" or "marsh" in lower
 * case is usually an ordinary word, not the person.
 */
function occurrences(text: string, words: readonly string[], anyCase: boolean): [number, number][] {
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}])${words.map(escaped).join(GAP)}(?![\\p{L}\\p{M}])`, anyCase ? 'giu' : 'gu');
  return [...text.matchAll(pattern)].map((match) => [match.index, match.index + match[0].length]);
}

const longestFirst = (a: string, b: string) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * `text` with every known person's name but the subject's own replaced by
 * THIRD_PARTY_PLACEHOLDER. `knownNames` answers, for a name key, whether `personNames` holds it;
 * it is asked once for all of a note's candidates, so a request's notes share one query. The
 * subject's name may still be loading: both lookups run side by side. A failed lookup fails the
 * read rather than let a name through; an unknown subject keeps nothing.
 */
export async function redactKnownNames(
  text: string,
  subjectName: PromiseLike<string | null> | string | null,
  knownNames: DataLoader<string, boolean>,
): Promise<string> {
  const candidates = candidateNames(text);
  if (candidates.length === 0) return text;
  const keys = [...new Set(candidates.map(nameKey))];
  const [own, answers] = await Promise.all([subjectName, knownNames.loadMany(keys)]);
  const known = new Set<string>();
  answers.forEach((answer, index) => {
    if (answer instanceof Error) throw answer;
    const key = keys[index];
    if (answer === true && key !== undefined) known.add(key);
  });
  const ownKeys = new Set(own ? nameKeys(own) : []);
  const ownWords = new Set(own ? nameKey(own).split(' ') : []);
  const others = candidates.filter((name) => known.has(nameKey(name)) && !ownKeys.has(nameKey(name))).sort(longestFirst);
  if (others.length === 0) return text;

  // Spans are claimed in order: the subject's own name first (kept, so no shorter name inside it
  // is cut out of it), then other people's names longest first, then their lone words.
  const claimed: { from: number; to: number; replace: boolean }[] = [];
  const claim = (spans: [number, number][], replace: boolean) => {
    for (const [from, to] of spans) if (!claimed.some((span) => from < span.to && span.from < to)) claimed.push({ from, to, replace });
  };
  for (const name of candidates.filter((candidate) => ownKeys.has(nameKey(candidate)))) claim(occurrences(text, name.split(' '), true), false);
  for (const name of others) claim(occurrences(text, name.split(' '), true), true);
  const loneWords = new Set<string>();
  for (const name of others) {
    for (const word of name.split(' ')) {
      const bare = word.replace(POSSESSIVE, '');
      if (!PARTICLES.has(bare) && [...bare].length >= 2 && !ownWords.has(nameKey(bare))) loneWords.add(bare);
    }
  }
  for (const word of [...loneWords].sort(longestFirst)) claim(occurrences(text, [word], false), true);

  let redacted = '';
  let at = 0;
  for (const span of claimed.filter((s) => s.replace).sort((a, b) => a.from - b.from)) {
    redacted += text.slice(at, span.from) + THIRD_PARTY_PLACEHOLDER;
    at = span.to;
  }
  return redacted + text.slice(at);
}

/** A case note's text as an outside reader gets it: the subject is the client the note is about. */
export function redactCaseNote(note: Pick<CaseNoteDoc, 'text' | 'clientId'>, store: Pick<ClientsStore, 'clientById' | 'knownPersonNames'>): Promise<string> {
  const subjectName = store.clientById.load(note.clientId).then((client) => client?.name ?? null);
  return redactKnownNames(note.text, subjectName, store.knownPersonNames);
}
