import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'runs/', 'sweeps/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The library core must run in a browser: no Node built-ins.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'zlib',
                'url',
                'http',
                'https',
                'crypto',
                'child_process',
                'worker_threads',
              ],
              message: 'src/ is browser-safe: put Node-only code under node/.',
            },
          ],
        },
      ],
    },
  },
);
