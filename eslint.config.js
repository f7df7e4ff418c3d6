// ESLint flat config: type-aware TypeScript rules plus the layer rules of docs/architecture (import direction).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Build a no-restricted-imports rule that forbids the given path patterns with a reason. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

const up = (layer) => [`**/${layer}/**`, `../${layer}/*`, `../../${layer}/*`, `../../../${layer}/*`];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-e2e-*/**', 'dist-bench/**', 'bench/out/**', '.data-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.data/**', 'coverage/**'] },
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
  {
    files: ['src/**/*.tsx', 'src/**/use-*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // Layer rules: domain is pure; worker → domain; api → domain; components → nothing above; steps never import steps.
  {
    files: ['src/domain/**/*.ts'],
    rules: forbid(
      [...up('api'), ...up('worker'), ...up('steps'), ...up('components'), ...up('app'), ...up('lib'), 'react', 'react-dom', '@tanstack/*', 'hono', 'better-sqlite3', 'node:*'],
      'src/domain is pure TypeScript: it may import only domain code, zod, papaparse and jszip.',
    ),
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: forbid([...up('api'), ...up('steps'), ...up('components'), ...up('app'), ...up('lib'), 'react', 'react-dom'], 'src/worker may import only src/domain.'),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: forbid([...up('worker'), ...up('steps'), ...up('components'), ...up('app'), ...up('lib'), 'react-dom'], 'src/api may import only src/domain, zod and react-query.'),
  },
  {
    files: ['src/components/**/*.{ts,tsx}'],
    rules: forbid([...up('api'), ...up('worker'), ...up('steps'), ...up('app'), ...up('lib'), ...up('domain')], 'src/components is presentational: it imports nothing above it.'),
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
    rules: forbid(['react', 'react-dom', '@tanstack/*', '**/src/app/**', '**/src/steps/**', '**/src/components/**', '**/src/worker/**', '**/src/lib/**'], 'The emulator imports src/api contract schemas and src/domain only.'),
  },
);
