/**
 * `n8n start` for end-to-end tests of things only a running n8n does (activated triggers, production
 * webhooks), next to the CLI harness: same user folder and environment, n8n on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { freePort, type N8nHarness } from './n8n-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningN8n {
	url: string;
	/** Everything n8n printed so far. */
	log(): string;
	/** SIGTERM, then SIGKILL after 30 s; resolves when the process group is gone. */
	stop(): Promise<void>;
}

/** Starts n8n and resolves when /healthz/readiness answers 200 (16–21 s measured), or fails with its log. */
export async function startN8n(n8n: N8nHarness, timeoutMs = 120_000): Promise<RunningN8n> {
	const port = await freePort();
	const child: ChildProcess = spawn(n8n.bin, ['start'], {
		env: n8n.env({
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_DISABLED_MODULES: 'mcp-registry',
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (d) => (output += d));
	child.stderr?.setEncoding('utf8').on('data', (d) => (output += d));
	const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
	let running = true;
	void exited.then(() => (running = false));
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (!running) return;
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			/* gone */
		}
		let timer: NodeJS.Timeout | undefined;
		const killed = await Promise.race([
			exited.then(() => true),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
		]);
		clearTimeout(timer); // a pending timer would keep jest alive for 30 s
		if (!killed) {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				/* gone */
			}
			await exited;
		}
	};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && running) {
		const status = await new Promise<number>((resolve) =>
			http
				.get(`${url}/healthz/readiness`, { agent: false }, (response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				})
				.on('error', () => resolve(0)),
		);
		if (status === 200) return { url, log: () => output, stop };
		await sleep(500);
	}
	await stop();
	throw new Error(`n8n start did not become ready on ${url}:\n${output.slice(-4000)}`);
}

export interface Capture {
	url: string;
	/** JSON bodies received, per path. */
	received(path: string): Array<Record<string, unknown>>;
	/** Waits until `path` received at least `count` bodies (or the time is up) and returns them. */
	waitFor(path: string, count: number, timeoutMs: number): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records the JSON bodies n8n's HTTP Request node posts. */
export async function captureServer(): Promise<Capture> {
	const bodies = new Map<string, Array<Record<string, unknown>>>();
	const server = http.createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8').on('data', (d) => (body += d));
		request.on('end', () => {
			const list = bodies.get(request.url ?? '') ?? [];
			list.push(JSON.parse(body || '{}'));
			bodies.set(request.url ?? '', list);
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const received = (path: string) => bodies.get(path) ?? [];
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		async waitFor(path, count, timeoutMs) {
			const deadline = Date.now() + timeoutMs;
			while (received(path).length < count && Date.now() < deadline) await sleep(250);
			return received(path);
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections(); // n8n's HTTP client keeps connections alive
			}),
	};
}

/** POSTs JSON without keeping the connection alive (fetch would hold the test process open). */
export function postJson(
	url: string,
	body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
			(response) => {
				let text = '';
				response.setEncoding('utf8').on('data', (d) => (text += d));
				response.on('end', () => {
					try {
						resolve({ status: response.statusCode ?? 0, json: JSON.parse(text || '{}') });
					} catch {
						reject(
							new Error(
								`${url} answered ${response.statusCode} with non-JSON: ${text.slice(0, 500)}`,
							),
						);
					}
				});
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}
