import { globalIgnores } from 'eslint/config';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

/**
 * n8n's community-node rules, self-hosted variant: this package stores associations in SQLite or
 * PostgreSQL, so it cannot run on n8n Cloud (see README).
 *
 * Only the n8n package surface is linted here: nodes/, credentials/ and package.json. The association
 * core (core/), tests and scripts are plain TypeScript/Node code that n8n's node rules do not describe
 * (for instance, the core rethrows its own errors; nodes turn them into NodeOperationError).
 */
export default [
	globalIgnores(['**/*', '!nodes/', '!nodes/**', '!credentials/', '!credentials/**', '!package.json']),
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: {
			// The database stack (typeorm, sqlite3, pg, zod, …) must be installed with the package: the nodes
			// open the association store at runtime. Verified (Cloud) packages may not have runtime dependencies;
			// this one is self-hosted only, so the rule does not apply.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
