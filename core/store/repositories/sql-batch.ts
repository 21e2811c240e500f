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
 * Runs `run` over `items` in statements of at most BATCH_ROWS rows; a join of the batch with the links
 * table (`join`) stays one statement on PostgreSQL.
 */
export async function inChunks<T, R>(
	sql: SqlExecutor,
	items: T[],
	run: (chunk: T[]) => Promise<R[]>,
	join = false,
): Promise<R[]> {
	const size = join && sql.dialect === 'postgres' ? Infinity : BATCH_ROWS;
	if (items.length <= size) return run(items);
	const out: R[] = [];
	for (let start = 0; start < items.length; start += size) {
		for (const row of await run(items.slice(start, start + size))) out.push(row);
	}
	return out;
}

/**
 * A whole set of rows bound as one or a few parameters, readable as a table `v` with the given column
 * names (SQLite: one JSON array read by json_each; PostgreSQL: one text[] per column read by unnest), so
 * a batch of any size is one statement and never runs into the drivers' bound-parameter limits.
 */
export function rowsAsTable(
	dialect: Dialect,
	columns: string[],
	rows: (string | null)[][],
	{ ordinal = false }: { ordinal?: boolean } = {},
): { sql: string; params: unknown[] } {
	// With `ordinal`, column `ord` is each row's 0-based position in `rows`.
	if (dialect === 'sqlite') {
		// json_extract reads an element ~2x faster than ->> on SQLite 3.44; same values for text and null.
		const select = columns
			.map((column, i) => `json_extract(value, '$[${i}]') AS ${column}`)
			.join(', ');
		const ord = ordinal ? 'key AS ord, ' : '';
		return { sql: `(SELECT ${ord}${select} FROM json_each(?))`, params: [JSON.stringify(rows)] };
	}
	const arrays = columns.map((_, i) => rows.map((row) => row[i]));
	const unnest = columns.map(() => '?::text[]').join(', ');
	return {
		sql: ordinal
			? `(SELECT ${columns.join(', ')}, ord - 1 AS ord FROM unnest(${unnest}) WITH ORDINALITY AS t(${columns.join(', ')}, ord))`
			: `(SELECT * FROM unnest(${unnest}) AS t(${columns.join(', ')}))`,
		params: arrays,
	};
}
