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
	'(namespace, position, type, label_id, label_key, first_object_key, second_object_key, first_record_id, second_record_id, data, actor, created_at)';
const EVENT_COLUMNS = 12;

/** A cache of prepared statements by SQL text, finalized together. */
function statementCache(raw) {
	const statements = new Map();
	return {
		get(sql) {
			let statement = statements.get(sql);
			if (!statement) statements.set(sql, (statement = raw.prepared(sql)));
			return statement;
		},
		async finalize() {
			for (const statement of statements.values())
				await statement.finalize().catch(() => undefined);
		},
	};
}

async function inTransaction(raw, statements, work) {
	await raw.begin();
	try {
		const result = await work();
		await raw.run('COMMIT');
		return result;
	} catch (error) {
		await raw.run('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		await statements.finalize();
	}
}

/**
 * The floor for writing links: BEGIN; multi-row INSERTs of `chunk` rows (kept within the driver's
 * parameter limit), each through a prepared statement reused for every chunk; COMMIT.
 * `rows` are [namespace, labelId, first, second, createdAt].
 * With `eventRow(row, linkId)` (→ [type, labelId, labelKey, firstObjectKey, secondObjectKey, first,
 * second, data]), each chunk's INSERT returns the new ids, and before COMMIT the namespace's event
 * counter is advanced once (the upsert the core's flush() runs) and an event row per link is written
 * with its position (multi-row, same transaction): the same rows the core writes.
 */
async function insertLinks(raw, rows, { chunk, onConflict = false, eventRow }) {
	const size = Math.max(
		1,
		Math.min(chunk, Math.floor(MAX_PARAMETERS[raw.dialect] / COLUMNS_PER_ROW)),
	);
	const eventSize = Math.max(
		1,
		Math.min(chunk, Math.floor(MAX_PARAMETERS[raw.dialect] / EVENT_COLUMNS)),
	);
	const tail = `${onConflict ? ' ON CONFLICT DO NOTHING' : ''}${eventRow ? ' RETURNING id, first_record_id, second_record_id, label_id' : ''}`;
	const statements = statementCache(raw);
	const linkInsert = (count) =>
		statements.get(
			`INSERT INTO association_links ${LINK_INSERT_COLUMNS} VALUES ${raw.placeholders(count, COLUMNS_PER_ROW)}${tail}`,
		);
	const eventInsert = (count) =>
		statements.get(
			`INSERT INTO association_events ${EVENT_INSERT_COLUMNS} VALUES ${raw.placeholders(count, EVENT_COLUMNS)}`,
		);
	return inTransaction(raw, statements, async () => {
		let changed = 0;
		const events = [];
		for (let start = 0; start < rows.length; start += size) {
			const slice = rows.slice(start, start + size);
			if (!eventRow) {
				changed += await linkInsert(slice.length).run(slice.flat());
				continue;
			}
			const inserted = await linkInsert(slice.length).all(slice.flat());
			const byKey = new Map(slice.map((row) => [`${row[1]}\u0000${row[2]}\u0000${row[3]}`, row]));
			for (const link of inserted) {
				const row = byKey.get(
					`${link.label_id}\u0000${link.first_record_id}\u0000${link.second_record_id}`,
				);
				events.push([row[0], eventRow(row, String(link.id)), row[4]]);
			}
			changed += inserted.length;
		}
		if (events.length === 0) return changed;
		const namespace = events[0][0];
		const [counter] = await raw.all(
			`INSERT INTO association_event_positions (namespace, last_position) VALUES ${raw.placeholders(1, 2)}
       ON CONFLICT (namespace) DO UPDATE
       SET last_position = association_event_positions.last_position + excluded.last_position
       RETURNING last_position`,
			[namespace, events.length],
		);
		let position = Number(counter.last_position) - events.length;
		for (let start = 0; start < events.length; start += eventSize) {
			const slice = events.slice(start, start + eventSize);
			const params = [];
			for (const [ns, event, at] of slice) params.push(ns, String(++position), ...event, null, at);
			await eventInsert(slice.length).run(params);
		}
		return changed;
	});
}

/**
 * The re-link floor: per chunk of `keys` ([labelId, first, second]), one prepared SELECT joining the
 * chunk (a VALUES list) with the links table on its unique index, returning each existing link's id
 * and creation time. Inside one transaction, as the core reads. Returns how many links it found.
 */
async function findLinks(raw, keys, { chunk }) {
	const size = Math.max(1, Math.min(chunk, Math.floor(MAX_PARAMETERS[raw.dialect] / 3)));
	const statements = statementCache(raw);
	const select = (count) =>
		statements.get(
			`WITH v (label_id, first_record_id, second_record_id) AS (VALUES ${raw.placeholders(count, 3)})
       SELECT a.id, a.created_at FROM v JOIN association_links a ON a.label_id = v.label_id
         AND a.first_record_id = v.first_record_id AND a.second_record_id = v.second_record_id`,
		);
	return inTransaction(raw, statements, async () => {
		let found = 0;
		for (let start = 0; start < keys.length; start += size) {
			const slice = keys.slice(start, start + size);
			found += (await select(slice.length).all(slice.flat())).length;
		}
		return found;
	});
}

module.exports = { openRaw, insertLinks, findLinks, MAX_PARAMETERS, COLUMNS_PER_ROW };
