import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The console's typed operations (GraphQL Code Generator's client preset) from the API schema
 * (api/schema.graphql, the published API schema, written from the supergraph by web/tools/write-api-schema.ts).
 * `documentMode: 'string'` gives typed query strings, so the browser bundle carries no GraphQL
 * library. `npm run codegen:web` regenerates; CI fails when the output is stale.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: 'api/schema.graphql',
  documents: ['web/src/**/*.ts', '!web/src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, scalars: { ID: 'string' } },
    },
  },
};

export default config;
