'use strict';
// One timed measurement in its own process (so its peak RSS is its own): forked by bench/run.mjs with a
// job as JSON in argv[2]; answers with process.send(result).
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const data = require('./lib/data.cjs');
const { openRaw, insertLinks, findLinks } = require('./lib/raw.cjs');

const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;

/** Peak RSS inside a timed region, sampled every 5 ms (plus the process's own peak at the end). */
function rssSampler() {
	let peak = process.memoryUsage.rss();
	const timer = setInterval(() => {
		const rss = process.memoryUsage.rss();
		if (rss > peak) peak = rss;
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, process.memoryUsage.rss());
		},
	};
}

/**
 * This process's own peak RSS. On Linux getrusage's maxRSS (process.resourceUsage) of a forked child starts
 * at the parent's RSS at fork time (a child of a 444 MB parent reports 404 MB before doing anything), so it
 * is read from VmHWM, the high-water mark of the process's own memory since exec.
 */
function ownPeakRssBytes() {
	try {
		const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		if (match) return Number(match[1]) * 1024;
	} catch {
		// not Linux: fall back to getrusage
	}
	return process.resourceUsage().maxRSS * 1024;
}

const memory = (baseline, sampledPeak) => ({
	baselineRssMb: mb(baseline),
	peakRssMb: mb(sampledPeak),
	maxRssMb: mb(ownPeakRssBytes()),
});

/** Step names of a core from before the repository was split by table (for --core-ref comparisons). */
const SINGLE_REPOSITORY_STEPS = {
	findLabels: 'labels.find',
	findLinks: 'links.find',
	countLinksBySide: 'links.countBySide',
	insertLinks: 'links.insert',
	appendEvents: 'events.append',
};

/** The built core's repository classes, as [step prefix, class] pairs. */
function repositoryClasses(coreDir) {
	const split = path.join(coreDir, 'core', 'store', 'repositories', 'index.js');
	if (fs.existsSync(split)) {
		const { LabelSqlRepository, LinkSqlRepository, EventSqlRepository } = require(split);
		return [
			['labels.', LabelSqlRepository],
			['links.', LinkSqlRepository],
			['events.', EventSqlRepository],
		];
	}
	const { SqlRepository } = require(path.join(coreDir, 'core', 'store', 'sql-repository.js'));
	return [['', SqlRepository]];
}

/**
 * Time spent in each repository call (the SQL statements and their driver round trips), by wrapping the
 * built core's repository methods; whatever is left of the wall time is the core's JavaScript.
 */
function timeRepository(coreDir) {
	const steps = {};
	let depth = 0; // only the outermost repository call counts (methods call private helpers)
	for (const [prefix, RepositoryClass] of repositoryClasses(coreDir)) {
		for (const name of Object.getOwnPropertyNames(RepositoryClass.prototype)) {
			const descriptor = Object.getOwnPropertyDescriptor(RepositoryClass.prototype, name);
			const original = descriptor.value;
			if (name === 'constructor' || typeof original !== 'function') continue;
			const step = SINGLE_REPOSITORY_STEPS[name] ?? `${prefix}${name}`;
			RepositoryClass.prototype[name] = function (...args) {
				const outermost = ++depth === 1;
				let result;
				try {
					result = original.apply(this, args);
				} catch (error) {
					depth--;
					throw error;
				}
				if (!result || typeof result.then !== 'function') {
					depth--;
					return result;
				}
				const started = performance.now();
				return result.finally(() => {
					depth--;
					if (outermost) steps[step] = (steps[step] ?? 0) + performance.now() - started;
				});
			};
		}
	}
	// The transaction around the batch (BEGIN IMMEDIATE / COMMIT on SQLite, pool checkout + BEGIN / COMMIT on
	// PostgreSQL): counted apart, or a WAL fsync at COMMIT would read as the core's JavaScript.
	const timed = (owner, name, when = () => true) => {
		const original = owner[name];
		owner[name] = function (...args) {
			const result = original.apply(this, args);
			if (!when(args) || !result || typeof result.then !== 'function') return result;
			const started = performance.now();
			return result.finally(() => {
				steps.transaction = (steps.transaction ?? 0) + performance.now() - started;
			});
		};
	};
	const { SqliteExecutor } = require(path.join(coreDir, 'core', 'store', 'executor.js'));
	timed(SqliteExecutor.prototype, 'run', ([sql]) => /^(BEGIN|COMMIT|ROLLBACK)/.test(sql));
	const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner');
	for (const name of ['connect', 'startTransaction', 'commitTransaction', 'release'])
		timed(PostgresQueryRunner.prototype, name);
	return steps;
}

/**
 * n8n is a long-running process: measure the core warm. 1,000 links (and a re-link of them) in a namespace
 * of their own, so the code paths are compiled and the pool is open; the measured namespace is untouched.
 */
async function warmUp(core, config) {
	const warm = await core.openAssociations(config, `${data.NAMESPACE}-warmup`);
	const { label } = await warm.labels.create({
		key: 'warmup',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Warm',
	});
	const items = Array.from({ length: 1000 }, (_, i) => ({
		label: { key: label.key },
		firstRecordId: `w${i % 10}`,
		secondRecordId: `w${i}`,
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
	}));
	await warm.links.linkMany(items);
	await warm.links.linkMany(items);
}

async function coreLink(job) {
	const core = require('./lib/ts-register.cjs').loadCore(job.coreDir);
	const steps = timeRepository(job.coreDir);
	let items = data.toItems(data.bulkLinks(job.links));
	const associations = await core.openAssociations(job.config, data.NAMESPACE);
	await warmUp(core, job.config);
	for (const key of Object.keys(steps)) delete steps[key];
	if (global.gc) global.gc();
	const baseline = process.memoryUsage.rss();
	const sampler = rssSampler();
	const started = performance.now();
	const chunk = job.batchSize ?? items.length;
	const statuses = {};
	for (let start = 0; start < items.length; start += chunk) {
		const results = await associations.links.linkMany(items.slice(start, start + chunk));
		for (const result of results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
	}
	const ms = performance.now() - started;
	const peak = sampler.stop();
	const count = items.length;
	items = null;
	await core.closeAllStores();
	const sqlMs = Object.values(steps).reduce((a, b) => a + b, 0);
	return {
		ms,
		count,
		statuses,
		memory: memory(baseline, peak),
		steps: { ...steps, javascript: ms - sqlMs },
	};
}

async function rawInsert(job) {
	const createdAt = new Date().toISOString();
	const rows = data
		.bulkLinks(job.links)
		.map(([labelIndex, first, second]) => [
			data.NAMESPACE,
			job.labelIds[labelIndex],
			first,
			second,
			createdAt,
		]);
	const labelById = new Map(job.labelIds.map((id, i) => [id, data.LABELS[i]]));
	// What the core writes per new link besides the link: an event row (see core/events.ts), without
	// namespace, position, actor and time (insertLinks adds them).
	const eventRow = ([, labelId, first, second], linkId) => {
		const label = labelById.get(labelId);
		const eventData = { linkId };
		return [
			'link.created',
			labelId,
			label.key,
			label.firstObjectKey,
			label.secondObjectKey,
			first,
			second,
			JSON.stringify(eventData),
		];
	};
	const raw = await openRaw(job.config);
	await raw.all('SELECT COUNT(*) AS n FROM association_labels');
	const baseline = process.memoryUsage.rss();
	const sampler = rssSampler();
	const started = performance.now();
	const changed = job.find
		? await findLinks(
				raw,
				rows.map((row) => row.slice(1, 4)),
				{ chunk: job.chunk },
			)
		: await insertLinks(raw, rows, {
				chunk: job.chunk,
				onConflict: job.onConflict,
				eventRow: job.withEvents ? eventRow : undefined,
			});
	const ms = performance.now() - started;
	const peak = sampler.stop();
	await raw.close();
	return { ms, count: rows.length, changed, memory: memory(baseline, peak) };
}

/** The hand-written related select: the same union the core runs, with the label ids known up front. */
function relatedSql(raw, asFirst, asSecond) {
	let n = 0;
	const p = () => (raw.dialect === 'postgres' ? `$${++n}` : '?');
	const list = (count) => Array.from({ length: count }, p).join(', ');
	const first = `SELECT id, label_id, second_record_id AS record_id, 'second' AS side, created_at
    FROM association_links WHERE label_id IN (${list(asFirst.length)}) AND first_record_id = ${p()}`;
	const second = `SELECT id, label_id, first_record_id AS record_id, 'first' AS side, created_at
    FROM association_links WHERE label_id IN (${list(asSecond.length)}) AND second_record_id = ${p()}`;
	return `SELECT r.id, r.label_id, r.record_id, r.side, r.created_at FROM (${first} UNION ALL ${second}) r ORDER BY r.id LIMIT ${p()}`;
}

const percentile = (sorted, q) =>
	sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const summary = (times) => {
	const sorted = [...times].sort((a, b) => a - b);
	return {
		n: sorted.length,
		p50: percentile(sorted, 0.5),
		p95: percentile(sorted, 0.95),
		p99: percentile(sorted, 0.99),
		mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
	};
};

async function related(job) {
	const core = require('./lib/ts-register.cjs').loadCore(job.coreDir);
	const associations = await core.openAssociations(job.config, data.NAMESPACE);
	const raw = await openRaw(job.config);
	const asFirst = [7, 8, 9].map((i) => job.labelIds[i]);
	const asSecond = [0, 1, 2, 3].map((i) => job.labelIds[i]);
	const sql = relatedSql(raw, asFirst, asSecond);
	const limit = job.limit;
	const viaCore = (recordId) =>
		associations.related.list({ objectKey: 'company', recordId, limit });
	// The core asks for limit + 1 rows (to know whether there is a next page): so does the floor.
	const viaRaw = (recordId) =>
		raw.all(sql, [...asFirst, recordId, ...asSecond, recordId, limit + 1]);

	const order = data.shuffled(Array.from({ length: job.targets }, (_, t) => t));
	const pick = (i) => data.relatedTarget(order[i % order.length]);

	// Same rows: ids in the same order, for a few records.
	for (let i = 0; i < 5; i++) {
		const page = await viaCore(pick(i));
		const rows = await viaRaw(pick(i));
		const coreIds = page.items.map((item) => item.linkId).join(',');
		const rawIds = rows
			.slice(0, limit)
			.map((row) => String(row.id))
			.join(',');
		if (coreIds !== rawIds || page.items.length !== job.perTarget)
			throw new Error(
				`related rows differ for ${pick(i)}: core ${page.items.length}, raw ${rows.length}`,
			);
	}
	for (let i = 0; i < job.warmup; i++) {
		await viaCore(pick(i + 7));
		await viaRaw(pick(i + 7));
	}
	const baseline = process.memoryUsage.rss();
	const sampler = rssSampler();
	const coreTimes = [];
	const rawTimes = [];
	let rowsSeen = 0;
	for (let i = 0; i < job.queries; i++) {
		const recordId = pick(i);
		// Alternate who goes first, so neither always finds the pages the other just read.
		const runs = i % 2 === 0 ? ['core', 'raw'] : ['raw', 'core'];
		for (const who of runs) {
			const started = performance.now();
			if (who === 'core') rowsSeen += (await viaCore(recordId)).items.length;
			else await viaRaw(recordId);
			(who === 'core' ? coreTimes : rawTimes).push(performance.now() - started);
		}
	}
	const peak = sampler.stop();
	await raw.close();
	await core.closeAllStores();
	return {
		core: summary(coreTimes),
		raw: summary(rawTimes),
		rowsPerQuery: rowsSeen / job.queries,
		memory: memory(baseline, peak),
	};
}

/** A start node making Link Records' input items from the bench's links (fields as each input mode reads them). */
const emitLinks = {
	description: {
		displayName: 'Emit Links',
		name: 'emitLinks',
		group: ['input'],
		version: 1,
		description: 'Bench start node',
		defaults: { name: 'Emit Links' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Links', name: 'links', type: 'json', default: '{}' },
			{ displayName: 'Fields', name: 'fields', type: 'string', default: 'manual' },
		],
	},
	async execute() {
		const links = JSON.parse(this.getNodeParameter('links', 0));
		const auto = this.getNodeParameter('fields', 0) === 'auto';
		const items = data.bulkLinks(links).map(([labelIndex, first, second]) => {
			const label = data.LABELS[labelIndex].key;
			return {
				json: auto
					? { label, firstRecordId: first, secondRecordId: second }
					: { label, first, second },
				pairedItem: { item: 0 },
			};
		});
		return [items];
	},
};

/** Emit Links (from the links' description, not the items) → the node. */
function linkPipeline(engine, links, fields, node) {
	engine.registerNodeType('bench.emitLinks', emitLinks);
	const workflow = engine.pipeline([], node);
	workflow.nodes[0] = {
		...workflow.nodes[0],
		type: 'bench.emitLinks',
		parameters: { links: JSON.stringify(links), fields },
	};
	return workflow;
}

/**
 * Scenario 5: workflows run by n8n's own execution engine (n8n-core's WorkflowExecute, through the nodes'
 * test helper test/nodes/helpers/engine.ts): Emit Links → Link Records (one execution, all items), or
 * Emit Items (record ids) → Get Related Objects (Return All). Wall time of the execution, the node's own
 * executionTime as n8n records it, and the process's peak RSS.
 */
async function n8nRun(job) {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const core = require('./lib/ts-register.cjs').loadCore(job.coreDir);
	const engine = require(path.join(job.coreDir, 'test', 'nodes', 'helpers', 'engine.js'));
	const credentialsFor = (namespace) => ({
		associationStoreApi: engine.credentialFor(job.config, namespace),
	});
	const linkNode = {
		name: 'Link',
		type: 'linkRecords',
		parameters: {
			operation: 'link',
			label: engine.rl('={{ $json.label }}', 'key'),
			firstRecordId: '={{ $json.first }}',
			secondRecordId: '={{ $json.second }}',
		},
	};
	// The same execution with Input Mode "Map Automatically From Input": the item's fields, no expressions.
	const linkAutoNode = {
		name: 'Link',
		type: 'linkRecords',
		parameters: { operation: 'link', inputMode: 'autoMapInputData' },
	};
	const relatedNode = {
		name: 'Related',
		type: 'getRelatedObjects',
		parameters: {
			operation: 'getRelated',
			objectKey: engine.rl('contact', 'key'),
			recordId: '={{ $json.id }}',
			returnAll: true,
		},
	};

	// Warm: the same two workflows on a few items in a namespace of their own.
	const warm = await core.openAssociations(job.config, `${data.NAMESPACE}-warmup`);
	await warm.labels.create({
		key: 'warmup',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Warm',
	});
	const warmItems = Array.from({ length: 200 }, (_, i) => ({
		label: 'warmup',
		first: `w${i % 10}`,
		second: `w${i}`,
	}));
	await engine.runNode(credentialsFor(`${data.NAMESPACE}-warmup`), warmItems, linkNode);
	await engine.runNode(credentialsFor(`${data.NAMESPACE}-warmup`), [{ id: 'w1' }], relatedNode);

	if (job.kind === 'n8n-link-auto')
		await engine.runNode(
			credentialsFor(`${data.NAMESPACE}-warmup`),
			warmItems.map((item) => ({
				label: item.label,
				firstRecordId: item.first,
				secondRecordId: item.second,
			})),
			linkAutoNode,
		);

	const node = { 'n8n-link': linkNode, 'n8n-link-auto': linkAutoNode }[job.kind] ?? relatedNode;
	// Link Records' input comes from a start node that makes its items itself, as a real previous node does:
	// the items exist once, as that node's output. (Emit Items would also hold them as its JSON parameter, and
	// this process as the array it was given: two more copies of 100,000 items no n8n workflow has.)
	const linkFields = { 'n8n-link': 'manual', 'n8n-link-auto': 'auto' }[job.kind];
	const workflow = linkFields
		? linkPipeline(engine, job.links, linkFields, node)
		: engine.pipeline(
				job.recordIds.map((id) => ({ id })),
				node,
			);
	// Record ids are made (and cached by bench/lib/data.cjs) before the measurement, like the items' strings
	// a previous node's output holds.
	if (linkFields) data.bulkLinks(job.links);
	if (global.gc) global.gc();
	const baseline = process.memoryUsage.rss();
	const sampler = rssSampler();
	const started = performance.now();
	const result = await engine.runWorkflow(workflow, {
		credentials: credentialsFor(data.NAMESPACE),
	});
	const ms = performance.now() - started;
	const peak = sampler.stop();
	if (result.error) throw new Error(`the workflow failed: ${result.error.message}`);
	const output = result.output(node.name);
	const inputItems = result.output(workflow.nodes[0].name).length;
	const task = result.run.data.resultData.runData[node.name][0];
	const statuses = {};
	for (const item of output)
		statuses[item.json.status ?? 'item'] = (statuses[item.json.status ?? 'item'] ?? 0) + 1;
	await core.closeAllStores();
	return {
		ms,
		nodeMs: task.executionTime,
		inputItems,
		outputItems: output.length,
		statuses,
		memory: memory(baseline, peak),
	};
}

/** n8n's own Postgres node, from the n8n the end-to-end harness installs (test/e2e/n8n-harness.ts). */
function n8nPostgresNode() {
	const base =
		process.env.BENCH_N8N_NODES_BASE ??
		path.join(
			os.homedir(),
			'.cache',
			'n8n-nodes-object-associations',
			'n8n-2.40.7',
			'node_modules',
			'n8n-nodes-base',
		);
	const file = path.join(base, 'dist', 'nodes', 'Postgres', 'Postgres.node.js');
	if (!fs.existsSync(file)) return undefined;
	const { Postgres } = require(file);
	return new Postgres().getNodeType(2.6);
}

/**
 * Target 6: one n8n execution of Get Related Objects over many input items (one record each), side by side
 * with n8n's Postgres node sending the same lookups (the related-records select with the record's label
 * ids known) with "Query Batching: single query". Alternates the two, `job.repeat` times each.
 */
async function n8nReadBatch(job) {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const core = require('./lib/ts-register.cjs').loadCore(job.coreDir);
	const engine = require(path.join(job.coreDir, 'test', 'nodes', 'helpers', 'engine.js'));
	const postgresNode = job.config.type === 'postgres' ? n8nPostgresNode() : undefined;
	if (postgresNode) engine.registerNodeType('n8n-nodes-base.postgres', postgresNode);
	const credentials = {
		associationStoreApi: engine.credentialFor(job.config, data.NAMESPACE),
		...(postgresNode
			? {
					postgres: {
						host: job.config.host,
						port: job.config.port,
						database: job.config.database,
						user: job.config.user,
						password: job.config.password ?? '',
						ssl: 'disable',
						maxConnections: 100,
					},
				}
			: {}),
	};
	const associations = await core.openAssociations(job.config, data.NAMESPACE);
	const labels = await associations.labels.list({ limit: 100 });
	const ids = (list) => list.map((label) => `'${label.id}'`).join(', ');
	const lookup = (objectKey, limit) => {
		const asFirst = labels.filter((label) => label.firstObjectKey === objectKey);
		const asSecond = labels.filter((label) => label.secondObjectKey === objectKey);
		const branches = [];
		if (asFirst.length > 0)
			branches.push(`SELECT id, label_id, second_record_id AS record_id, 'second' AS side, created_at
    FROM association_links WHERE label_id IN (${ids(asFirst)}) AND first_record_id = $1`);
		if (asSecond.length > 0)
			branches.push(`SELECT id, label_id, first_record_id AS record_id, 'first' AS side, created_at
    FROM association_links WHERE label_id IN (${ids(asSecond)}) AND second_record_id = $1`);
		return `SELECT r.id, r.label_id, r.record_id, r.side, r.created_at FROM (
  ${branches.join(' UNION ALL ')}) r ORDER BY r.id LIMIT ${limit}`;
	};
	const runs = [];
	for (const workload of job.workloads) {
		const items = workload.recordIds.map((id) => ({ id }));
		const ours = {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: engine.rl(workload.objectKey, 'key'),
				recordId: '={{ $json.id }}',
				limit: workload.limit,
			},
		};
		const theirs = {
			name: 'Postgres',
			type: 'n8n-nodes-base.postgres',
			typeVersion: 2.6,
			credentials: { postgres: { id: 'pg-1', name: 'Postgres' } },
			parameters: {
				operation: 'executeQuery',
				query: lookup(workload.objectKey, workload.limit),
				options: { queryBatching: 'single', queryReplacement: '={{ $json.id }}' },
			},
		};
		const measure = async (node) => {
			const started = performance.now();
			const result = await engine.runNode(credentials, items, node);
			const ms = performance.now() - started;
			if (result.error)
				throw new Error(
					`${node.name} failed: ${result.error.message} ${result.error.description ?? ''} ${JSON.stringify(node.parameters)}`,
				);
			const task = result.run.data.resultData.runData[node.name][0];
			return { ms, nodeMs: task.executionTime, outputItems: result.output(node.name).length };
		};
		// Warm both once, then alternate.
		await measure(ours);
		if (postgresNode) await measure(theirs);
		const oursRuns = [];
		const theirRuns = [];
		for (let i = 0; i < job.repeat; i++) {
			oursRuns.push(await measure(ours));
			if (postgresNode) theirRuns.push(await measure(theirs));
		}
		runs.push({
			...workload,
			recordIds: undefined,
			items: items.length,
			ours: oursRuns,
			postgresNode: theirRuns,
		});
	}
	await core.closeAllStores();
	return { runs, postgresNode: Boolean(postgresNode) };
}

const jobs = {
	'core-link': coreLink,
	'raw-insert': rawInsert,
	related,
	'n8n-link': n8nRun,
	'n8n-link-auto': n8nRun,
	'n8n-related': n8nRun,
	'n8n-read-batch': n8nReadBatch,
};

(async () => {
	const job = JSON.parse(process.argv[2]);
	try {
		const result = await jobs[job.kind](job);
		process.send({ ok: true, result }, () => process.exit(0));
	} catch (error) {
		process.send({ ok: false, error: error && error.stack ? error.stack : String(error) }, () =>
			process.exit(1),
		);
	}
})();
