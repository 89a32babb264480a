import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export names explicitly (STYLE.md §8).' }],
    },
  },
  {
    // Layering (STYLE.md §8): the kit depends on no workspace package; nobody deep-imports a package.
    files: ['packages/kit/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@lift/*'], message: 'The kit depends on no other workspace package.' }] }],
    },
  },
  {
    files: ['services/**/*.ts', 'cli/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@lift/*/*'], message: 'Import a workspace package through its index (package.json exports).' },
            { group: ['**/packages/kit/src/**'], message: 'Import @lift/kit, not its files.' },
          ],
        },
      ],
    },
  },
  {
    // A service never imports another service: they talk over HTTP or events.
    files: ['services/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@lift/gateway', '@lift/auth', '@lift/memory', '@lift/registry', '@lift/billing', '@lift/observability'], message: 'Services talk over HTTP or events, never by import.' },
            { group: ['**/services/**'], message: 'Services talk over HTTP or events, never by import.' },
            { group: ['@lift/*/*'], message: 'Import a workspace package through its index.' },
          ],
        },
      ],
    },
  },
  {
    // One storage seam per service: only its store and its migrations speak Kysely; domain code and
    // routes take the store (STYLE.md §7). The service patterns above are repeated: a later block's
    // options replace an earlier one's.
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/*/src/store.ts', 'services/*/src/store/**', 'services/*/src/migrations/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'Queries live in the service\'s store (store.ts or store/); take the store, and store.transaction for atomic work.' }],
          patterns: [
            { group: ['@lift/gateway', '@lift/auth', '@lift/memory', '@lift/registry', '@lift/billing', '@lift/observability'], message: 'Services talk over HTTP or events, never by import.' },
            { group: ['**/services/**'], message: 'Services talk over HTTP or events, never by import.' },
            { group: ['@lift/*/*'], message: 'Import a workspace package through its index.' },
          ],
        },
      ],
    },
  },
);
