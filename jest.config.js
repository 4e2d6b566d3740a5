/** Unit specs live beside the code; e2e and integration specs under test/. */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
// The optional sentence model keeps its engine on globalThis; jest 30's default clean-up of
// globals between files breaks it for a later file (seen as "Backend 'wasm' has not yet been
// initialized" after an earlier spec loaded it), so globals are left as they are.
const common = {
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Booting the app and seeding take seconds on a busy 2-core machine; a hook's 5 s default is too tight.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts', '<rootDir>/eval/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Replicas share a database over the network; SQLite is one process's file.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/replicas\\.e2e-spec\\.ts$'],
    },
    // The same suites again on PostgreSQL: one throwaway server for the run, a database per app.
    {
      ...common,
      displayName: 'e2e-postgres',
      rootDir: '.',
      // Every e2e suite: database-full makes the server answer its own disk-full and read-only
      // errors (test/support/database-faults.ts), seed-crash runs the CLI on a fresh database of
      // the test server, and the two-replica suite runs here only.
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/postgres/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/postgres/use-postgres.ts'],
    },
  ],
};
