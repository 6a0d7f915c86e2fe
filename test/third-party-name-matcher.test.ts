import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { candidateNames, nameKey, nameKeys, redactKnownNames, THIRD_PARTY_PLACEHOLDER as P } from '../subgraphs/clients/third-party-names.js';

/**
 * The pure matcher behind name redaction in case notes (docs/INVARIANTS.md#12): every known
 * person's name, client or staff, goes the same way; the subject's own stays. The real stack,
 * every outside reader and the control are in test/third-party-names.test.ts.
 */

/** A `personNames` list as the seed writes it: keys only, nothing saying whose. */
function directory(...people: string[]): DataLoader<string, boolean> & { asked: string[][] } {
  const keys = new Set(people.flatMap(nameKeys));
  const asked: string[][] = [];
  const loader = new DataLoader<string, boolean>(async (batch) => {
    asked.push([...batch]);
    return batch.map((key) => keys.has(key));
  });
  return Object.assign(loader, { asked });
}

const CLIENTS = ['Alex Marsh', 'Jordan Ellery'];
const STAFF = ['Riley Ashdown', 'Casey Pembridge', 'Morgan Hale'];
/** Sam is both. */
const BOTH = 'Sam Okafor';
const everyone = () => directory(...CLIENTS, ...STAFF, BOTH);

describe('normalising a name', () => {
  it('ignores case, accents, apostrophe and hyphen forms, and spacing, the same for everyone', () => {
    expect(nameKey('  Zoë   O’Neill‐Brown ')).toBe("zoe o'neill-brown");
    expect(nameKey('ALEX MARSH')).toBe(nameKey('Alex Marsh'));
    expect(nameKeys('Jo Anne Bloggs')).toEqual(['jo anne bloggs', 'jo bloggs']);
    expect(nameKeys('Alex Marsh')).toEqual(['alex marsh']);
    expect(nameKeys('   ')).toEqual([]);
  });

  it('finds names with particles and possessives among the candidates', () => {
    expect(candidateNames('Saw Maria de la Cruz today.')).toContain('Maria de la Cruz');
    expect(candidateNames("Alex Marsh's sister called.")).toContain('Alex Marsh');
    expect(candidateNames('eBay Marsh')).not.toContain('Bay Marsh');
  });
});

describe('replacing known names', () => {
  it('replaces two colleagues, a colleague and a client, and Sam, with one placeholder; unknown phrases stay', async () => {
    const note = 'Riley Ashdown and Casey Pembridge met Morgan Hale, Alex Marsh and Sam Okafor at Riverside Community Centre with Pat Quill.';
    expect(await redactKnownNames(note, 'Jordan Ellery', everyone())).toBe(
      `${P} and ${P} met ${P}, ${P} and ${P} at Riverside Community Centre with Pat Quill.`,
    );
  });

  it('gives the same text whether a name belongs to a client, a member of staff or both', async () => {
    const shapes = await Promise.all(
      [...CLIENTS, ...STAFF, BOTH].map((name) => redactKnownNames(`Met ${name} at the office; ${name.toUpperCase()} left early.`, 'Jo Bloggs', everyone())),
    );
    expect(new Set(shapes)).toEqual(new Set([`Met ${P} at the office; ${P} left early.`]));
  });

  it("keeps the subject's own name, also when it is a member of staff's, and replaces it in anyone else's note", async () => {
    const note = 'Sam Okafor came with Riley Ashdown. Alex Marsh offered Sam a lift home.';
    expect(await redactKnownNames(note, BOTH, everyone())).toBe(`Sam Okafor came with ${P}. ${P} offered Sam a lift home.`);
    expect(await redactKnownNames(note, 'Alex Marsh', everyone())).toBe(`${P} came with ${P}. Alex Marsh offered ${P} a lift home.`);
    // A client who is not on staff reads the same shape as Sam does.
    const jordan = await redactKnownNames('Jordan Ellery came with Riley Ashdown. Alex Marsh offered Jordan a lift home.', 'Jordan Ellery', everyone());
    expect(jordan).toBe(`Jordan Ellery came with ${P}. ${P} offered Jordan a lift home.`);
    // An unknown subject keeps nothing.
    expect(await redactKnownNames(note, null, everyone())).toBe(`${P} came with ${P}. ${P} offered ${P} a lift home.`);
  });

  it('never cuts a shorter known name out of the subject’s own', async () => {
    expect(await redactKnownNames('Jo Anne Bloggs met Anne Bloggs.', 'Jo Anne Bloggs', directory('Anne Bloggs', 'Jo Anne Bloggs'))).toBe(
      `Jo Anne Bloggs met ${P}.`,
    );
  });

  it('matches whole words only, any spacing or case, possessives, accents, and first and last name of a longer name', async () => {
    const known = directory('Alex Marsh', 'Jo Anne Bloggs', 'Zoë Barlow', 'Maria de la Cruz');
    const note = "Alex  Marsh waved; Alex Marshall is not ALEX MARSH. Alex Marsh's bag. Jo Bloggs, Zoe Barlow, Maria de la Cruz.";
    // "Marshall" is not "Marsh"; its "Alex" goes as the lone first name of the Alex Marsh named here.
    expect(await redactKnownNames(note, 'Someone Else', known)).toBe(`${P} waved; ${P} Marshall is not ${P}. ${P}'s bag. ${P}, ${P}, ${P}.`);
    expect(await redactKnownNames('Alex Marshall came.', 'Someone Else', known)).toBe('Alex Marshall came.');
  });

  it('once a full name is replaced, its lone first name or surname in the same note goes too; without it, a lone name stays for everyone', async () => {
    expect(await redactKnownNames('Riley Ashdown called. Riley said Ashdown Park was shut; grace and marsh.', 'Jo Bloggs', everyone())).toBe(
      `${P} called. ${P} said ${P} Park was shut; grace and marsh.`,
    );
    const alone = await Promise.all(['Riley', 'Alex', 'Sam'].map((first) => redactKnownNames(`${first} called.`, 'Jo Bloggs', everyone())));
    expect(alone).toEqual(['Riley called.', 'Alex called.', 'Sam called.']);
  });

  it("asks the list once for all of a note's candidates, and fails rather than let a name through", async () => {
    const known = everyone();
    await Promise.all([
      redactKnownNames('Alex Marsh met Riley Ashdown.', 'Sam Okafor', known),
      redactKnownNames('Morgan Hale met Jordan Ellery.', 'Sam Okafor', known),
    ]);
    expect(known.asked).toHaveLength(1);
    const broken = new DataLoader<string, boolean>(async () => {
      throw new Error('database unavailable');
    });
    await expect(redactKnownNames('Met Alex Marsh', 'Sam Okafor', broken)).rejects.toThrow('database unavailable');
    expect(await redactKnownNames('nothing capitalised here', 'Sam Okafor', broken)).toBe('nothing capitalised here');
  });

  it('control: a list of client names only tells staff from clients', async () => {
    const clientsOnly = directory(...CLIENTS, BOTH);
    const shapes = await Promise.all([...CLIENTS, ...STAFF].map((name) => redactKnownNames(`Met ${name}.`, 'Jo Bloggs', clientsOnly)));
    expect(new Set(shapes).size).toBeGreaterThan(1);
  });
});
