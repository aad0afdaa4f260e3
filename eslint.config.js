// @ts-check
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';

const htmlStringApis = [
  { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: 'No HTML strings: render through Lit templates (DESIGN.md, Rendering and safety).' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'No HTML strings: render through Lit templates.' },
  { selector: "CallExpression[callee.property.name='createContextualFragment']", message: 'No HTML strings: render through Lit templates.' },
  { selector: "CallExpression[callee.name='eval'], NewExpression[callee.name='Function']", message: 'No eval: the widget must run under a strict CSP.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'demo-dist/**', 'node_modules/**', 'custom-elements.json', 'bench-results/**', 'screenshots/**', '.tmp/**', '.tmp-*/**', 'tmp/**'] },
  ...tseslint.configs.recommended,
  litConfigs['flat/recommended'],
  wcConfigs['flat/recommended'],
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...htmlStringApis],
      'no-restricted-imports': ['error', { patterns: [{ group: ['lit/directives/unsafe-*'], message: 'No unsafeHTML/unsafeSVG: untrusted text is rendered as text.' }] }],
    },
  },
  {
    // The logic layers stay free of Lit and the element so they run (and are tested) anywhere.
    files: ['src/flow/**', 'src/hours/**', 'src/outbox/**', 'src/transport/**', 'src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...htmlStringApis,
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Take a clock (now()) as a parameter.' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['lit', 'lit/*', '../element/*', '../ui/*', '../controllers/*', '../session/*'], message: 'Logic layers must not import Lit or the UI.' }] },
      ],
    },
  },
  {
    // chai's property assertions (`.to.be.true`) read as bare expressions.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['scripts/**', '*.mjs', '*.js', 'test/server/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
