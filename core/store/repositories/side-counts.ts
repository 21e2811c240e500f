import type { Side } from '../../types';
import type { SqlExecutor } from '../executor';
import { BATCH_ROWS } from './sql-batch';

/**
 * Every record's link count on one side of a label, read whole, when the label holds fewer than
 * `fewerThan` links; null otherwise (without reading more than `fewerThan` index entries to find out).
 *
 * Asking for R records' counts one by one costs R index descents; reading a side of L links in index
 * order costs L sequential entries. A batch that names more records than its label holds links (a first
 * import into a new label, a label that is still small) is answered from the whole side instead.
 * Pages of BATCH_ROWS records by keyset, so no result set grows with the label.
 */
export async function sideCountsIfSmall(
	sql: SqlExecutor,
	labelId: string,
	side: Side,
	fewerThan: number,
): Promise<Map<string, number> | null> {
	const [{ n }] = await sql.all<{ n: unknown }>(
		'SELECT COUNT(*) AS n FROM (SELECT 1 FROM association_links WHERE label_id = ? LIMIT ?) l',
		[labelId, fewerThan],
	);
	if (Number(n) >= fewerThan) return null;
	const counts = new Map<string, number>();
	const column = `${side}_record_id`;
	let after: string | null = null;
	for (;;) {
		const rows: { record_id: unknown; n: unknown }[] = await sql.all(
			`SELECT ${column} AS record_id, COUNT(*) AS n FROM association_links
       WHERE label_id = ?${after === null ? '' : ` AND ${column} > ?`}
       GROUP BY ${column} ORDER BY ${column} LIMIT ?`,
			after === null ? [labelId, BATCH_ROWS] : [labelId, after, BATCH_ROWS],
		);
		for (const row of rows) counts.set(String(row.record_id), Number(row.n));
		if (rows.length < BATCH_ROWS) return counts;
		after = String(rows[rows.length - 1].record_id);
	}
}
