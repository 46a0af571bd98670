// Lint rules, including the layer boundaries from the README's architecture section.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'test-results', 'db/migrations', 'src/emulator/public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/config.ts only.' }],
    },
  },
  { files: ['src/config.ts', 'test/**', 'bench/**', 'drizzle.config.ts', 'vitest.config.ts'], rules: { 'no-restricted-properties': 'off' } },
  // The domain is pure: no database, no SDK, no services.
  { files: ['src/domain/**'], rules: restrict([{ group: ['drizzle-orm', 'drizzle-orm/*', '@larksuiteoapi/*', '**/services/**', '**/db/**', '**/lark/**', 'postgres', '@electric-sql/*'], message: 'src/domain is pure.' }]) },
  // Only src/lark and the fake may import the Lark SDK.
  { files: ['src/**', 'commands/**', 'cards/**', 'db/**'], ignores: ['src/lark/**'], rules: restrict([{ group: ['@larksuiteoapi/*'], message: 'Only src/lark imports the Lark SDK.' }]) },
  // Commands and cards never touch the database directly: services own it.
  { files: ['commands/**', 'cards/**'], rules: restrict([{ group: ['drizzle-orm', 'drizzle-orm/*', '**/db/**', '@larksuiteoapi/*'], message: 'Go through src/services; only src/lark talks to Lark.' }]) },
);
