// Scenario 6: traversal (issue 12). A store of `traverseStoreLinks` links (bulk-loaded raw), in which one contact
// works at `traverseFanout` companies, each with `traverseSecondPerRecord` account links to opportunities:
// contact → works_at → company → account → opportunity. Timed: the core's traverse (every page, as Return All
// reads it) against a raw two-hop statement returning the same record ids; also the query plans of the
// core's hop statements (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) for the record.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const data = require('./lib/data.cjs');
const { openRaw } = require('./lib/raw.cjs');

export const TRAVERSE_PARAMETERS = {
	traverseStoreLinks: [
		1_000_000,
		20_000,
		'scenario 6: links in the store (background + the traversed ones)',
	],
	traverseFanout: [1_000, 100, 'scenario 6: links of the start contact (hop 1)'],
	traverseSecondPerRecord: [1, 1, 'scenario 6: links of each hop-1 company (hop 2: fanout × this)'],
	traverseQueries: [50, 10, 'scenario 6: timed traversals, each through the core and raw'],
};

const WORKS_AT = 0; // contact → company
const ACCOUNT = data.LABELS.findIndex((label) => label.key === 'account'); // company → opportunity

function tuplesOf(options) {
	const tuples = [];
	for (let i = 0; i < options.traverseFanout; i++) {
		tuples.push([WORKS_AT, 'tc-0', `tco-${i}`]);
		for (let j = 0; j < options.traverseSecondPerRecord; j++)
			tuples.push([ACCOUNT, `tco-${i}`, `top-${i}-${j}`]);
	}
	// Background: the other links of the store, on every label, none touching the traversed records.
	const background = Math.max(0, options.traverseStoreLinks - tuples.length);
	for (let i = 0; i < background; i++) tuples.push([i % 10, `bg${Math.floor(i / 7)}`, `bh${i}`]);
	return tuples;
}

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const summary = (ms) => {
	const sorted = [...ms].sort((a, b) => a - b);
	return {
		p50: percentile(sorted, 0.5),
		p95: percentile(sorted, 0.95),
		max: sorted[sorted.length - 1],
	};
};

function floorSql(dialect) {
	const p = (n) => (dialect === 'postgres' ? `$${n}` : `?${n}`);
	return `SELECT a1.second_record_id AS record_id, 1 AS depth FROM association_links a1
      WHERE a1.label_id = ${p(1)} AND a1.first_record_id = ${p(2)}
    UNION ALL
    SELECT a2.second_record_id, 2 FROM association_links a1
      JOIN association_links a2 ON a2.label_id = ${p(3)} AND a2.first_record_id = a1.second_record_id
      WHERE a1.label_id = ${p(1)} AND a1.first_record_id = ${p(2)}`;
}

/** The core's own hop statements for this traversal, captured from its repository, then explained raw. */
async function explainHops(coreDir, raw, dialect, labelIds, fanout) {
	const { GraphSqlRepository } = require(
		path.join(coreDir, 'core', 'store', 'repositories', 'graph.repository.js'),
	);
	const { toPostgresPlaceholders } = require(path.join(coreDir, 'core', 'store', 'executor.js'));
	let captured;
	const recorder = {
		dialect,
		all: async (sql, params) => {
			captured = { sql, params };
			return [];
		},
	};
	const graph = new GraphSqlRepository(recorder);
	const hops = {
		hop1: [[{ labelId: labelIds[WORKS_AT], recordId: 'tc-0' }], []],
		hop2: [
			Array.from({ length: fanout }, (_, i) => ({
				labelId: labelIds[ACCOUNT],
				recordId: `tco-${i}`,
			})),
			[],
		],
	};
	const plans = {};
	for (const [name, [fromFirst, fromSecond]] of Object.entries(hops)) {
		await graph.hop(fromFirst, fromSecond, 200_001);
		const sql = dialect === 'postgres' ? toPostgresPlaceholders(captured.sql) : captured.sql;
		const explain =
			dialect === 'postgres'
				? `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`
				: `EXPLAIN QUERY PLAN ${sql}`;
		const rows = await raw.all(explain, captured.params);
		plans[name] = {
			sql: captured.sql.replace(/\s+/g, ' ').trim(),
			plan: rows.map(
				(row) => row['QUERY PLAN'] ?? `${'  '.repeat(row.parent ? 1 : 0)}${row.detail}`,
			),
		};
	}
	return plans;
}

export async function scenarioTraverse(
	ctx,
	dialect,
	{ newStore, dropStore, rawLoad, log, coreDir },
) {
	const { options, templates, core } = ctx;
	const template = templates[dialect];
	const config = await newStore(dialect, template.config);
	const tuples = tuplesOf(options);
	const chunk = dialect === 'sqlite' ? options.rawChunkSqlite : options.rawChunkPostgres;
	const loadMs = await rawLoad(config, template.labelIds, tuples, chunk);
	log(
		`  ${dialect}: scenario 6 store of ${tuples.length.toLocaleString('en-US')} links loaded in ${(loadMs / 1000).toFixed(1)} s`,
	);
	const expected = options.traverseFanout * (1 + options.traverseSecondPerRecord);
	const associations = await core.openAssociations(config, data.NAMESPACE);
	const query = {
		start: [{ objectKey: 'contact', recordId: 'tc-0' }],
		steps: [{ label: { key: 'works_at' } }, { label: { key: 'account' } }],
	};
	const traverseAll = async () => {
		let count = 0;
		let cursor;
		do {
			const page = await associations.traverse({
				...query,
				limit: 1000,
				...(cursor ? { cursor } : {}),
			});
			count += page.items.length;
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return count;
	};
	const raw = await openRaw(config);
	const floorParams = [template.labelIds[WORKS_AT], 'tc-0', template.labelIds[ACCOUNT]];
	const floor = async () => (await raw.all(floorSql(dialect), floorParams)).length;
	const times = { ours: [], floor: [] };
	for (let i = 0; i < 3; i++) (await traverseAll(), await floor());
	for (let i = 0; i < options.traverseQueries; i++) {
		for (const [side, run] of i % 2
			? [
					['ours', traverseAll],
					['floor', floor],
				]
			: [
					['floor', floor],
					['ours', traverseAll],
				]) {
			const t = performance.now();
			const count = await run();
			times[side].push(performance.now() - t);
			if (count !== expected)
				throw new Error(`scenario 6 (${side}) reached ${count} records, expected ${expected}`);
		}
	}
	const plans = await explainHops(coreDir, raw, dialect, template.labelIds, options.traverseFanout);
	await raw.close();
	await core.closeStore(config);
	await dropStore(config);
	const ours = summary(times.ours);
	const floorStats = summary(times.floor);
	return {
		scenario: 6,
		dialect,
		storeLinks: tuples.length,
		reached: expected,
		ours,
		floor: floorStats,
		ratio: ours.p50 / floorStats.p50,
		target: { p95MsBelow: 1000 },
		plans,
	};
}

/** The table row of scenario 6. */
export const traverseRow = (r, fmtMs, fmtRatio) => [
	'6 traverse 2 hops',
	r.dialect,
	`p50 ${fmtMs(r.ours.p50)} / p95 ${fmtMs(r.ours.p95)}`,
	`p50 ${fmtMs(r.floor.p50)} / p95 ${fmtMs(r.floor.p95)}`,
	fmtRatio(r.ratio),
	`p95 < 1 s (${r.reached.toLocaleString('en-US')} records, ${r.storeLinks.toLocaleString('en-US')} links)`,
	r.ours.p95 < 1000 ? 'ok' : 'MISSED',
	'',
];

/** The query plans of scenario 6, printed after the table. */
export const renderPlans = (results) =>
	results
		.filter((r) => r.scenario === 6)
		.map((r) =>
			Object.entries(r.plans)
				.map(
					([hop, { sql, plan }]) =>
						`${r.dialect} ${hop}: ${sql}\n${plan.map((line) => `    ${line}`).join('\n')}`,
				)
				.join('\n\n'),
		)
		.join('\n\n');
