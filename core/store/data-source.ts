import 'reflect-metadata';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import type { StoreConfig } from '../types';
import { AssociationError } from '../errors';
import { migrations } from './migrations';

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]*$/i;

export function createDataSource(config: StoreConfig): DataSource {
	if (config.type === 'sqlite') {
		fs.mkdirSync(path.dirname(path.resolve(config.path)), { recursive: true });
		return new DataSource({
			type: 'sqlite',
			database: config.path,
			migrations,
			migrationsRun: false,
			synchronize: false,
			enableWAL: true,
			busyTimeout: config.busyTimeoutMs ?? 30_000,
			logging: false,
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
		ssl: config.ssl ? { rejectUnauthorized: false } : false,
		migrations,
		migrationsRun: false,
		synchronize: false,
		logging: false,
		poolSize: config.poolSize ?? 10,
		connectTimeoutMS: 10_000,
		extra: config.schema ? { options: `-c search_path=${config.schema}` } : {},
	});
}
