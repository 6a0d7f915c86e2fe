/**
 * What `npm run codegen` needs from a subgraph besides its schema: paths are relative to the
 * generated file (`subgraphs/<name>/generated/resolvers-types.ts`), as GraphQL Code Generator
 * takes them (`<module>#<export>`).
 */
export interface SubgraphCodegen {
  readonly contextType: string;
  /** GraphQL type name → the document (or entity reference) its resolvers receive as parent. */
  readonly mappers: Readonly<Record<string, string>>;
}
