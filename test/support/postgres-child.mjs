// Runs startPostgres (options as JSON in argv[2]) in its own process, for test files: jest's test
// environment cannot import this ES module. Prints one JSON line { config, tls } when ready, and
// stops the server when its stdin closes (the test ended, or its process died).
import { startPostgres } from './postgres-server.mjs';

const server = await startPostgres(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`${JSON.stringify({ config: server.config, tls: server.tls })}\n`);
process.stdin.on('end', () => {
	void server.stop().finally(() => process.exit(0));
});
process.stdin.resume();
