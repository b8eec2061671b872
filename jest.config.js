/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  // probot and @octokit/* are ES modules; jest's CommonJS runtime needs them transformed. The
  // "import" condition lets ESM-only packages resolve; babel turns them (and import.meta) into CJS.
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'import', 'default'] },
  moduleNameMapper: { '^dedent$': '<rootDir>/node_modules/dedent/dist/dedent.js' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '^.+\\.m?js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: ['babel-plugin-transform-import-meta', '@babel/plugin-transform-modules-commonjs'],
      },
    ],
  },
  // Large CommonJS packages need no transform.
  transformIgnorePatterns: [
    '/node_modules/(pg[0-9]+|pg|pg-[^/]+|typescript|libpg-query|@babel|jest[^/]*|@jest|yaml|eslint[^/]*|@eslint|@typescript-eslint|prettier|minimatch)/',
  ],
  // Truth tests start real PostgreSQL servers; give them room.
  testTimeout: 120000,
};
