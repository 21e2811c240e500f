/** @type {import('jest').Config} */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	// n8n data of `npm start` / `npm start -- --queue` (user folders, a PostgreSQL cluster): not modules
	modulePathIgnorePatterns: ['<rootDir>/\\.n8n/', '<rootDir>/\\.runtime/'],
	globalSetup: '<rootDir>/test/support/global-setup.mjs',
	globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
	testTimeout: 120000,
	maxWorkers: 2,
};
