import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { StoreConfig } from '../../core';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export function postgresServer(): Extract<StoreConfig, { type: 'postgres' }> {
	const raw = process.env.ASSOC_TEST_POSTGRES;
	if (!raw)
		throw new Error(
			'ASSOC_TEST_POSTGRES is not set: run the tests through jest (its global setup starts PostgreSQL).',
		);
	return JSON.parse(raw);
}

let counter = 0;

/** A brand-new, empty store of the dialect: a temp SQLite file, or a fresh PostgreSQL database. */
export async function freshStore(dialect: Dialect): Promise<StoreConfig> {
	const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
	if (dialect === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-sqlite-'));
		return { type: 'sqlite', path: path.join(dir, `${name}.sqlite`) };
	}
	const server = postgresServer();
	const admin = new Client({ ...server, database: server.database });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	return { ...server, database: name };
}

/** Runs SQL straight on the store's database, for assertions on stored rows. */
export async function rawQuery<T = Record<string, unknown>>(
	config: StoreConfig,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	return rawSession<T>(config, [[sql, params]]);
}

/** Runs statements one after another on one raw connection (pragmas and SETs apply to the later ones); returns the last rows. */
export async function rawSession<T = Record<string, unknown>>(
	config: StoreConfig,
	statements: [string, unknown[]?][],
): Promise<T[]> {
	let rows: T[] = [];
	if (config.type === 'postgres') {
		const client = new Client({ ...config });
		await client.connect();
		try {
			if (config.schema) await client.query(`SET search_path = ${config.schema}`);
			for (const [sql, params = []] of statements) {
				let n = 0;
				rows = (
					await client.query(
						sql.replace(/\?/g, () => `$${++n}`),
						params,
					)
				).rows as T[];
			}
			return rows;
		} finally {
			await client.end();
		}
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sqlite3 = require('sqlite3') as typeof import('sqlite3');
	const db = new sqlite3.Database(config.path);
	try {
		for (const [sql, params = []] of statements) {
			rows = await new Promise<T[]>((resolve, reject) =>
				db.all(sql, params, (error, result) => (error ? reject(error) : resolve(result as T[]))),
			);
		}
		return rows;
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}
