import 'reflect-metadata';
import * as path from 'node:path';
import { DataSource, type Logger } from 'typeorm';
import type { StoreConfig } from '../types';
import { AssociationError } from '../errors';
import { migrations } from './migrations';
import { prepareSqliteFile } from './sqlite-file';
import { postgresSslOption, tlsOf, tlsRequiredByServer } from './tls';

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]*$/i;

/**
 * sqlite3's open flags: read/write, create, full mutex (its defaults) plus URI. Giving flags with
 * OPEN_URI makes TypeORM skip its own recursive mkdir of the file's folder (which never returns on
 * some paths); prepareSqliteFile has created the folder, step by step, already. A plain absolute
 * path is still a path in URI mode (only names starting with "file:" are URIs).
 */
const SQLITE_OPEN_FLAGS = 0x2 | 0x4 | 0x10000 | 0x40;

/**
 * TypeORM prints migration messages even with logging off: the loser of SQLite's start-up race (two processes
 * migrating one file; migrate.ts retries it) would put "Migration … failed" into n8n's log and a worker's
 * stdout. Every error reaches the caller as an exception, so nothing is printed.
 */
const SILENT_LOGGER: Logger = {
	logQuery: () => undefined,
	logQueryError: () => undefined,
	logQuerySlow: () => undefined,
	logSchemaBuild: () => undefined,
	logMigration: () => undefined,
	log: () => undefined,
};

export interface DataSourceOptions {
	/** PostgreSQL "allow": the second attempt, with TLS. */
	forceTls?: boolean;
}

/** The TypeORM data source of a configuration (not connected; opening it is openDataSource's job). */
export function createDataSource(config: StoreConfig, options: DataSourceOptions = {}): DataSource {
	if (config.type === 'sqlite') {
		return new DataSource({
			type: 'sqlite',
			database: path.resolve(config.path),
			flags: SQLITE_OPEN_FLAGS,
			migrations,
			migrationsRun: false,
			synchronize: false,
			enableWAL: true,
			busyTimeout: config.busyTimeoutMs ?? 30_000,
			logging: false,
			logger: SILENT_LOGGER,
		});
	}
	if (config.schema !== undefined && !SCHEMA_PATTERN.test(config.schema)) {
		throw new AssociationError(
			'VALIDATION',
			`Invalid PostgreSQL schema "${config.schema}": use letters, digits and "_", starting with a letter or "_".`,
		);
	}
	return new DataSource({
		type: 'postgres',
		host: config.host,
		port: config.port ?? 5432,
		database: config.database,
		username: config.user,
		password: config.password,
		schema: config.schema,
		ssl: postgresSslOption(tlsOf(config), options.forceTls),
		migrations,
		migrationsRun: false,
		synchronize: false,
		logging: false,
		logger: SILENT_LOGGER,
		poolSize: config.poolSize ?? 10,
		connectTimeoutMS: 10_000,
		extra: config.schema ? { options: `-c search_path=${config.schema}` } : {},
	});
}

/**
 * Creates and connects the data source. SQLite: the file is checked and its folder created first
 * (bounded, asynchronous, after the configuration's access check). PostgreSQL "allow": a plain
 * connection first, and TLS only when the server refuses plain connections.
 * The caller bounds the total time (see connections.ts).
 */
export async function openDataSource(config: StoreConfig): Promise<DataSource> {
	if (config.type === 'sqlite') {
		const real = await prepareSqliteFile(config.path, config.checkAccess);
		const dataSource = createDataSource({ ...config, path: real });
		await dataSource.initialize();
		return dataSource;
	}
	const dataSource = createDataSource(config);
	try {
		await dataSource.initialize();
		return dataSource;
	} catch (error) {
		if (tlsOf(config).mode !== 'allow' || !tlsRequiredByServer(error)) throw error;
	}
	const withTls = createDataSource(config, { forceTls: true });
	await withTls.initialize();
	return withTls;
}
