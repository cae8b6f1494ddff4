import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'web/dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Dependencies point one way: core is pure and imports nothing of the layers built on it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/**', '**/server/**', '**/node/**'], message: 'src/core must not import outer layers.' },
            { group: ['node:*', 'fs', 'path', 'child_process', 'net', 'http'], message: 'src/core does no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/services/**/*.ts', 'src/server/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['fastify', '@fastify/*', '**/gateway/**'], message: 'Only the gateway knows HTTP.' }] },
      ],
    },
  },
);
