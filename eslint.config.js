import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import tsdoc from 'eslint-plugin-tsdoc';
import { layerRules } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Doc comments must parse as TSDoc (a broken {@link} or code span is an error, not a silent blank).
  { files: ['{cmd,pkg,proto,bench}/**/*.ts'], plugins: { tsdoc }, rules: { 'tsdoc/syntax': 'error' } },
  layerRules,
);
