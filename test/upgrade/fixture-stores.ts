/**
 * The committed upgrade fixtures (test/fixtures/upgrade/<version>/, written by make.ts with that release),
 * each opened as a private copy: the SQLite dump loaded into a new file in a temp folder, the PostgreSQL dump
 * into a fresh database with the `pg` client (no sqlite3 CLI, psql or pg_restore needed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

import type { StoreConfig } from '../../core';
import { loadSqliteDump } from '../fixtures/upgrade/sqlite-dump';
import { freshStore, type Dialect } from '../support/stores';

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'upgrade');

/** Released versions with a fixture, oldest first. */
export function fixtureVersions(): string[] {
	return fs
		.readdirSync(FIXTURES_DIR, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && fs.existsSync(manifestPath(entry.name)))
		.map((entry) => entry.name)
		.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

const manifestPath = (version: string) => path.join(FIXTURES_DIR, version, 'manifest.json');

export function readManifest(version: string) {
	return JSON.parse(fs.readFileSync(manifestPath(version), 'utf8'));
}

/** A private, writable copy of a version's fixture store. */
export async function openFixtureCopy(version: string, dialect: Dialect): Promise<StoreConfig> {
	const config = await freshStore(dialect);
	if (config.type === 'sqlite') {
		const dump = fs.readFileSync(path.join(FIXTURES_DIR, version, 'store.sqlite.sql'), 'utf8');
		await loadSqliteDump(dump, config.path);
		return config;
	}
	const client = new Client({ ...config });
	await client.connect();
	try {
		await client.query(
			fs.readFileSync(path.join(FIXTURES_DIR, version, 'store.postgres.sql'), 'utf8'),
		);
	} finally {
		await client.end();
	}
	return config;
}
