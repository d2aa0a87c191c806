/**
 * Three projects: `unit` needs nothing running; `workflows` (`*.timeskip.test.ts`) runs workflows on
 * Temporal's time-skipping test server with fake activities (test/workflows/global-setup.ts installs it);
 * `integration` starts its own embedded stack on test ports (see test/integration/global-setup.ts) and stops
 * it afterwards.
 */
const transform = { '^.+\\.ts$': ['@swc/jest'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/integration/',
        '\\.timeskip\\.test\\.ts$',
        '/\\.stack',
        '/\\.tools/',
        '/dist/',
      ],
    },
    {
      displayName: 'workflows',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/**/*.timeskip.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/\\.stack', '/\\.tools/', '/dist/'],
      globalSetup: '<rootDir>/test/workflows/global-setup.ts',
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
