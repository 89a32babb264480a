import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The core services: none may import another, by package name or by a relative path.
const serviceNames = ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability'];

/** What a service's or module's source may not import: a package's files, or another service. */
const serviceImportPatterns = [
  { group: ['@lift/*/*'], message: 'Import a workspace package through its index (package.json exports).' },
  { group: ['**/packages/**'], message: 'Import @lift/kit or @lift/sdk, not their files.' },
  { group: serviceNames.map((name) => `@lift/${name}`), message: 'Services talk over HTTP or events, never by import.' },
  { group: ['**/services/**', ...serviceNames.map((name) => `**/${name}/src/**`)], message: 'Services talk over HTTP or events, never by import.' },
];

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
    // Type-aware rules for the bugs an async server actually has: a promise nobody awaits (its
    // rejection is unhandled and its work races the answer), a promise where a callback's
    // result is ignored (an async listener, an async predicate), and awaiting what is no promise.
    // The project service reuses the root tsconfig.json, so lint sees what `tsc` sees.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
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
    // Service and module code reaches a package only through its index — never by a relative path
    // into packages/, which the package's `exports` cannot block — and never another service.
    // One block for both rules: ESLint replaces, not merges, a rule configured again for the same files.
    files: ['services/*/src/**/*.ts', 'modules/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: serviceImportPatterns,
        },
      ],
    },
  },
  {
    // One storage seam per service: only its store and its migrations speak Kysely; domain code and
    // routes take the store (STYLE.md §7). The service patterns above are repeated: a later block's
    // options replace an earlier one's (tests/contracts/layering-lint.test.ts checks both hold).
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/*/src/store.ts', 'services/*/src/store/**', 'services/*/src/migrations/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'Queries live in the service\'s store (store.ts or store/); take the store, and store.transaction for atomic work.' }],
          patterns: serviceImportPatterns,
        },
      ],
    },
  },
);
