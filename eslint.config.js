// ESLint flat config: type-aware TypeScript rules plus the layer rules of docs/architecture (import direction).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import pluginQuery from '@tanstack/eslint-plugin-query';
import globals from 'globals';

/** Build a no-restricted-imports rule that forbids the given path patterns with a reason. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

const up = (layer) => [`**/${layer}/**`, `../${layer}/*`, `../../${layer}/*`, `../../../${layer}/*`];

/** Test code: it may reach the real emulator (that is how it tests against real parts) and use fetch directly. */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/*-test-support.ts'];

const HTTP_ONLY_IN_API = 'HTTP belongs in src/api (one file per endpoint, zod-parsed): call an src/api function instead.';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-e2e-*/**',
      'dist-bench/**',
      'bench/out/**',
      // The react-spreadsheet-import page: its own install and tsconfig, outside the root project (decision 135).
      'bench/rsi/**',
      '.data-*/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.data/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render data as text only (security S5).' },
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Render data as text only (security S5).' },
        { selector: 'TSEnumDeclaration', message: 'Use string-literal unions or as-const objects.' },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  // Import cycles make load order matter and tie modules together. import-x/no-cycle catches value imports here;
  // it skips `import type` by design, so scripts/check-import-cycles.ts (run by `npm run lint`) checks those too.
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // react-query: keys name everything the query function reads (the connection included), stable query clients,
  // no rest-destructuring of results.
  ...pluginQuery.configs['flat/recommended'],
  // The app never reaches into the emulator's code: it talks to it over HTTP like to Zoho. Tests may (real parts).
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: TEST_FILES,
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src',
              from: './emulator',
              message: 'src/ talks to the emulator over HTTP only; emulator code is for tests (*.test.ts, *-test-support.ts).',
            },
            { target: './src', from: './src/**/*-test-support.ts', message: 'Test support code is for tests only.' },
          ],
        },
      ],
    },
  },
  // HTTP only in src/api: no fetch, XMLHttpRequest or EventSource anywhere else in the app.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/api/**', ...TEST_FILES],
    rules: {
      'no-restricted-globals': ['error', ...['fetch', 'XMLHttpRequest', 'EventSource', 'WebSocket'].map((name) => ({ name, message: HTTP_ONLY_IN_API }))],
      'no-restricted-properties': [
        'error',
        ...['window', 'globalThis', 'self'].flatMap((object) =>
          ['fetch', 'XMLHttpRequest', 'EventSource', 'WebSocket'].map((property) => ({ object, property, message: HTTP_ONLY_IN_API })),
        ),
        { object: 'navigator', property: 'sendBeacon', message: HTTP_ONLY_IN_API },
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/use-*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Layer rules: domain is pure; worker → domain; api → domain; components → nothing above; steps never import steps.
  {
    files: ['src/domain/**/*.ts'],
    rules: forbid(
      [
        ...up('api'),
        ...up('worker'),
        ...up('steps'),
        ...up('components'),
        ...up('app'),
        ...up('lib'),
        'react',
        'react-dom',
        '@tanstack/*',
        'hono',
        'better-sqlite3',
        'node:*',
      ],
      'src/domain is pure TypeScript: it may import only domain code, zod, papaparse and jszip.',
    ),
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: forbid(
      [...up('api'), ...up('steps'), ...up('components'), ...up('app'), ...up('lib'), 'react', 'react-dom'],
      'src/worker may import only src/domain.',
    ),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: forbid(
      [...up('worker'), ...up('steps'), ...up('components'), ...up('app'), ...up('lib'), 'react-dom'],
      'src/api may import only src/domain, zod and react-query.',
    ),
  },
  {
    files: ['src/components/**/*.{ts,tsx}'],
    rules: forbid(
      [...up('api'), ...up('worker'), ...up('steps'), ...up('app'), ...up('lib'), ...up('domain')],
      'src/components is presentational: it imports nothing above it.',
    ),
  },
  {
    files: ['src/steps/**/*.{ts,tsx}'],
    rules: forbid([...up('app'), '../*-step/**', '../../steps/**', '../*/*-step*'], 'A step never imports another step or the app.'),
  },
  {
    files: ['src/lib/**/*.{ts,tsx}'],
    rules: forbid([...up('steps'), ...up('app'), ...up('components')], 'src/lib holds app-wide helpers; it does not import steps, components or the app.'),
  },
  {
    files: ['emulator/**/*.ts'],
    rules: forbid(
      ['react', 'react-dom', '@tanstack/*', '**/src/app/**', '**/src/steps/**', '**/src/components/**', '**/src/worker/**', '**/src/lib/**'],
      'The emulator imports src/api contract schemas and src/domain only.',
    ),
  },
);
