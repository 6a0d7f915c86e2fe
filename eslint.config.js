// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `npm run lint`. Type-aware: each file is checked against the tsconfig that owns it
 * (root, web/, api/); the few config and tool files outside every tsconfig get a default one.
 * Unused exports are not checked here (a flat config sees one file at a time): that is
 * `npm run unused-exports` (knip, knip.json).
 */
export default tseslint.config(
  {
    // Written by codegen, Vite or the bench: checked by their generators, not by hand.
    ignores: ['node_modules/', 'subgraphs/*/generated/', 'web/src/generated/', 'api/generated/', 'web/dist/', 'bench/results/', 'coverage/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'web/vite.config.ts', 'web/codegen.ts', 'web/tools/*.ts', 'api/codegen.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An `any` needs a reason: write it in an eslint-disable-next-line comment beside it.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Apollo plugin hooks, stop() and close() implement interfaces that return promises;
      // `async` is how they say so, awaited or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.stringMatching, …) are typed `any`.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Plain JavaScript (this file): no type information to lint with.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
