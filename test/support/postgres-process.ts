import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { StoreConfig } from '../../core';

export interface PostgresProcess {
	config: Extract<StoreConfig, { type: 'postgres' }>;
	/** PEM texts when started with TLS: the server's CA, an unrelated CA, a client certificate and key. */
	tls?: { ca: string; otherCa: string; clientCert: string; clientKey: string };
	stop(): Promise<void>;
}

/** A throwaway PostgreSQL of its own (see postgres-server.mjs for the options), e.g. one with TLS. */
export function startPostgresProcess(options: Record<string, unknown>): Promise<PostgresProcess> {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'postgres-child.mjs'), JSON.stringify(options)],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return new Promise((resolve, reject) => {
		let out = '';
		child.once('exit', (code) => reject(new Error(`PostgreSQL process ended early (${code})`)));
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const line = out.split('\n').find((text) => text.startsWith('{'));
			if (!line) return;
			const started = JSON.parse(line) as Omit<PostgresProcess, 'stop'>;
			resolve({
				...started,
				async stop() {
					child.stdin.end();
					await exited;
				},
			});
		});
	});
}
