/**
 * Two projects: the engine's tests run as plain CommonJS; the GitHub app's tests (test/github,
 * test/e2e) load probot and @octokit/*, which are ES modules that jest's CommonJS runtime can only
 * load transformed (babel: ESM and import.meta to CommonJS; the "import" condition lets ESM-only
 * packages resolve).
 */
const tsJest = ['ts-jest', { diagnostics: false }];
const githubTests = ['<rootDir>/test/github/', '<rootDir>/test/e2e/'];

/** @type {import('jest').Config} */
module.exports = {
  // Truth tests start real PostgreSQL servers; give them room.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'engine',
      testEnvironment: 'node',
      roots: ['<rootDir>/test', '<rootDir>/src'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...githubTests],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'github',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/github/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      testEnvironmentOptions: { customExportConditions: ['node', 'require', 'import', 'default'] },
      moduleNameMapper: { '^dedent$': '<rootDir>/node_modules/dedent/dist/dedent.js' },
      transform: {
        '^.+\\.ts$': tsJest,
        '^.+\\.m?js$': [
          'babel-jest',
          {
            babelrc: false,
            configFile: false,
            plugins: ['babel-plugin-transform-import-meta', '@babel/plugin-transform-modules-commonjs'],
          },
        ],
      },
      transformIgnorePatterns: [
        '/node_modules/(pg[0-9]+|typescript|@babel|jest[^/]*|@jest|eslint[^/]*|@eslint|@typescript-eslint|prettier)/',
      ],
    },
  ],
};
