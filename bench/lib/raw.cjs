'use strict';
// The raw floor: the same drivers the core uses (sqlite3's Database, pg's Client), hand-written SQL.
const sqlite3 = require('sqlite3');
const { Client } = require('pg');

const LINK_INSERT_COLUMNS = '(namespace, label_id, first_record_id, second_record_id, created_at)';
const COLUMNS_PER_ROW = 5;
/** Bound-parameter ceilings: SQLite 3.32+ 32,766 variables per statement; PostgreSQL's protocol 65,535. */
const MAX_PARAMETERS = { sqlite: 32766, postgres: 65535 };

class RawSqlite {
	constructor(path) {
		this.dialect = 'sqlite';
		this.path = path;
	}
	async open() {
		this.db = await new Promise((resolve, reject) => {
			const db = new sqlite3.Database(this.path, (error) => (error ? reject(error) : resolve(db)));
		});
		// The connection settings TypeORM gives the core's connection (enableWAL, busyTimeout, foreign keys).
		await this.run('PRAGMA journal_mode = WAL');
		await this.run('PRAGMA busy_timeout = 30000');
		await this.run('PRAGMA foreign_keys = ON');
		return this;
	}
	run(sql, params = []) {
		return new Promise((resolve, reject) =>
			this.db.run(sql, params, function (error) {
				if (error) reject(error);
				else resolve(this.changes);
			}),
		);
	}
	all(sql, params = []) {
		return new Promise((resolve, reject) =>
			this.db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows))),
		);
	}
	begin() {
		return this.run('BEGIN IMMEDIATE');
	}
	/** A prepared statement, reused for every chunk of the same size. */
	prepared(sql) {
		const statement = this.db.prepare(sql);
		return {
			run: (params) =>
				new Promise((resolve, reject) =>
					statement.run(params, function (error) {
						if (error) reject(error);
						else resolve(this.changes);
					}),
				),
			all: (params) =>
				new Promise((resolve, reject) =>
					statement.all(params, (error, rows) => (error ? reject(error) : resolve(rows))),
				),
			finalize: () => new Promise((resolve) => statement.finalize(() => resolve())),
		};
	}
	placeholders(rowCount, width) {
		const row = `(${Array(width).fill('?').join(', ')})`;
		return Array(rowCount).fill(row).join(', ');
	}
	close() {
		return new Promise((resolve) => this.db.close(() => resolve()));
	}
}

class RawPostgres {
	constructor(config) {
		this.dialect = 'postgres';
		this.config = config;
	}
	async open() {
		const { host, port, database, user, password } = this.config;
		this.client = new Client({ host, port, database, user, password });
		await this.client.connect();
		return this;
	}
	async run(sql, params = []) {
		return (await this.client.query(sql, params)).rowCount ?? 0;
	}
	async all(sql, params = []) {
		return (await this.client.query(sql, params)).rows;
	}
	begin() {
		return this.run('BEGIN');
	}
	/** A named (server-side prepared) statement: parsed and planned once, not once per chunk. */
	prepared(sql) {
		const name = `bench_${++RawPostgres.statements}`;
		return {
			run: async (values) => (await this.client.query({ name, text: sql, values })).rowCount ?? 0,
			all: async (values) => (await this.client.query({ name, text: sql, values })).rows,
			finalize: async () => {
				await this.client.query(`DEALLOCATE ${name}`);
			},
		};
	}
	placeholders(rowCount, width) {
		const rows = new Array(rowCount);
		let n = 0;
		for (let r = 0; r < rowCount; r++) {
			const cells = new Array(width);
			for (let c = 0; c < width; c++) cells[c] = `$${++n}`;
			rows[r] = `(${cells.join(', ')})`;
		}
		return rows.join(', ');
	}
	close() {
		return this.client.end();
	}
}
RawPostgres.statements = 0;

const openRaw = (config) =>
	(config.type === 'sqlite' ? new RawSqlite(config.path) : new RawPostgres(config)).open();

const EVENT_INSERT_COLUMNS =
	'(namespace, type, label_id, label_key, first_record_id, second_record_id, data, actor, created_at)';
const EVENT_COLUMNS = 9;

/**
 * The floor for writing links: BEGIN; multi-row INSERTs of `chunk` rows (kept within the driver's
 * parameter limit), each through a prepared statement reused for every chunk; COMMIT.
 * `rows` are [namespace, labelId, first, second, createdAt].
 * With `eventRow(row, linkId)`, each chunk's INSERT returns the new ids and an event row per link is
 * written too (multi-row, same transaction): the same rows the core writes.
 */
async function insertLinks(raw, rows, { chunk, onConflict = false, eventRow }) {
	const maxRows = Math.floor(
		MAX_PARAMETERS[raw.dialect] / (eventRow ? EVENT_COLUMNS : COLUMNS_PER_ROW),
	);
	const size = Math.max(1, Math.min(chunk, maxRows));
	const tail = `${onConflict ? ' ON CONFLICT DO NOTHING' : ''}${eventRow ? ' RETURNING id, first_record_id, second_record_id, label_id' : ''}`;
	const statements = new Map();
	const statementFor = (kind, count) => {
		let statement = statements.get(`${kind}${count}`);
		if (!statement) {
			const sql =
				kind === 'link'
					? `INSERT INTO association_links ${LINK_INSERT_COLUMNS} VALUES ${raw.placeholders(count, COLUMNS_PER_ROW)}${tail}`
					: `INSERT INTO association_events ${EVENT_INSERT_COLUMNS} VALUES ${raw.placeholders(count, EVENT_COLUMNS)}`;
			statement = raw.prepared(sql);
			statements.set(`${kind}${count}`, statement);
		}
		return statement;
	};
	let changed = 0;
	await raw.begin();
	try {
		for (let start = 0; start < rows.length; start += size) {
			const slice = rows.slice(start, start + size);
			if (!eventRow) {
				changed += await statementFor('link', slice.length).run(slice.flat());
				continue;
			}
			const inserted = await statementFor('link', slice.length).all(slice.flat());
			const byKey = new Map(slice.map((row) => [`${row[1]}\u0000${row[2]}\u0000${row[3]}`, row]));
			const events = inserted.map((link) =>
				eventRow(
					byKey.get(`${link.label_id}\u0000${link.first_record_id}\u0000${link.second_record_id}`),
					String(link.id),
				),
			);
			if (events.length > 0) await statementFor('event', events.length).run(events.flat());
			changed += inserted.length;
		}
		await raw.run('COMMIT');
	} catch (error) {
		await raw.run('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		for (const statement of statements.values()) await statement.finalize().catch(() => undefined);
	}
	return changed;
}

module.exports = { openRaw, insertLinks, MAX_PARAMETERS, COLUMNS_PER_ROW };
