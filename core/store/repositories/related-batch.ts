import type { Side } from '../../types';
import type { SqlExecutor } from '../executor';
import type { RelatedRow, RelatedScan } from '../repository';
import { BATCH_ROWS, rowsAsTable } from './sql-batch';

/**
 * Related-records reads for many records at once: each scan (one record's labels and sides, its cursor and
 * page size) becomes rows of one bound table, and one statement answers all of them, keeping each scan's
 * own order (by link id), cursor and limit. What Get Related Objects and Count run for all items of an
 * execution instead of one query per item.
 */

/** The bound table: one row per (scan, label, side of the queried record). */
const SCAN_COLUMNS = ['q', 'side', 'label_id', 'record_id', 'after_id', 'lim'];
/** Most rows one statement may return (the sum of its scans' limits), so a result stays bounded in memory. */
const MAX_RESULT_ROWS = 100_000;

type ScanRow = (string | null)[];

function scanRows(scans: Array<Omit<RelatedScan, 'afterId' | 'limit'> & Partial<RelatedScan>>) {
	const rows: ScanRow[][] = scans.map((scan, q) => {
		const after = scan.afterId ?? '0';
		const lim = String(scan.limit ?? 0);
		return [
			...scan.asFirst.map((labelId) => [String(q), 'first', labelId, scan.recordId, after, lim]),
			...scan.asSecond.map((labelId) => [String(q), 'second', labelId, scan.recordId, after, lim]),
		];
	});
	return rows;
}

/** Splits the scans' rows into statements of at most BATCH_ROWS bound rows and MAX_RESULT_ROWS results. */
function chunksOf(rows: ScanRow[][], limits: number[]): ScanRow[][] {
	const chunks: ScanRow[][] = [];
	let current: ScanRow[] = [];
	let results = 0;
	rows.forEach((scanRows, q) => {
		if (scanRows.length === 0) return;
		if (
			current.length > 0 &&
			(current.length + scanRows.length > BATCH_ROWS || results + limits[q] > MAX_RESULT_ROWS)
		) {
			chunks.push(current);
			current = [];
			results = 0;
		}
		current.push(...scanRows);
		results += limits[q];
	});
	if (current.length > 0) chunks.push(current);
	return chunks;
}

/** The bound scan rows as table `v`; column k is a row's position in `rows`. */
function boundScans(sql: SqlExecutor, rows: ScanRow[]) {
	const batch = rowsAsTable(sql.dialect, SCAN_COLUMNS, rows, { ordinal: true });
	return {
		sql: `v AS (SELECT CAST(b.ord AS INTEGER) AS k, CAST(b.q AS INTEGER) AS q, b.side, b.label_id, b.record_id,
      CAST(b.after_id AS BIGINT) AS after_id, CAST(b.lim AS INTEGER) AS lim FROM ${batch.sql} b)`,
		params: batch.params,
	};
}

/**
 * One branch per side of the queried record. PostgreSQL reads each (record, label) with its own indexed
 * LIMIT (LATERAL); SQLite has no LATERAL, and its planner loops over the bound rows probing the index anyway.
 * A row names its bound row (k) instead of repeating its label id and side: fewer values to send and parse.
 */
function branches(sql: SqlExecutor): string {
	const branch = (side: Side) => {
		const other = side === 'first' ? 'second' : 'first';
		const where = `a.label_id = v.label_id AND a.${side}_record_id = v.record_id AND a.id > v.after_id`;
		const columns = `a.id, a.${other}_record_id AS record_id, a.created_at`;
		return sql.dialect === 'postgres'
			? `SELECT v.k, v.q, v.lim, x.* FROM v CROSS JOIN LATERAL (
          SELECT ${columns} FROM association_links a WHERE v.side = '${side}' AND ${where}
          ORDER BY a.id LIMIT v.lim) x`
			: `SELECT v.k, v.q, v.lim, ${columns} FROM v JOIN association_links a ON ${where}
        WHERE v.side = '${side}'`;
	};
	return `${branch('first')} UNION ALL ${branch('second')}`;
}

/** Each scan's rows (at most its limit, after its cursor, by link id), in scan order. */
export async function scanRelatedMany(
	sql: SqlExecutor,
	scans: RelatedScan[],
): Promise<RelatedRow[][]> {
	const out: RelatedRow[][] = scans.map(() => []);
	const chunks = chunksOf(
		scanRows(scans),
		scans.map((scan) => scan.limit),
	);
	for (const chunk of chunks) {
		const bound = boundScans(sql, chunk);
		const rows = await sql.all(
			`WITH ${bound.sql}
       SELECT k, id, record_id, created_at FROM (
         SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.q ORDER BY r.id) AS rn FROM (${branches(sql)}) r
       ) w WHERE rn <= lim ORDER BY q, id`,
			bound.params,
		);
		// Per bound row: its scan's results, its label, and the side the related records sit on.
		const scanOf = chunk.map(([q, side, labelId]) => ({
			rows: out[Number(q)],
			labelId: labelId as string,
			side: (side === 'first' ? 'second' : 'first') as Side,
		}));
		for (const row of rows) {
			const scan = scanOf[Number(row.k)];
			scan.rows.push({
				id: String(row.id),
				labelId: scan.labelId,
				recordId: String(row.record_id),
				side: scan.side,
				createdAt: String(row.created_at),
			});
		}
	}
	return out;
}

/** Each scan's number of related links, in scan order. */
export async function countRelatedMany(
	sql: SqlExecutor,
	scans: Array<Omit<RelatedScan, 'afterId' | 'limit'>>,
): Promise<number[]> {
	const out = scans.map(() => 0);
	const chunks = chunksOf(
		scanRows(scans),
		scans.map(() => 0),
	);
	const count = (side: Side) =>
		`(SELECT COUNT(*) FROM association_links a WHERE a.label_id = v.label_id AND a.${side}_record_id = v.record_id)`;
	for (const chunk of chunks) {
		const bound = boundScans(sql, chunk);
		const rows = await sql.all<{ q: unknown; n: unknown }>(
			`WITH ${bound.sql}
       SELECT v.q, SUM(CASE WHEN v.side = 'first' THEN ${count('first')} ELSE ${count('second')} END) AS n
       FROM v GROUP BY v.q`,
			bound.params,
		);
		for (const row of rows) out[Number(row.q)] = Number(row.n);
	}
	return out;
}
