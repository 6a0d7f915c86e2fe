/**
 * Personal details drawn the same way for clients and employees: names, home addresses and
 * phone numbers, none of which can belong to a real person.
 */
import type { GenderValue, PostalAddressDoc } from '../subgraphs/clients/documents.js';
import { PERSONA_NAMES } from './personas.js';
import type { Rng } from './random.js';
import { VOCABULARY } from './vocabulary.js';

const { femaleFirst, maleFirst, neutralFirst, last } = VOCABULARY.names;
const ANY_FIRST: readonly string[] = [...femaleFirst, ...maleFirst, ...neutralFirst];
const { towns, streets, streetKinds, buildings } = VOCABULARY.places;
/** Postcode unit letters as the Royal Mail uses them (no C, I, K, M, O, V). */
const UNIT_LETTERS: readonly string[] = [...'ABDEFGHJLNPQRSTUWXYZ'];

export function personName(rng: Rng, gender?: GenderValue): string {
  const firstNames: readonly string[] = gender === 'FEMALE' ? femaleFirst : gender === 'MALE' ? maleFirst : gender === undefined ? ANY_FIRST : neutralFirst;
  for (;;) {
    const name = `${rng.pick(firstNames)} ${rng.pick(last)}`;
    // Keeps each persona the only record with its name.
    if (!PERSONA_NAMES.has(name)) return name;
  }
}

export function postalAddress(rng: Rng): PostalAddressDoc {
  const { name: town, postcodeArea: area } = rng.pick(towns);
  const street = `${rng.int(1, 180)} ${rng.pick(streets)} ${rng.pick(streetKinds)}`;
  const postcode = `${area}${rng.int(1, 24)} ${rng.int(1, 9)}${rng.pick(UNIT_LETTERS)}${rng.pick(UNIT_LETTERS)}`;
  if (rng.chance(0.25)) {
    return { line1: `Flat ${rng.int(1, 24)}, ${rng.pick(buildings)} House`, line2: street, town, postcode };
  }
  return { line1: street, town, postcode };
}

/** Ofcom's drama range: 07700 900000–900999 are never allocated. */
export const mobilePhone = (rng: Rng): string => `07700 900${rng.digits(3)}`;
/** Ofcom's drama range for landlines: 01632 960000–960999. */
export const workPhone = (rng: Rng): string => `01632 960${rng.digits(3)}`;
