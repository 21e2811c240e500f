import { Mutex } from 'async-mutex';
import type { DataSource } from 'typeorm';
import type { StoreConfig } from '../types';
import { AssociationError, isAssociationError, messageOf } from '../errors';
import { openDataSource } from './data-source';
import { PostgresExecutor, SqliteExecutor, type Dialect } from './executor';
import type { AssociationRepository } from './repository';
import { sqlRepositories } from './repositories';
import { runMigrations } from './migrate';
import { tlsHint } from './tls';

const RETRYABLE_POSTGRES_CODES = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * One open database (pool) and the way to run work on it: every write is one transaction in which
 * the rules are checked and the rows written, so two processes can never interleave between the two.
 */
export class Store {
	/** SQLite has one connection per process: its transactions must not interleave. */
	private readonly sqliteLock = new Mutex();
	private inFlight = 0;
	lastUsedAt = Date.now();

	private constructor(
		private readonly dataSource: DataSource,
		readonly dialect: Dialect,
	) {}

	static async open(config: StoreConfig): Promise<Store> {
		let dataSource: DataSource;
		try {
			dataSource = await openDataSource(config);
		} catch (error) {
			if (isAssociationError(error)) throw error;
			throw describeConnectError(config, error);
		}
		try {
			await runMigrations(dataSource, config);
		} catch (error) {
			await dataSource.destroy().catch(() => undefined);
			throw new AssociationError(
				'STORE',
				`Could not prepare the association tables: ${messageOf(error)}`,
				{
					cause: messageOf(error),
				},
			);
		}
		return new Store(dataSource, config.type);
	}

	get busy(): boolean {
		return this.inFlight > 0;
	}

	/**
	 * Runs `work` in one write transaction (SQLite: BEGIN IMMEDIATE, so the write lock is taken up front).
	 * With `rehearse`, the transaction is rolled back after `work`: every rule runs, nothing is kept.
	 * The events `work` appended are written last, with their positions (see the AddEventPositions migration).
	 */
	write<T>(
		work: (repo: AssociationRepository) => Promise<T>,
		{ rehearse = false }: { rehearse?: boolean } = {},
	): Promise<T> {
		return this.track(() =>
			this.dialect === 'sqlite'
				? this.sqliteWrite(work, rehearse)
				: this.postgresWrite(work, rehearse),
		);
	}

	/** Runs `work` on one consistent snapshot. */
	read<T>(work: (repo: AssociationRepository) => Promise<T>): Promise<T> {
		return this.track(() =>
			this.dialect === 'sqlite' ? this.sqliteRead(work) : this.postgresRead(work),
		);
	}

	async close(): Promise<void> {
		if (this.dataSource.isInitialized) await this.dataSource.destroy();
	}

	private async track<T>(run: () => Promise<T>): Promise<T> {
		this.inFlight++;
		this.lastUsedAt = Date.now();
		try {
			return await run();
		} finally {
			this.inFlight--;
			this.lastUsedAt = Date.now();
		}
	}

	private sqliteWrite<T>(
		work: (repo: AssociationRepository) => Promise<T>,
		rehearse: boolean,
	): Promise<T> {
		return this.sqliteLock.runExclusive(async () => {
			const sql = new SqliteExecutor(this.dataSource);
			await sql.run('BEGIN IMMEDIATE');
			try {
				const repo = sqlRepositories(sql);
				const result = await work(repo);
				if (rehearse) {
					await sql.run('ROLLBACK');
					return result;
				}
				await repo.events.flush();
				await sql.run('COMMIT');
				return result;
			} catch (error) {
				await sql.run('ROLLBACK').catch(() => undefined);
				throw wrapStoreError(error);
			}
		});
	}

	private sqliteRead<T>(work: (repo: AssociationRepository) => Promise<T>): Promise<T> {
		return this.sqliteLock.runExclusive(async () => {
			const sql = new SqliteExecutor(this.dataSource);
			await sql.run('BEGIN');
			try {
				return await work(sqlRepositories(sql));
			} catch (error) {
				throw wrapStoreError(error);
			} finally {
				await sql.run('COMMIT').catch(() => undefined);
			}
		});
	}

	private async postgresWrite<T>(
		work: (repo: AssociationRepository) => Promise<T>,
		rehearse: boolean,
	): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const runner = this.dataSource.createQueryRunner();
			await runner.connect();
			try {
				await runner.startTransaction('READ COMMITTED');
				const repo = sqlRepositories(new PostgresExecutor(runner));
				const result = await work(repo);
				if (rehearse) {
					await runner.rollbackTransaction();
					return result;
				}
				// Last step: the events take their positions (and the namespace's counter lock) just before commit.
				await repo.events.flush();
				await runner.commitTransaction();
				return result;
			} catch (error) {
				if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
				const code = (error as { driverError?: { code?: string } }).driverError?.code;
				if (code && RETRYABLE_POSTGRES_CODES.has(code) && attempt < 5) continue;
				throw wrapStoreError(error);
			} finally {
				await runner.release();
			}
		}
	}

	private async postgresRead<T>(work: (repo: AssociationRepository) => Promise<T>): Promise<T> {
		const runner = this.dataSource.createQueryRunner();
		await runner.connect();
		try {
			await runner.startTransaction('REPEATABLE READ');
			const result = await work(sqlRepositories(new PostgresExecutor(runner)));
			await runner.commitTransaction();
			return result;
		} catch (error) {
			if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
			throw wrapStoreError(error);
		} finally {
			await runner.release();
		}
	}
}

function wrapStoreError(error: unknown): Error {
	if (isAssociationError(error)) return error;
	return new AssociationError('STORE', `The association store failed: ${messageOf(error)}`, {
		cause: messageOf(error),
	});
}

function describeConnectError(config: StoreConfig, error: unknown): AssociationError {
	const message = messageOf(error);
	const code = (error as { code?: string }).code;
	if (config.type === 'sqlite') {
		return new AssociationError(
			'STORE',
			`Could not open the SQLite file "${config.path}": ${message}. Check that the folder exists and that n8n may write to it.`,
			{ code },
		);
	}
	const where = `${config.host}:${config.port ?? 5432}/${config.database}`;
	let hint = 'Check host, port, database, user and password.';
	if (code === '28P01' || /password authentication failed/i.test(message))
		hint = 'The user or password is wrong.';
	else if (
		code === 'ECONNREFUSED' ||
		code === 'ENOTFOUND' ||
		code === 'ETIMEDOUT' ||
		/timeout/i.test(message)
	)
		hint =
			'The host is unreachable: check host and port, and that PostgreSQL accepts connections from n8n.';
	else if (code === '3D000') hint = 'The database does not exist: create it or fix its name.';
	else if (tlsHint(message)) hint = tlsHint(message) as string;
	return new AssociationError(
		'STORE',
		`Could not connect to PostgreSQL at ${where}: ${message}. ${hint}`,
		{ code },
	);
}
