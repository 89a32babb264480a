import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The core services: none may import another, by package name or by a relative path.
const serviceNames = ['gateway', 'auth', 'memory', 'registry', 'billing', 'observability'];

/** Test code (the harness needs vitest) and the lift command: never part of production code. */
const testAndCliPatterns = [
  { group: ['**/tests/**'], message: 'Production code never imports the test harness (tests/support is test code; see CONTRIBUTING.md, Tests).' },
  { group: ['**/cli/**'], message: 'Production code never imports the lift command.' },
];

/** What a service's or module's source may not import: a package's files, another service, tests or the CLI. */
const serviceImportPatterns = [
  { group: ['@lift/*/*'], message: 'Import a workspace package through its index (package.json exports).' },
  { group: ['**/packages/**'], message: 'Import @lift/kit or @lift/sdk, not their files.' },
  { group: serviceNames.map((name) => `@lift/${name}`), message: 'Services talk over HTTP or events, never by import.' },
  { group: ['**/services/**', ...serviceNames.map((name) => `**/${name}/src/**`)], message: 'Services talk over HTTP or events, never by import.' },
  { group: ['@lift/cli'], message: 'Production code never imports the lift command.' },
  ...testAndCliPatterns,
];

const kyselyMessage = 'Queries live in the service\'s store (store.ts or store/); take the store, and store.transaction for atomic work.';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export names explicitly (CONTRIBUTING.md, Layers: an index exports names explicitly).' }],
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
    // The web console runs in browsers: their globals, not Node's; its own tsconfig (DOM, JSX) for
    // the type-aware rules; and it talks to the platform over HTTP only, never by importing it.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@lift/*', '**/packages/**', '**/services/**', '**/cli/**', '**/tests/**'], message: 'The console reaches the platform over HTTP (/auth, /memory …), never by import.' }] }],
    },
  },
  {
    // Layering (CONTRIBUTING.md, Layers): the kit depends on no workspace package — neither by name
    // nor by a relative path into the SDK's files; nobody deep-imports a package.
    files: ['packages/kit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@lift/*'], message: 'The kit depends on no other workspace package.' },
            { group: ['**/sdk/src/**', '**/packages/sdk/**'], message: 'The kit depends on no other workspace package: not the SDK\'s files either.' },
          ],
        },
      ],
    },
  },
  {
    // The SDK depends on the kit only, through its index (CONTRIBUTING.md, Layers): no other workspace
    // package, no relative path into the kit's or a service's files, no test code or CLI.
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@lift/*', '!@lift/kit'], message: 'The SDK depends on the kit only (@lift/kit).' },
            { group: ['@lift/*/*'], message: 'Import @lift/kit through its index (package.json exports).' },
            // `@lift/kit/src/…` is the deep import above, so the relative-path group leaves it out (one message each).
            { group: ['**/packages/**', '**/kit/src/**', '!@lift/**'], message: 'Import @lift/kit, not its files.' },
            { group: ['**/services/**', ...serviceNames.map((name) => `**/${name}/src/**`)], message: 'The SDK depends on the kit only: services talk to it over the wire.' },
            ...testAndCliPatterns,
          ],
        },
      ],
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
    // routes take the store (CONTRIBUTING.md, Layers). The service patterns above are repeated: a later block's
    // options replace an earlier one's (tests/contracts/layering-lint.test.ts checks both hold).
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/*/src/store.ts', 'services/*/src/store/**', 'services/*/src/migrations/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: kyselyMessage }],
          patterns: [{ group: ['kysely/*'], message: kyselyMessage }, ...serviceImportPatterns],
        },
      ],
    },
  },
);
