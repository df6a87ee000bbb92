// GraphQL Code Generator: typed operations from the server's schema files (graph/*.graphqls) and
// the documents written next to the components (graphql(`...`) calls). Run from the repository
// root with `npm run codegen`; the output in src/gql/ is committed and must not drift.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'graph/*.graphqls',
  documents: ['frontend/src/**/*.{ts,tsx}', '!frontend/src/gql/**', '!frontend/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    'frontend/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        strictScalars: true,
        scalars: {
          ID: 'string',
          Cursor: 'string',
          Time: 'string',
          Map: 'Record<string, unknown>',
        },
        useTypeImports: true,
        enumType: 'string-literal',
        skipTypename: true,
      },
    },
  },
};

export default config;
