/** Octokit and its helpers ship only as ES modules; Jest's CommonJS runtime needs them compiled like our code. */
const ESM_ONLY = '/node_modules/(@octokit|universal-user-agent|before-after-hook|json-with-bigint)/';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // A Redis for the run: the one on TEST_REDIS_URL / 127.0.0.1:6379, or a private redis-server started and stopped here.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // Everything else in node_modules stays untransformed, as before.
  transformIgnorePatterns: [`^(?!.*${ESM_ONLY}).*/node_modules/`],
  // Integration tests share one Redis and bind loopback ports; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
  // Measured: after the last suite no worker holds a ref'd handle or resource, and each fires 'exit' (code 0)
  // within milliseconds of it, yet the process itself can take longer than Jest's default 500 ms to be gone
  // (native teardown), which Jest reported as a leak. A real leak keeps a worker alive past 3 s and still warns.
  workerGracefulExitTimeout: 3000,
  testTimeout: 30000,
};
