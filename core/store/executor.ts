import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The one way the repository talks SQL: `?` placeholders (rewritten to $n for PostgreSQL),
 * rows as plain objects, no entity hydration on hot paths.
 */
export interface SqlExecutor {
	readonly dialect: Dialect;
	/** Largest number of bound parameters one statement may carry on this driver. */
	readonly maxParameters: number;
	all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	run(sql: string, params?: unknown[]): Promise<number>;
	readonly manager: EntityManager;
}

const positional = new Map<string, string>();
export function toPostgresPlaceholders(sql: string): string {
	let converted = positional.get(sql);
	if (converted === undefined) {
		let n = 0;
		converted = sql.replace(/\?/g, () => `$${++n}`);
		if (positional.size > 500) positional.clear();
		positional.set(sql, converted);
	}
	return converted;
}

interface SqliteDatabase {
	all(
		sql: string,
		params: unknown[],
		callback: (error: Error | null, rows: unknown[]) => void,
	): void;
	run(
		sql: string,
		params: unknown[],
		callback: (this: { changes: number }, error: Error | null) => void,
	): void;
}

/** SQLite statements go straight to the driver's single connection; TypeORM would drop RETURNING rows of INSERTs. */
export class SqliteExecutor implements SqlExecutor {
	readonly dialect = 'sqlite' as const;
	// SQLite 3.32+ (sqlite3 5.1.7 bundles 3.44) allows 32,766 bound variables per statement.
	readonly maxParameters = 32766;

	constructor(private readonly dataSource: DataSource) {}

	get manager(): EntityManager {
		return this.dataSource.manager;
	}

	private get database(): SqliteDatabase {
		return (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase })
			.databaseConnection;
	}

	all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		return new Promise((resolve, reject) =>
			this.database.all(sql, params, (error, rows) =>
				error ? reject(error) : resolve(rows as T[]),
			),
		);
	}

	run(sql: string, params: unknown[] = []): Promise<number> {
		return new Promise((resolve, reject) =>
			this.database.run(sql, params, function (error) {
				if (error) reject(error);
				else resolve(this.changes);
			}),
		);
	}
}

export class PostgresExecutor implements SqlExecutor {
	readonly dialect = 'postgres' as const;
	readonly maxParameters = 65535;

	constructor(private readonly queryRunner: QueryRunner) {}

	get manager(): EntityManager {
		return this.queryRunner.manager;
	}

	async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		const result = await this.queryRunner.query(toPostgresPlaceholders(sql), params, true);
		return (result.records ?? []) as T[];
	}

	async run(sql: string, params: unknown[] = []): Promise<number> {
		const result = await this.queryRunner.query(toPostgresPlaceholders(sql), params, true);
		return result.affected ?? 0;
	}
}
