import { startPostgres } from './postgres-server.mjs';

export default async function globalSetup() {
	if (process.env.ASSOC_TEST_POSTGRES) return; // an outside server was given
	const started = Date.now();
	const postgres = await startPostgres({ database: 'associations_test' });
	globalThis.__ASSOC_POSTGRES__ = postgres;
	process.env.ASSOC_TEST_POSTGRES = JSON.stringify(postgres.config);
	process.stderr.write(
		`PostgreSQL for tests on port ${postgres.config.port} (started in ${Date.now() - started} ms)\n`,
	);
}
