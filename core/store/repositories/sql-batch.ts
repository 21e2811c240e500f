import type { Dialect, SqlExecutor } from '../executor';

export type Row = Record<string, unknown>;

export const placeholders = (count: number): string =>
	Array.from({ length: count }, () => '?').join(', ');

/**
 * Rows per statement in batch reads and writes. The drivers hold a statement's parameters and result whole:
 * sqlite3 materialises a result set in native memory before handing it over (one 100k-row statement: ~250 MB
 * of RSS that malloc then keeps), pg builds one bind message for all parameters. Native memory that malloc
 * keeps grows with the largest statement, so statements stay small: measured on 100k-link batches, 10,000
 * rows per statement instead of one statement cut SQLite's peak RSS 710 → 488 MB, 2,000 instead of 10,000
 * another ~40 MB (5,000: ~30 MB; 1,000: no further); it costs SQLite ~10-15% of a 100k batch's time
 * (PostgreSQL: no measurable cost). Exception: on PostgreSQL a join of the batch with the links table
 * stays one statement, as its planner picks a hash join over the whole table for large batches, and would
 * do that once per chunk.
 */
export const BATCH_ROWS = 2_000;

/**
 * Bound text per statement, at most: a statement's rows are bound as one text (SQLite's JSON) or one text
 * per column (pg's array literals), and a text of 128 KB or more is a large object to V8. A large object
 * in flight while the driver runs the statement survives the scavenges of that time and is only freed by a
 * full collection, so 100k-row batches of 2,000-row statements left ~20 MB of dead statement text on
 * SQLite's heap at their peak. Rows with long record ids therefore go in smaller statements.
 */
export const STATEMENT_BYTES = 112 * 1024;

/**
 * Splits `count` rows into statements of at most BATCH_ROWS rows and about STATEMENT_BYTES of bound text
 * (`rowBytes(i)`: row i's text; a statement ends at the row that reaches the limit). Yields each
 * statement's [start, end) right after measuring its last row.
 */
export function* statementRanges(
	count: number,
	rowBytes: (index: number) => number,
): Generator<[number, number]> {
	let start = 0;
	let bytes = 0;
	for (let i = 0; i < count; i++) {
		bytes += rowBytes(i);
		if (i + 1 - start >= BATCH_ROWS || bytes >= STATEMENT_BYTES) {
			yield [start, i + 1];
			start = i + 1;
			bytes = 0;
		}
	}
	if (count > start) yield [start, count];
}

/**
 * Bound text of one row's cells that differ from row to row. SQLite: the row's part of the statement's one
 * JSON text (each cell quoted, separators, plus `jsonExtra`: dictionary indexes, escapes). PostgreSQL: each
 * column is its own array text, so the row's longest cell is what the longest text grows by.
 */
export const boundBytes = (
	dialect: Dialect,
	cells: (string | null | undefined)[],
	jsonExtra = 0,
): number => {
	let sum = 2 + jsonExtra;
	let longest = 0;
	for (const cell of cells) {
		const bytes = (cell?.length ?? 4) + 3;
		sum += bytes;
		if (bytes > longest) longest = bytes;
	}
	return dialect === 'sqlite' ? sum : longest;
};

/**
 * Runs `run` over `items` in statements of at most BATCH_ROWS rows (and, with `rowBytes`, about
 * STATEMENT_BYTES of bound text); a join of the batch with the links table (`join`) stays one statement
 * on PostgreSQL.
 */
export async function inChunks<T, R>(
	sql: SqlExecutor,
	items: T[],
	run: (chunk: T[]) => Promise<R[]>,
	{
		join = false,
		rowBytes,
	}: { join?: boolean; rowBytes?: (item: T, dialect: Dialect) => number } = {},
): Promise<R[]> {
	if (join && sql.dialect === 'postgres') return run(items);
	const out: R[] = [];
	const bytes = rowBytes ? (i: number) => rowBytes(items[i], sql.dialect) : () => 0;
	for (const [start, end] of statementRanges(items.length, bytes)) {
		if (start === 0 && end === items.length) return run(items);
		for (const row of await run(items.slice(start, end))) out.push(row);
	}
	return out;
}

type Cell = string | null;
type Table = { sql: string; params: unknown[] };
type TableOptions = { ordinal?: boolean; compact?: boolean };

/** A column with at most this many distinct values in a statement is bound as a small dictionary. */
const DICTIONARY_MAX = 16;

/**
 * How a column is bound: `constant` once as a plain parameter; `dictionary` as its distinct values
 * plus each row's index into them; `plain` row by row.
 */
type Encoding =
	| { kind: 'constant'; value: Cell }
	| { kind: 'dictionary'; values: Cell[]; indexes: number[] }
	| { kind: 'plain'; values: Cell[] };

/**
 * A whole set of rows bound as one or a few parameters, readable as a table `v` with the given column
 * names (SQLite: one JSON array read by json_each; PostgreSQL: one array per column read by unnest), so
 * a batch of any size is one statement and never runs into the drivers' bound-parameter limits.
 * With `ordinal`, column `ord` is each row's 0-based position in `rows`.
 * With `compact` (for rows that are only inserted), a column with one value in every row (a batch's one
 * label) is bound once, and a column with a few distinct values (a batch's labels, their keys and object
 * keys) as those values plus a small index per row: the bound text shrinks to what differs from row to
 * row (a 100k-link batch's event rows: less than half the bytes), which keeps a statement's bound text
 * small (see STATEMENT_BYTES). Not for joins: a label id that became a plain parameter lets SQLite's
 * planner scan the whole label's links for it instead of probing the index per bound row.
 */
export function rowsAsTable(
	dialect: Dialect,
	columns: string[],
	rows: Cell[][],
	options: TableOptions = {},
): Table {
	// Nothing to compact on SQLite: the rows are bound as they are (no columns built, no rows rebuilt).
	if (dialect === 'sqlite' && !options.compact)
		return sqliteTable(
			columns,
			columns.map(() => plain([])),
			rows,
			[],
			options.ordinal,
		);
	return columnsAsTable(
		dialect,
		columns,
		columns.map((_, i) => rows.map((row) => row[i])),
		options,
	);
}

/** rowsAsTable for values given column by column (`values[c][r]`), as a batch builder may hold them. */
export function columnsAsTable(
	dialect: Dialect,
	columns: string[],
	values: Cell[][],
	{ ordinal = false, compact = false }: TableOptions = {},
): Table {
	const encodings = compact ? encode(values) : values.map(plain);
	// Columns read per row: plain values and dictionary indexes, in column order.
	const bound = columns.flatMap((_, c) => (encodings[c].kind === 'constant' ? [] : [c]));
	const perRow = (c: number): Cell[] | number[] => {
		const encoding = encodings[c];
		return encoding.kind === 'dictionary'
			? encoding.indexes
			: (encoding as { values: Cell[] }).values;
	};
	const selectParams: unknown[] = [];
	for (const encoding of encodings) {
		if (encoding.kind === 'constant') selectParams.push(encoding.value);
		else if (encoding.kind === 'dictionary')
			selectParams.push(...(dialect === 'sqlite' ? encoding.values : [encoding.values]));
	}
	if (dialect === 'sqlite') {
		const rowCount = values[0]?.length ?? 0;
		const rows: (Cell | number)[][] = new Array(rowCount);
		for (let r = 0; r < rowCount; r++) rows[r] = bound.map((c) => perRow(c)[r]);
		return sqliteTable(columns, encodings, rows, selectParams, ordinal);
	}
	const names = bound.map((c) => columns[c]).join(', ');
	const unnest = bound
		.map((c) => (encodings[c].kind === 'dictionary' ? '?::int[]' : '?::text[]'))
		.join(', ');
	const select = columns
		.map((column, c) => {
			const kind = encodings[c].kind;
			if (kind === 'constant') return `?::text AS ${column}`;
			return kind === 'plain' ? `t.${column}` : `(?::text[])[t.${column} + 1] AS ${column}`;
		})
		.join(', ');
	return {
		sql: ordinal
			? `(SELECT ${select}, t.ord - 1 AS ord FROM unnest(${unnest}) WITH ORDINALITY AS t(${names}, ord))`
			: `(SELECT ${select} FROM unnest(${unnest}) AS t(${names}))`,
		params: [...selectParams, ...bound.map(perRow)],
	};
}

/** SQLite: the bound rows (plain values and dictionary indexes) as one JSON text read by json_each. */
function sqliteTable(
	columns: string[],
	encodings: Encoding[],
	rows: (Cell | number)[][],
	selectParams: unknown[],
	ordinal = false,
): Table {
	const bound = columns.flatMap((_, c) => (encodings[c].kind === 'constant' ? [] : [c]));
	// json_extract reads an element ~2x faster than ->> on SQLite 3.44; same values for text and null.
	const select = columns
		.map((column, c) => {
			const encoding = encodings[c];
			if (encoding.kind === 'constant') return `? AS ${column}`;
			const cell = `json_extract(value, '$[${bound.indexOf(c)}]')`;
			if (encoding.kind === 'plain') return `${cell} AS ${column}`;
			const cases = encoding.values.map((_, i) => `WHEN ${i} THEN ?`).join(' ');
			return `CASE ${cell} ${cases} END AS ${column}`;
		})
		.join(', ');
	const ord = ordinal ? 'key AS ord, ' : '';
	return {
		sql: `(SELECT ${ord}${select} FROM json_each(?))`,
		params: [...selectParams, JSON.stringify(rows)],
	};
}

/**
 * Each column's encoding. Fewer than two rows, or rows that are all alike, are bound plain (the bound
 * rows carry the row count).
 */
function encode(values: Cell[][]): Encoding[] {
	if ((values[0]?.length ?? 0) < 2) return values.map(plain);
	const encodings = values.map(encodeColumn);
	return encodings.every((encoding) => encoding.kind === 'constant')
		? values.map(plain)
		: encodings;
}

const plain = (column: Cell[]): Encoding => ({ kind: 'plain', values: column });

function encodeColumn(column: Cell[]): Encoding {
	const seen = new Map<Cell, number>();
	const indexes: number[] = new Array(column.length);
	for (let r = 0; r < column.length; r++) {
		let index = seen.get(column[r]);
		if (index === undefined) {
			if (seen.size === DICTIONARY_MAX) return plain(column);
			seen.set(column[r], (index = seen.size));
		}
		indexes[r] = index;
	}
	const distinct = [...seen.keys()];
	return distinct.length === 1
		? { kind: 'constant', value: distinct[0] }
		: { kind: 'dictionary', values: distinct, indexes };
}
