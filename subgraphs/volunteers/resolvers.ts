import type { Resolvers } from './generated/resolvers-types.js';

export const volunteersResolvers: Resolvers = {
  Query: {
    volunteerCount: (_parent, _args, ctx) => ctx.db.collection('volunteers').countDocuments(),
  },
};
