// House style: ESLint's and typescript-eslint's recommended rules (syntax only, not type-aware); Prettier
// owns formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', '.scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  // The simulator page's own scripts run in the browser (checked by src/simulator/public/tsconfig.json).
  {
    files: ['src/simulator/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
