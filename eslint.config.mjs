import js from '@eslint/js';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Every folder is linted; each gets the rules that describe it.
 * - nodes/, credentials/ and package.json: n8n's community-node rules, self-hosted variant (this package stores
 *   associations in SQLite or PostgreSQL, so it cannot run on n8n Cloud; see README).
 * - core/, test/, bench/, scripts and configs: ESLint's and typescript-eslint's recommended rules. n8n's node
 *   rules do not describe them (the core rethrows its own errors; the nodes turn them into NodeOperationError).
 */
const PACKAGE_SURFACE = ['nodes/**/*.ts', 'credentials/**/*.ts'];

/** n8n's config applies to every TypeScript file; narrow it to the package surface. */
const n8nRules = configWithoutCloudSupport.map((config) =>
	config.files?.includes('**/*.ts') ? { ...config, files: PACKAGE_SURFACE } : config,
);

export default [
	globalIgnores([
		'dist/',
		'.toolchain/',
		'.n8n/',
		'.runtime/',
		'coverage/',
		'bench/results/',
		// A stand-in community package the end-to-end harness installs; it mimics n8n's compiled output.
		'test/e2e/fixtures/',
	]),
	...n8nRules,
	{
		files: ['package.json'],
		rules: {
			// The database stack (typeorm, sqlite3, pg, zod, …) must be installed with the package: the nodes
			// open the association store at runtime. Verified (Cloud) packages may not have runtime dependencies;
			// this one is self-hosted only, so the rule does not apply.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// sqlite3 is an optional peer: n8n's installer runs npm with --ignore-scripts, so a sqlite3 of our own
			// would stay uncompiled; n8n ships a compiled sqlite3 and makes it resolvable for packages (NODE_PATH).
			'@n8n/community-nodes/valid-peer-dependencies': 'off',
		},
	},
	...tseslint.config({
		files: ['core/**/*.ts', 'test/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	}),
	{
		// The end-to-end suites read n8n's CLI output: JSON whose shape n8n, not this package, defines.
		files: ['test/e2e/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	{
		files: ['**/*.{js,mjs,cjs}'],
		...js.configs.recommended,
		languageOptions: { globals: { ...globals.node } },
		rules: {
			...js.configs.recommended.rules,
			'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['**/*.cjs', 'jest.config.js', '.prettierrc.js'],
		languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
	},
];
