/**
 * End-to-end harness: runs workflows inside a REAL n8n (provisioned by scripts/provision-n8n.sh) through its
 * CLI, headless, with this package loaded exactly as a community-node install would load it.
 *
 *   const n8n = await createN8nHarness({ packageDir: REPO_DIR });   // provisions on first use (~6 min cold)
 *   await n8n.importCredentials([{ id, name, type: 'associationStoreApi', data: { ... } }]);
 *   const id = await n8n.importWorkflow(workflowJson);
 *   const result = await n8n.executeWorkflow(id);                   // ~4-8 s per call (a fresh n8n process)
 *   result.json; result.error?.itemIndex;
 *   await n8n.cleanup();
 *
 * Facts this relies on (measured on n8n 2.40.7, see docs/runtime-notes.md):
 * - `n8n execute --id=X --rawOutput` prints log lines AND the run as `JSON.stringify(run, null, 2)` on stdout.
 *   Success: exit 0, `status: "success"`. Failure: exit 1, the same JSON (status "error", error in
 *   data.resultData.error with context.itemIndex), surrounded by "Execution error:" log lines. Nothing useful
 *   goes to stderr.
 * - Every n8n process binds the task-broker port (default 5679): parallel processes need distinct ports.
 * - NODE_ENV=test (set by jest) makes n8n refuse to load nodes: the child env is built from a whitelist.
 * - N8N_CUSTOM_EXTENSIONS globs every `**\/*.node.js` below the folder, node_modules included (our dev
 *   dependencies contain `apache-arrow/Arrow.node.js`, which crashes n8n), and names the nodes `CUSTOM.<name>`.
 *   So the package goes into `<user folder>/.n8n/nodes/node_modules/<name>`, where n8n loads installed
 *   community packages: node types are then `<package name>.<node name>`, as for users. The default load mode
 *   installs the packed tarball there the way n8n's installer does (packed-package.ts), so a file missing from
 *   `files` or a dependency missing from `dependencies` fails the tests as it would fail users.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { dumpsCore, executableOf, nativeBacktrace, withCoreDumps } from './native-crash';
import { installPackedPackage, linkInstalledPackage } from './packed-package';

export const REPO_DIR = path.resolve(__dirname, '..', '..');
export const PROVISION_SCRIPT = path.join(REPO_DIR, 'scripts', 'provision-n8n.sh');

/** How the package under test is made visible to n8n. */
export type LoadMode =
	/** `npm pack` of packageDir, installed as n8n installs community packages (node types `<package>.<node>`) */
	| 'packed'
	/** symlink into <user folder>/.n8n/nodes/node_modules/<package name> (node types `<package>.<node>`) */
	| 'package'
	/** N8N_CUSTOM_EXTENSIONS=<packageDir>/dist (node types `CUSTOM.<node>`) */
	| 'custom'
	/** load nothing extra (built-in nodes only) */
	| 'none';

export interface HarnessOptions {
	/** Root of the package to load (package.json with an `n8n` block, built dist/). Default: this repo. */
	packageDir?: string;
	/** Default 'packed'. */
	loadMode?: LoadMode;
	/** For loadMode 'custom': folder for N8N_CUSTOM_EXTENSIONS. Default `<packageDir>/dist`. */
	customExtensionsDir?: string;
	/** Extra environment for every n8n invocation (wins over the harness defaults). */
	env?: Record<string, string | undefined>;
	/** Keep the throwaway user folder on cleanup() (for debugging). Also: N8N_E2E_KEEP=1. */
	keep?: boolean;
	/** Per-invocation timeout in ms (default 180 000). */
	timeoutMs?: number;
}

export interface ItemLike {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	binary?: unknown;
	error?: unknown;
	[key: string]: unknown;
}

export interface ExecutionError {
	message: string;
	description?: string;
	/** From NodeOperationError / NodeApiError `{ itemIndex }` (error.context.itemIndex). */
	itemIndex?: number;
	/** Name of the node that failed, when n8n says. */
	node?: string;
	/** Error class name, e.g. NodeOperationError. */
	name?: string;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	seconds: number;
	/** When a core-dumping signal ended n8n: the crashing thread's native stack, or why there is none. */
	nativeBacktrace?: string;
}

export interface ExecutionResult {
	/** status "success" and exit code 0 */
	ok: boolean;
	/** n8n's execution status ("success", "error", ...) or "crashed" when no run JSON was printed */
	status: string;
	exitCode: number | null;
	/** The signal that ended n8n, when it did not exit by itself. */
	signal: NodeJS.Signals | null;
	seconds: number;
	lastNode?: string;
	/** Items on output 0 of the last run of the last executed node ([] when it failed). */
	items: ItemLike[];
	/** `items.map(i => i.json)` */
	json: Array<Record<string, unknown>>;
	/** Every output of the last run of the last executed node. */
	outputs: ItemLike[][];
	error?: ExecutionError;
	/** Items of any node: output `output` (default 0) of run `run` (default: the last run). */
	nodeItems(nodeName: string, output?: number, run?: number): ItemLike[];
	/** The parsed run JSON as n8n printed it (IRun-like), undefined if none was printed. */
	raw?: any;
	stdout: string;
	stderr: string;
	/** When a core-dumping signal ended n8n: the crashing thread's native stack, or why there is none. */
	nativeBacktrace?: string;
}

export interface CredentialImport {
	id?: string;
	name: string;
	type: string;
	/** Plain object: n8n encrypts it with the user folder's key on import. */
	data: Record<string, unknown>;
}

/** Timeouts for jest hooks/tests using the harness: a cold provisioning takes 6-8 min on 2 cores. */
export const E2E_PROVISION_TIMEOUT_MS = 30 * 60_000;
/** One n8n CLI invocation takes 4-12 s (2 cores, depending on load); allow for several per test. */
export const E2E_TEST_TIMEOUT_MS = 4 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n8n-style id: 16 alphanumeric characters. */
export function newId(prefix = ''): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	const bytes = randomBytes(16);
	let id = prefix;
	for (let i = 0; id.length < 16; i++) id += alphabet[bytes[i % 16] % alphabet.length];
	return id.slice(0, 16);
}

let provisioned: Promise<string> | undefined;

/**
 * Runs scripts/provision-n8n.sh once per process (cached; the script itself is cached on disk and returns in
 * milliseconds once done) and returns the n8n launcher path. N8N_BIN overrides it (an n8n you installed).
 */
export function provisionN8n(): Promise<string> {
	if (process.env.N8N_BIN) return Promise.resolve(process.env.N8N_BIN);
	provisioned ??= new Promise<string>((resolve, reject) => {
		const child = spawn('bash', [PROVISION_SCRIPT], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: process.env,
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => {
			err += d;
			process.stderr.write(d); // progress of a cold install (minutes) stays visible
		});
		child.on('error', reject);
		child.on('close', (code) => {
			const bin = out.trim().split('\n').pop() ?? '';
			if (code === 0 && bin && fs.existsSync(bin)) resolve(bin);
			else
				reject(new Error(`scripts/provision-n8n.sh failed (exit ${code}):\n${err.slice(-4000)}`));
		});
	});
	provisioned.catch(() => (provisioned = undefined));
	return provisioned;
}

/** A TCP port free right now on 127.0.0.1 (for n8n's task broker). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** Only these variables of the caller reach n8n: jest's NODE_ENV=test, NODE_OPTIONS, DB_* etc. must not. */
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
	'TERM',
];

/** Environment for a headless, offline, quiet n8n with its data in `userFolder`. */
export function n8nEnv(
	userFolder: string,
	extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const k of PASSTHROUGH_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
	Object.assign(env, {
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		EXECUTIONS_MODE: 'regular',
		GENERIC_TIMEZONE: 'UTC',
		// nothing leaves the machine, nothing nags
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// internal JS task runner (Code node) on a broker port on loopback; set per invocation
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info', // the failure JSON of `execute` is logged at info level: do not go lower
		N8N_LOG_OUTPUT: 'console',
		NO_COLOR: '1',
	});
	for (const [k, v] of Object.entries(extra)) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return env;
}

/**
 * Runs the n8n launcher with args; never throws on a non-zero exit (the result says). `cwd` matters: TypeORM
 * falls back to `<cwd>/node_modules/<driver>` when a package cannot require its database driver, so n8n run
 * from the repository would find the repository's sqlite3 and hide an install that lacks one.
 */
export function runN8n(
	bin: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 180_000,
	cwd?: string,
): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		// own process group, so a timeout also ends the task-runner child n8n spawns
		const [command, commandArgs] = withCoreDumps(bin, args);
		const child = spawn(command, commandArgs, {
			env,
			cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', async (code, signal) => {
			clearTimeout(timer);
			const seconds = (Date.now() - started) / 1000;
			if (timedOut) stderr += `\n[n8n-harness] killed after ${timeoutMs} ms: n8n ${args.join(' ')}`;
			let nativeTrace: string | undefined;
			if (dumpsCore(signal) && child.pid !== undefined) {
				try {
					nativeTrace = await nativeBacktrace(
						cwd ?? process.cwd(),
						child.pid,
						signal!,
						executableOf(bin),
					);
				} catch (e) {
					nativeTrace = `no native backtrace of the ${signal}: ${(e as Error).message}`;
				}
			}
			if (nativeTrace) stderr += `\n[n8n-harness] ${nativeTrace}`;
			resolve({ code, signal, stdout, stderr, seconds, nativeBacktrace: nativeTrace });
		});
	});
}

/**
 * Finds the run JSON in `n8n execute` stdout. n8n prints it with JSON.stringify(run, null, 2), so it starts
 * with a line "{" and ends with the next line "}" (only the outermost braces sit in column 0).
 */
export function extractRunJson(stdout: string): any | undefined {
	const lines = stdout.split(/\r?\n/);
	let found: any;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (parsed && typeof parsed === 'object' && parsed.data?.resultData) {
					found = parsed;
					i = j;
				}
			} catch {
				/* not it */
			}
			break;
		}
	}
	return found;
}

function toExecutionError(e: any): ExecutionError | undefined {
	if (!e || typeof e !== 'object') return undefined;
	const itemIndex = e.context?.itemIndex ?? e.itemIndex;
	return {
		message: String(e.message ?? 'Unknown error'),
		description: e.description ?? undefined,
		itemIndex: typeof itemIndex === 'number' ? itemIndex : undefined,
		node: e.node?.name ?? undefined,
		name: e.name ?? undefined,
	};
}

/** Turns `n8n execute --rawOutput` output into an ExecutionResult (pure: unit-testable). */
export function parseExecuteOutput(cli: CliResult): ExecutionResult {
	const raw = extractRunJson(cli.stdout);
	const runData: Record<string, any[]> = raw?.data?.resultData?.runData ?? {};
	const nodeItems = (nodeName: string, output = 0, run = -1): ItemLike[] => {
		const runs = runData[nodeName] ?? [];
		const r = runs.at(run);
		return (r?.data?.main?.[output] ?? []) as ItemLike[];
	};
	const lastNode: string | undefined = raw?.data?.resultData?.lastNodeExecuted;
	const lastRun = lastNode ? runData[lastNode]?.at(-1) : undefined;
	const outputs: ItemLike[][] = (lastRun?.data?.main ?? []).map((o: ItemLike[] | null) => o ?? []);
	const items = outputs[0] ?? [];

	let error = toExecutionError(raw?.data?.resultData?.error);
	if (!error && lastRun?.error) error = toExecutionError(lastRun.error);
	if (error && !error.node && lastNode && lastRun?.error) error.node = lastNode;
	if (!raw && cli.code !== 0) {
		// n8n died before/without printing a run (bad workflow, unknown node type, port in use, ...):
		// its message follows the "Execution error:" / "====" lines, or is the last lines of output.
		const lines = `${cli.stdout}\n${cli.stderr}`.split(/\r?\n/);
		const sep = lines.lastIndexOf('====================================');
		const nonEmpty = (xs: string[]) => xs.filter((l) => l.trim());
		const after = sep >= 0 ? nonEmpty(lines.slice(sep + 1)) : nonEmpty(lines).slice(-1);
		error = {
			message: after[0] ?? `n8n exited with code ${cli.code}`,
			description: after.length > 1 ? after.slice(1).join('\n') : undefined,
		};
	}
	const status: string = raw?.status ?? (cli.code === 0 ? 'unknown' : 'crashed');
	return {
		ok: cli.code === 0 && status === 'success' && !error,
		status,
		exitCode: cli.code,
		signal: cli.signal,
		seconds: cli.seconds,
		lastNode,
		items,
		json: items.map((i) => i.json),
		outputs,
		error,
		nodeItems,
		raw,
		stdout: cli.stdout,
		stderr: cli.stderr,
		nativeBacktrace: cli.nativeBacktrace,
	};
}

export class N8nHarness {
	private constructor(
		readonly bin: string,
		/** N8N_USER_FOLDER: n8n keeps its data in `<userFolder>/.n8n` (database.sqlite, config, nodes/). */
		readonly userFolder: string,
		private readonly options: HarnessOptions,
	) {}

	/** `<userFolder>/.n8n`: where n8n (and our credential's default associations.sqlite) keep files. */
	get n8nFolder(): string {
		return path.join(this.userFolder, '.n8n');
	}

	static async create(options: HarnessOptions = {}): Promise<N8nHarness> {
		const bin = await provisionN8n();
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
		// provision-n8n.sh leaves an already-migrated n8n database next to the launcher: copying it saves the
		// ~300 migrations (~3 s) the first command in a fresh folder would run. All copies share its encryption key.
		const template = path.join(path.dirname(path.dirname(bin)), 'user-folder-template', '.n8n');
		if (fs.existsSync(path.join(template, 'database.sqlite'))) {
			fs.cpSync(template, path.join(userFolder, '.n8n'), { recursive: true });
		}
		const h = new N8nHarness(bin, userFolder, options);
		if (h.loadMode === 'packed') await h.installPacked();
		else h.linkPackage();
		return h;
	}

	private get loadMode(): LoadMode {
		return this.options.loadMode ?? 'packed';
	}

	/** Where n8n loads the package from: `<n8nFolder>/nodes/node_modules/<name>` (modes packed and package). */
	packageLink?: string;

	private async installPacked(): Promise<void> {
		const nodesDir = await installPackedPackage(this.packageDir);
		const name = JSON.parse(
			fs.readFileSync(path.join(this.packageDir, 'package.json'), 'utf8'),
		).name;
		this.packageLink = linkInstalledPackage(nodesDir, this.n8nFolder, name);
	}

	private get packageDir(): string {
		return path.resolve(this.options.packageDir ?? REPO_DIR);
	}

	private linkPackage(): void {
		if (this.loadMode !== 'package') return;
		const pkgJsonPath = path.join(this.packageDir, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
		if (!pkg.n8n) throw new Error(`${pkgJsonPath} has no "n8n" block: n8n would not load it`);
		for (const f of [...(pkg.n8n.nodes ?? []), ...(pkg.n8n.credentials ?? [])]) {
			if (!fs.existsSync(path.join(this.packageDir, f)))
				throw new Error(
					`${pkg.name}: ${f} is listed in package.json "n8n" but missing: run \`npm run build\` first`,
				);
		}
		const link = path.join(this.n8nFolder, 'nodes', 'node_modules', pkg.name);
		fs.mkdirSync(path.dirname(link), { recursive: true });
		fs.symlinkSync(this.packageDir, link, 'dir');
		this.packageLink = link;
	}

	/** Environment of every invocation (a fresh broker port is added per call). */
	env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
		const mode = this.loadMode;
		const custom =
			mode === 'custom'
				? {
						N8N_CUSTOM_EXTENSIONS:
							this.options.customExtensionsDir ?? path.join(this.packageDir, 'dist'),
					}
				: {};
		return n8nEnv(this.userFolder, { ...custom, ...this.options.env, ...extra });
	}

	/** Any n8n CLI command, e.g. run(['export:workflow', '--all']). Retries once if the broker port was taken. */
	async run(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			const res = await runN8n(
				this.bin,
				args,
				this.env({ N8N_RUNNERS_BROKER_PORT: String(port), ...extraEnv }),
				this.options.timeoutMs ?? 180_000,
				this.userFolder, // as a user's n8n: no node_modules of this repository around it
			);
			if (process.env.N8N_E2E_VERBOSE === '1') {
				process.stderr.write(
					`[n8n-harness] n8n ${args.join(' ')}: exit ${res.code} in ${res.seconds.toFixed(2)} s\n`,
				);
			}
			if (
				attempt < 3 &&
				res.code !== 0 &&
				/port \d+ is already in use/i.test(res.stdout + res.stderr)
			) {
				await sleep(200);
				continue;
			}
			return res;
		}
	}

	private writeTemp(name: string, content: unknown): string {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${name}-${newId()}.json`);
		fs.writeFileSync(
			file,
			typeof content === 'string' ? content : JSON.stringify(content, null, 2),
		);
		return file;
	}

	/** Imports one workflow (object or JSON text); gives it an id if it has none. Returns the id. */
	async importWorkflow(workflow: object | string): Promise<string> {
		const wf: any = typeof workflow === 'string' ? JSON.parse(workflow) : workflow;
		if (Array.isArray(wf))
			throw new Error('importWorkflow takes one workflow; use importWorkflows for several');
		return (await this.importWorkflows([wf]))[0];
	}

	/** Imports several workflows in ONE n8n invocation (each call costs seconds). Returns their ids. */
	async importWorkflows(workflows: Array<object | string>): Promise<string[]> {
		const list = workflows.map((w) => {
			const wf: any = typeof w === 'string' ? JSON.parse(w) : structuredClone(w);
			wf.id ??= newId('wf');
			wf.name ??= `e2e ${wf.id}`;
			wf.active = false; // `execute` runs inactive workflows
			wf.settings ??= {};
			wf.connections ??= {};
			return wf;
		});
		const res = await this.run(['import:workflow', `--input=${this.writeTemp('workflows', list)}`]);
		const expected = `Successfully imported ${list.length} ${list.length === 1 ? 'workflow' : 'workflows'}`;
		if (res.code !== 0 || !(res.stdout + res.stderr).includes(expected)) {
			throw new Error(`n8n import:workflow failed (exit ${res.code}):\n${tail(res)}`);
		}
		return list.map((wf) => String(wf.id));
	}

	/**
	 * Imports credentials with PLAIN-TEXT data (n8n encrypts it with this user folder's key). Reference them
	 * from a node as `credentials: { <type>: { id, name } }`. Returns the ids.
	 */
	async importCredentials(credentials: CredentialImport | CredentialImport[]): Promise<string[]> {
		const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
			...c,
			id: c.id ?? newId('cr'),
		}));
		const res = await this.run([
			'import:credentials',
			`--input=${this.writeTemp('credentials', list)}`,
		]);
		if (res.code !== 0 || !/Successfully imported \d+ credential/.test(res.stdout + res.stderr)) {
			throw new Error(`n8n import:credentials failed (exit ${res.code}):\n${tail(res)}`);
		}
		return list.map((c) => c.id!);
	}

	/** Runs a workflow (from its first trigger, e.g. Manual Trigger) in a fresh n8n process. */
	async executeWorkflow(id: string): Promise<ExecutionResult> {
		return parseExecuteOutput(await this.run(['execute', `--id=${id}`, '--rawOutput']));
	}

	/** Import + execute in one go. */
	async runWorkflow(workflow: object | string): Promise<ExecutionResult> {
		return this.executeWorkflow(await this.importWorkflow(workflow));
	}

	async cleanup(): Promise<void> {
		if (this.options.keep || process.env.N8N_E2E_KEEP === '1') {
			process.stderr.write(`[n8n-harness] kept user folder ${this.userFolder}\n`);
			return;
		}
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

function tail(res: CliResult): string {
	return `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-25).join('\n');
}

export function createN8nHarness(options: HarnessOptions = {}): Promise<N8nHarness> {
	return N8nHarness.create(options);
}
