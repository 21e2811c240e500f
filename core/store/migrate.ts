import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../types';

const MIGRATION_LOCK = 'n8n-nodes-object-associations:migrations';

/**
 * Runs pending migrations; safe when several processes start at once.
 * PostgreSQL: a session advisory lock makes the others wait, then find nothing to do.
 * SQLite: the loser of a race fails on the already-created tables and simply tries again.
 */
export async function runMigrations(dataSource: DataSource, config: StoreConfig): Promise<void> {
	if (config.type === 'postgres') {
		const runner = dataSource.createQueryRunner();
		await runner.connect();
		try {
			await runner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
			if (config.schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
			await dataSource.runMigrations({ transaction: 'all' });
		} finally {
			await runner
				.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK])
				.catch(() => undefined);
			await runner.release();
		}
		return;
	}
	for (let attempt = 1; ; attempt++) {
		try {
			await dataSource.runMigrations({ transaction: 'all' });
			return;
		} catch (error) {
			if (attempt >= 8) throw error;
			await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
		}
	}
}
