// ESLint (flat config) for the package (js/), the dashboard (www/), the tests and the scripts: the recommended
// rules, each environment's globals, and nothing stylistic (prettier owns layout; `npm test`'s lint stage runs both).
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    ignores: [
      'dist/**',
      'dist-dashboard/**',
      'node_modules/**',
      'target/**',
      'fuzz/**',
      'test-results/**',
      '**/fixtures/**',
      'examples/**/dist/**',
      'examples/**/node_modules/**',
      '.venv/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      // The package and worker run in browsers, workers and Node alike; tests and scripts in Node and pages.
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    rules: {
      // `_`-prefixed arguments are deliberately unused (interface shapes); caught errors may be ignored.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS consumers (tests/consumers: `require('segmetry')`).
    files: ['**/*.cjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'commonjs', globals: { ...globals.node } },
  },
];
