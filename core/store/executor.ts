import type { DataSource, QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The one way the repository talks SQL: `?` placeholders (rewritten to $n for PostgreSQL),
 * rows as plain objects, no entity hydration on hot paths.
 */
export interface SqlExecutor {
	readonly dialect: Dialect;
	all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	run(sql: string, params?: unknown[]): Promise<number>;
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

	constructor(private readonly dataSource: DataSource) {}

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

	constructor(private readonly queryRunner: QueryRunner) {}

	async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		const result = await this.queryRunner.query(toPostgresPlaceholders(sql), params, true);
		return (result.records ?? []) as T[];
	}

	async run(sql: string, params: unknown[] = []): Promise<number> {
		const result = await this.queryRunner.query(toPostgresPlaceholders(sql), params, true);
		return result.affected ?? 0;
	}
}
