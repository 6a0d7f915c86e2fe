import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed example operations for client developers (api/operations/<role>/*.graphql), from the
 * published API schema (api/schema.graphql). The client preset's string mode gives each
 * operation as a typed query string (`KeyworkerCaseloadDocument`), with its result and
 * variables types, and needs no GraphQL library at run time. `npm run codegen:api` regenerates;
 * CI fails when the output is stale, and `npm run trusted-documents` hashes these strings
 * into the manifest the gateway runs first-party apps from.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: 'api/schema.graphql',
  documents: ['api/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'api/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, scalars: { ID: 'string' } },
    },
  },
};

export default config;
