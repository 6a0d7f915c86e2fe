import type { Db } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { clientCollections } from './store.js';

/** What a report shows for a client with no team, and for a team id the reference list does not name. */
export const NO_TEAM_LABEL = 'NOT_RECORDED';
export const UNKNOWN_TEAM_LABEL = 'UNKNOWN TEAM';

/**
 * Report labels for teams. Clients carry raw team ids and a label must never be an internal id,
 * so the names come from the client database's own small `teams` list. A second read: the
 * aggregation cannot join (FerretDB 1.x has no $lookup), and asking the HR subgraph would
 * couple the two databases on every report; the list is a few dozen documents.
 */
export async function teamLabeller(db: Db): Promise<(teamId: unknown) => string> {
  const teams = await clientCollections(db).teams.find({}, { projection: { name: 1 }, batchSize: FIRST_BATCH }).toArray();
  const names = new Map(teams.filter((team) => typeof team.name === 'string' && team.name !== '').map((team) => [team._id, team.name]));
  return (teamId) => {
    if (typeof teamId !== 'string' || teamId === '') return NO_TEAM_LABEL;
    return names.get(teamId) ?? UNKNOWN_TEAM_LABEL;
  };
}
