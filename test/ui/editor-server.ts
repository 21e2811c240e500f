/**
 * The n8n the browser suite drives: `n8n start` as `npm start` runs it (package linked into the user
 * folder, the examples and the "Association Store" credential imported), but in a throwaway user folder on
 * a free port, so it never meets a developer's own n8n on 5678.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { createN8nHarness, freePort, REPO_DIR, type N8nHarness } from '../e2e/n8n-harness';

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'Editor-suite-1',
};

export interface EditorServer {
	url: string;
	harness: N8nHarness;
	/** The examples' workflow ids by file name (01-set-up-labels.json → id). */
	examples: Record<string, string>;
	log(): string;
	stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts n8n with the examples plus `workflows` (objects with an id) imported. `packageDir`: another built
 * checkout of the package (its examples too), e.g. an older commit for before/after screenshots.
 */
export async function startEditorServer(
	workflows: object[] = [],
	packageDir = REPO_DIR,
): Promise<EditorServer> {
	const harness = await createN8nHarness({ packageDir });
	await harness.importCredentials({
		id: 'assocStoreDefault',
		name: 'Association Store',
		type: 'associationStoreApi',
		data: { storeType: 'sqlite', sqlitePath: '', namespace: 'default' },
	});
	const dir = path.join(packageDir, 'docs', 'examples');
	const files = fs.readdirSync(dir).filter((file) => file.endsWith('.json'));
	const exampleWorkflows = files.map((file) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		return { ...workflow, id: `ex${file.slice(0, 2)}${'x'.repeat(12)}` };
	});
	const ids = await harness.importWorkflows([...exampleWorkflows, ...workflows]);
	const examples = Object.fromEntries(files.map((file, i) => [file, ids[i]]));

	const port = await freePort();
	const url = `http://localhost:${port}`;
	const env = harness.env({
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_SECURE_COOKIE: 'false',
	});
	let output = '';
	const child: ChildProcess = spawn(harness.bin, ['start'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	child.stdout!.setEncoding('utf8').on('data', (d) => (output += d));
	child.stderr!.setEncoding('utf8').on('data', (d) => (output += d));
	const stop = async () => {
		if (child.exitCode === null) {
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				/* gone */
			}
			for (let i = 0; i < 40 && child.exitCode === null; i++) await sleep(250);
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
		await harness.cleanup();
	};
	for (let i = 0; ; i++) {
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (child.exitCode !== null || i > 240) {
			await stop();
			throw new Error(`n8n did not become ready on ${url}:\n${output.slice(-3000)}`);
		}
		await sleep(500);
	}
	return { url, harness, examples, log: () => output, stop };
}
