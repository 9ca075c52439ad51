import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: 'error',
      // With noUncheckedIndexedAccess, `buf[i]!` after a bounds check is the honest idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', '*.js', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // shared/ runs in Node and in the browser: no Node built-ins, no Node or DOM globals.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '../server/*', '../web/*'] }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'window', 'document', 'localStorage'],
    },
  },
  {
    // The room layer (hub, channel, message) never imports a transport or the Redis link:
    // arrows point transports → hub → channel → message → shared.
    files: ['server/hub/**/*.ts', 'server/channel/**/*.ts', 'server/message/**/*.ts'],
    ignores: ['server/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../transports/*', '../http/*', '../cluster/*', '../api/*', 'node:net', 'node:tls', 'ws', 'fastify', 'ioredis'] }],
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.ts', 'server/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
