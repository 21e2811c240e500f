// The plan of scenario 3's raw related select for one queried record: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL
// (buffer hits and reads show where the pages came from), EXPLAIN QUERY PLAN on SQLite.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const data = require('./data.cjs');
const { openRaw } = require('./raw.cjs');

// The labels the queried companies use (data.relatedStore): first side of 7-9, second side of 0-3.
const AS_FIRST = [7, 8, 9];
const AS_SECOND = [0, 1, 2, 3];

function relatedSql(dialect, asFirst, asSecond) {
	let n = 0;
	const p = () => (dialect === 'postgres' ? `$${++n}` : '?');
	const list = (count) => Array.from({ length: count }, p).join(', ');
	const first = `SELECT id, label_id, second_record_id AS record_id, 'second' AS side, created_at
    FROM association_links WHERE label_id IN (${list(asFirst)}) AND first_record_id = ${p()}`;
	const second = `SELECT id, label_id, first_record_id AS record_id, 'first' AS side, created_at
    FROM association_links WHERE label_id IN (${list(asSecond)}) AND second_record_id = ${p()}`;
	return `SELECT r.id, r.label_id, r.record_id, r.side, r.created_at FROM (${first} UNION ALL ${second}) r ORDER BY r.id LIMIT ${p()}`;
}

export async function relatedPlan(config, labelIds, limit) {
	const raw = await openRaw(config);
	try {
		const record = data.relatedTarget(0);
		const sql = relatedSql(raw.dialect, AS_FIRST.length, AS_SECOND.length);
		const params = [
			...AS_FIRST.map((i) => labelIds[i]),
			record,
			...AS_SECOND.map((i) => labelIds[i]),
			record,
			limit + 1,
		];
		const explain =
			raw.dialect === 'postgres'
				? `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`
				: `EXPLAIN QUERY PLAN ${sql}`;
		const rows = await raw.all(explain, params);
		return rows.map((row) => row['QUERY PLAN'] ?? `${row.parent ? '  ' : ''}${row.detail}`);
	} finally {
		await raw.close();
	}
}
