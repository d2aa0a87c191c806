// ESLint flat config. The `workflows/` override is what keeps workflow code deterministic: it cannot
// import Node built-ins, I/O clients or adapters, nor read process.env.
import { builtinModules } from 'node:module';

import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// A string where a Temporal client or workflow API takes a definition (see the override below).
const named = `[arguments.0.type=/^(Literal|TemplateLiteral)$/]`;
const messageNameRules = [
  {
    selector: `CallExpression[callee.property.name=/^(signal|executeUpdate|startUpdate)$/]${named}`,
    message: 'Pass the defineSignal/defineUpdate object exported by the workflow, not its name.',
  },
  {
    // Only on workflow handles: pg's pool.query('SELECT …') is a string by design.
    selector: `CallExpression[callee.property.name='query']:matches([callee.object.name=/[Hh]andle$/], [callee.object.property.name=/[Hh]andle$/], [callee.object.callee.property.name='getHandle'])${named}`,
    message: 'Pass the defineQuery object exported by the workflow, not its name.',
  },
  {
    selector: `CallExpression[callee.object.property.name='workflow'][callee.property.name=/^(start|execute|signalWithStart|startUpdateWithStart|executeUpdateWithStart)$/]${named}`,
    message: 'Start a workflow by its function (client.workflow.start(trainingPipeline, …)): typed args and result.',
  },
  {
    selector: `CallExpression[callee.name=/^(startChild|executeChild)$/]${named}`,
    message: 'Start a workflow by its function, not its name.',
  },
  {
    selector: `Property[key.name='workflowType'][value.type=/^(Literal|TemplateLiteral)$/]`,
    message: 'A schedule action takes the workflow function as workflowType.',
  },
  {
    selector: `TSAsExpression:matches([expression.callee.property.name='result'], [expression.argument.callee.property.name='result'])`,
    message: 'Type the handle (WorkflowHandle<typeof wf>, getHandle<typeof wf>) instead of casting its result.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.stack*/', '.tools/', 'reports/', 'coverage/', 'dags/', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          'newlines-between': 'always',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
    },
  },
  {
    // Workflows, signals, queries and updates are named by their definitions (the workflow function, the
    // defineSignal/defineQuery/defineUpdate objects), never by a string: a renamed handler then breaks the
    // build, not a run, and results are typed by the workflow instead of cast.
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...messageNameRules],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins.' })),
            ...[
              'pg',
              'kafkajs',
              'express',
              'pino',
              '@temporalio/client',
              '@temporalio/worker',
              '@temporalio/activity',
            ].map((name) => ({ name, message: 'Workflows must not do I/O: call an activity instead.' })),
          ],
          patterns: [
            {
              group: ['**/adapters', '**/adapters/*', '**/adapters/**'],
              message: 'Workflows must not use adapters: call an activity.',
            },
            {
              group: ['**/config', '**/config/**'],
              message: 'Workflows get configuration as input, not from the environment.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Workflows must not read the environment.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflows must not touch the process.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'fetch', message: 'Workflows must not do I/O: call an activity instead.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Plain CommonJS entry points (bin shims, jest config) load modules with require().
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
