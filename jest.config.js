/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // A Redis for the run: the one on TEST_REDIS_URL / 127.0.0.1:6379, or a private redis-server started and stopped here.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // Integration tests share one Redis and bind loopback ports; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
  testTimeout: 30000,
};
