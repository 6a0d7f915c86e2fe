import { describe, expect, it } from 'vitest';
import { CONDITIONS, type Facts, type SharingFact } from './conditions.js';
import type { Principal } from './roles.js';

const worker: Principal = { role: 'support_worker', sub: 'stf_1', team: 'team_north' };
const manager: Principal = { role: 'team_manager', sub: 'stf_9', team: 'team_north' };
const nhs: Principal = { role: 'external_agency', sub: 'svc_nhs', agency: 'NHS Trust', purpose: 'CARE' };
const client = (keyworkerIds: string[], teamId = 'team_north', id = 'cli_1'): Facts => ({ client: { id, keyworkerIds, teamId } });
const consent = (over: Partial<SharingFact> = {}): SharingFact => ({
  recipientOrganisation: 'NHS Trust',
  purpose: 'CARE',
  dataCategories: ['CONTACT'],
  active: true,
  ...over,
});
const sharing = (consents: SharingFact[], exceptional: SharingFact[] = [], addressProtected = false): Facts => ({
  sharing: { consents, exceptional, addressProtected },
});

describe('the named conditions of the policy', () => {
  it('onCaseload: only a keyworker of the client, never a colleague in the same team', () => {
    expect(CONDITIONS.onCaseload.holds(client(['stf_1']), worker)).toBe(true);
    expect(CONDITIONS.onCaseload.holds(client(['stf_2']), worker)).toBe(false);
    expect(CONDITIONS.onCaseload.holds({}, worker)).toBe(false);
  });

  it('inTeam: the team in the token, and no team in the token never matches a client without one', () => {
    expect(CONDITIONS.inTeam.holds(client([], 'team_north'), manager)).toBe(true);
    expect(CONDITIONS.inTeam.holds(client([], 'team_south'), manager)).toBe(false);
    expect(CONDITIONS.inTeam.holds({ client: { id: 'cli_1', keyworkerIds: [], teamId: undefined } }, { role: 'team_manager', sub: 'stf_9' })).toBe(false);
  });

  it('themself: the caller is the client, and an unknown client id is never the caller', () => {
    expect(CONDITIONS.themself.holds(client([], 'team_north', 'cli_7'), { role: 'service_user', sub: 'cli_7' })).toBe(true);
    expect(CONDITIONS.themself.holds(client([], 'team_north', 'cli_8'), { role: 'service_user', sub: 'cli_7' })).toBe(false);
    expect(CONDITIONS.themself.holds({ client: { id: undefined, keyworkerIds: [], teamId: undefined } }, { role: 'service_user', sub: 'cli_7' })).toBe(false);
  });

  it('released: a consent must be active and name the caller’s organisation, purpose and the category', () => {
    expect(CONDITIONS.releasedContact.holds(sharing([consent()]), nhs)).toBe(true);
    expect(CONDITIONS.releasedContact.holds(sharing([consent({ active: false })]), nhs)).toBe(false);
    expect(CONDITIONS.releasedContact.holds(sharing([consent({ purpose: 'RESEARCH' })]), nhs)).toBe(false);
    expect(CONDITIONS.releasedContact.holds(sharing([consent({ recipientOrganisation: 'Police' })]), nhs)).toBe(false);
    expect(CONDITIONS.releasedCaseNotes.holds(sharing([consent()]), nhs)).toBe(false);
    // Without a purpose in the token no consent releases anything; an exceptional disclosure still can.
    const noPurpose: Principal = { role: 'external_agency', sub: 'svc_nhs', agency: 'NHS Trust' };
    expect(CONDITIONS.releasedContact.holds(sharing([consent()]), noPurpose)).toBe(false);
    expect(CONDITIONS.releasedContact.holds(sharing([], [consent({ purpose: undefined })]), noPurpose)).toBe(true);
  });

  it('releasedAddress: no consent releases a protected address', () => {
    expect(CONDITIONS.releasedAddress.holds(sharing([consent()]), nhs)).toBe(true);
    expect(CONDITIONS.releasedAddress.holds(sharing([consent()], [], true), nhs)).toBe(false);
    expect(CONDITIONS.releasedAddress.holds(sharing([], [consent()], true), nhs)).toBe(false);
  });

  it('every condition says what it means and reads at least one kind of fact', () => {
    for (const [name, condition] of Object.entries(CONDITIONS)) {
      expect(condition.means.length, name).toBeGreaterThan(10);
      expect(condition.reads.length, name).toBeGreaterThan(0);
    }
  });
});
