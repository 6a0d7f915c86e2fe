import type DataLoader from 'dataloader';

/**
 * Other clients named in a case note's free text, for readers outside the care team: the
 * person themself (and their subject access export), an agency the note was shared with, a
 * trustee. A note may say "met Jo Bloggs at the group"; that Jo Bloggs is a client is Jo's
 * personal data, not the reader's. Names are recognised by the client database itself: every
 * run of capitalised words is looked up as a recorded name, in one batched query per request.
 * A third party described without a recorded name ("her brother") is not recognised; a DPO
 * still reviews an export before it is sent.
 */

export const THIRD_PARTY_PLACEHOLDER = '[another person]';

const CAPITALISED_RUN = /\p{Lu}[\p{L}'’-]*(?:[ \t]+\p{Lu}[\p{L}'’-]*)+/gu;
const MAX_NAME_WORDS = 4;

/** Each run of two to four consecutive capitalised words: the names a client record could hold. */
export function candidateNames(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(CAPITALISED_RUN)) {
    const words = match[0].split(/[ \t]+/);
    for (let start = 0; start < words.length; start += 1) {
      for (let end = start + 2; end <= Math.min(words.length, start + MAX_NAME_WORDS); end += 1) found.add(words.slice(start, end).join(' '));
    }
  }
  return [...found];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every recorded name of another client replaced. A name the subject's own record
 * carries stays: it is theirs, even if someone else shares it. A failed lookup fails the read
 * rather than let a name through.
 */
export async function redactOtherClients(text: string, subjectClientId: string, clientIdsByName: DataLoader<string, string[]>): Promise<string> {
  const candidates = candidateNames(text);
  if (candidates.length === 0) return text;
  const owners = await clientIdsByName.loadMany(candidates);
  const others: string[] = [];
  candidates.forEach((name, index) => {
    const ids = owners[index];
    if (ids instanceof Error) throw ids;
    if (ids !== undefined && ids.length > 0 && !ids.includes(subjectClientId)) others.push(name);
  });
  // Longest first, so "Jo Anne Bloggs" goes whole before "Jo Anne" could split it.
  let redacted = text;
  for (const name of others.sort((a, b) => b.length - a.length)) {
    redacted = redacted.replace(new RegExp(`(?<![\\p{L}])${name.split(' ').map(escaped).join('[ \\t]+')}(?![\\p{L}])`, 'gu'), THIRD_PARTY_PLACEHOLDER);
  }
  return redacted;
}
