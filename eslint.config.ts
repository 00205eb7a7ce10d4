/**
 * ESLint (flat config) for every TypeScript file: the recommended JavaScript and
 * typescript-eslint rules. Formatting is Prettier's (.prettierrc.json), not ESLint's.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'test/fixtures/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // tsc checks names against Node's and the DOM's types; ESLint's own list would only repeat it
      // (typescript-eslint's advice for TypeScript projects).
      'no-undef': 'off',
      // tsc's noUnusedLocals/noUnusedParameters already report these, with the same exceptions.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
);
