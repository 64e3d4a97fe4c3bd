// Lint rules, including the project's shape: botbuilder only in bot/, database
// dialects and drivers only in db/, no `any`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const botbuilderOnlyInBot = {
  paths: [
    { name: 'botbuilder', message: 'Only bot/ imports botbuilder: keep Teams out of the domain.' },
    { name: 'botframework-connector', message: 'Only bot/ talks to the Bot Framework.' },
  ],
};
const dialectsOnlyInDb = [
  { name: 'better-sqlite3', message: 'Only db/ opens databases.' },
  { name: 'tedious', message: 'Only db/ opens databases.' },
  { name: 'tarn', message: 'Only db/ opens databases.' },
  { name: 'mssql', message: 'Only db/ opens databases.' },
  { name: 'kysely', importNames: ['SqliteDialect', 'MssqlDialect'], message: 'Only db/ chooses a dialect.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'devTools/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['services/**/*.ts', 'cards/**/*.ts', 'db/**/*.ts', 'cli/**/*.ts', 'manifest/**/*.ts', 'tab/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...botbuilderOnlyInBot.paths, ...(dialectsOnlyInDb)] }] },
  },
  {
    files: ['db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', botbuilderOnlyInBot] },
  },
  {
    files: ['bot/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: dialectsOnlyInDb }] },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...botbuilderOnlyInBot.paths, ...dialectsOnlyInDb, { name: 'restify', message: 'services/ knows nothing of HTTP.' }],
          patterns: [{ group: ['../bot/*', '../cards/*'], message: 'services/ knows nothing of Teams or cards.' }],
        },
      ],
    },
  },
);
