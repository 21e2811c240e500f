/**
 * Queue mode for the end-to-end suite: runs scripts/queue/stack.mjs, the very script behind
 * `npm start -- --queue`, in a child process (jest's module system cannot import that ES module), with free
 * ports and a throwaway data folder, and reads the JSON line it prints once main and workers are ready.
 * The stack stops when stdin closes, so a crashed jest run does not leave n8n, Redis or PostgreSQL behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

import type { StoreConfig } from '../../core';
import { provisionN8n, REPO_DIR } from './n8n-harness';

export const STACK_SCRIPT = path.join(REPO_DIR, 'scripts', 'queue', 'stack.mjs');

/** What stack.mjs --json prints when everything is ready. */
export interface QueueStackInfo {
	url: string;
	webhookUrl: string;
	seconds: number;
	readySeconds: { main: number; workers: number[] };
	dataDir: string;
	packageName: string;
	postgres: {
		host: string;
		port: number;
		user: string;
		password: string;
		n8nDatabase: string;
		storeDatabase: string;
	};
	redis: { host: string; port: number; pid: number };
	credential: { id: string; name: string };
	main: { pid: number; log: string; brokerPort: number };
	workers: Array<{ name: string; pid: number; log: string; healthUrl: string; brokerPort: number }>;
}

export interface QueueStack {
	info: QueueStackInfo;
	/** The association store the imported credential points at. */
	store: Extract<StoreConfig, { type: 'postgres' }>;
	/** A query on n8n's own database (executions, workflows). */
	n8nQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Execution ids each worker logged as started ("Worker started execution <id> (job <n>)"). */
	executionsByWorker(): Map<string, Set<string>>;
	/** Everything the stack printed on stderr (its progress, and errors). */
	output(): string;
	stop(): Promise<void>;
}

export interface QueueStackOptions {
	workers?: number;
	/** Workflow files to import; those with "active": true are published (their webhooks answer). */
	imports?: string[];
	/** Keep the data folder (PostgreSQL, logs) after stop. Also N8N_E2E_KEEP=1. */
	keep?: boolean;
	timeoutMs?: number;
}

const WORKER_STARTED = /Worker started execution (\d+) \(job /g;

export async function startQueueStack(options: QueueStackOptions = {}): Promise<QueueStack> {
	const bin = await provisionN8n();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-e2e-'));
	const args = [
		STACK_SCRIPT,
		'--json',
		'--stop-with-stdin',
		'--free-ports',
		`--workers=${options.workers ?? 2}`,
		`--data-dir=${dataDir}`,
		`--n8n-bin=${bin}`,
		...(options.imports ?? []).map((file) => `--import=${file}`),
	];
	// the stack builds n8n's environment from a whitelist itself; jest's NODE_ENV=test does not reach n8n
	const child: ChildProcess = spawn(process.execPath, args, {
		stdio: ['pipe', 'pipe', 'pipe'],
		env: { ...process.env, N8N_BIN: bin },
	});
	let stderr = '';
	child.stderr!.setEncoding('utf8').on('data', (data: string) => {
		stderr += data;
		if (process.env.N8N_E2E_VERBOSE === '1') process.stderr.write(data);
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const info = await new Promise<QueueStackInfo>((resolve, reject) => {
		let stdout = '';
		const timer = setTimeout(() => {
			child.stdin!.end();
			reject(
				new Error(`queue stack not ready after ${options.timeoutMs ?? 420_000} ms:\n${stderr}`),
			);
		}, options.timeoutMs ?? 420_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`queue stack exited (${code}) before it was ready:\n${stderr}`));
		});
		child.stdout!.setEncoding('utf8').on('data', (data: string) => {
			stdout += data;
			const line = stdout.split('\n').find((text) => text.startsWith('{'));
			if (!line) return;
			clearTimeout(timer);
			resolve(JSON.parse(line) as QueueStackInfo);
		});
	});

	const pgConfig = {
		host: info.postgres.host,
		port: info.postgres.port,
		user: info.postgres.user,
		password: info.postgres.password,
	};
	const store: Extract<StoreConfig, { type: 'postgres' }> = {
		type: 'postgres',
		...pgConfig,
		database: info.postgres.storeDatabase,
	};
	return {
		info,
		store,
		async n8nQuery<T>(sql: string, params: unknown[] = []) {
			const client = new Client({ ...pgConfig, database: info.postgres.n8nDatabase });
			await client.connect();
			try {
				return (await client.query(sql, params)).rows as T[];
			} finally {
				await client.end();
			}
		},
		executionsByWorker() {
			const result = new Map<string, Set<string>>();
			for (const worker of info.workers) {
				const text = fs.readFileSync(worker.log, 'utf8');
				result.set(worker.name, new Set([...text.matchAll(WORKER_STARTED)].map((m) => m[1])));
			}
			return result;
		},
		output: () => stderr,
		async stop() {
			child.stdin!.end();
			await exited;
			if (options.keep || process.env.N8N_E2E_KEEP === '1')
				process.stderr.write(`[queue-harness] kept ${dataDir}\n`);
			else fs.rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
