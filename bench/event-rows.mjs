// What the event log costs a bulk link, index by index (issue 13, target 2): writes the link.created event rows
// of a 100,000-link batch into the store's own event table (schema from the core's migrations, SQLite) with
// all of its indexes, then with fewer, down to none, each in one transaction of prepared multi-row INSERTs
// (the raw floor's way). Next to it, the bare floor's link rows. If the event rows alone, even without any
// index, cost about what the links cost, no core that writes an event row per link can reach 0.5x the bare
// floor, whatever it does with its own time.
//   node bench/event-rows.mjs [--rows 100000] [--repeat 3]
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { buildSources, loadCore } = require('./lib/ts-register.cjs');
const { openRaw, insertLinks } = require('./lib/raw.cjs');
const data = require('./lib/data.cjs');

const arg = (name, fallback) => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROWS = arg('rows', 100_000);
const REPEAT = arg('repeat', 3);
const CREATED_AT = '2026-01-01T00:00:00.000Z';

/** The event table's secondary indexes (migrations 1 and 2), from the least to the most needed. */
const INDEXES = [
	['id', 'ix_association_events_namespace_id', 'events() after an id'],
	['created_at', 'ix_association_events_namespace_created', 'retention'],
	['label', 'ix_association_events_namespace_label', 'trigger and history filtered by label'],
	['second record', 'ix_association_events_namespace_second', 'a record’s history'],
	['first record', 'ix_association_events_namespace_first', 'a record’s history'],
	['position', 'uq_association_events_namespace_position', 'the trigger’s resume point'],
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'event-rows-'));
const core = loadCore(buildSources());
const template = path.join(work, 'template.sqlite');
const associations = await core.openAssociations(
	{ type: 'sqlite', path: template },
	data.NAMESPACE,
);
const label = data.LABELS[0];
const labelId = (await associations.labels.create(label)).label.id;
await core.closeAllStores();
// The template keeps its schema and label; its label.created event would hold position 1.
const cleaner = await openRaw({ type: 'sqlite', path: template });
await cleaner.run('DELETE FROM association_events');
await cleaner.close();

const links = data.bulkLinks({ records: Math.ceil(ROWS / 50), perRecord: 50, total: ROWS });
const eventParams = (from, to) => {
	const params = [];
	for (let i = from; i < to; i++) {
		const [, first, second] = links[i];
		params.push(data.NAMESPACE, String(i + 1), 'link.created', labelId, label.key);
		params.push(label.firstObjectKey, label.secondObjectKey, first, second);
		params.push(JSON.stringify({ linkId: String(i + 1) }), null, CREATED_AT);
	}
	return params;
};

async function fresh(name) {
	const file = path.join(work, `${name}.sqlite`);
	fs.copyFileSync(template, file);
	return openRaw({ type: 'sqlite', path: file });
}

/** Milliseconds to write the event rows with all indexes but the first `dropped` of INDEXES. */
async function writeEvents(dropped) {
	const raw = await fresh(`events-${dropped}`);
	for (const [, index] of INDEXES.slice(0, dropped)) await raw.run(`DROP INDEX ${index}`);
	const chunk = 1_000;
	const statement = raw.prepared(
		`INSERT INTO association_events (namespace, position, type, label_id, label_key, first_object_key,
       second_object_key, first_record_id, second_record_id, data, actor, created_at)
     VALUES ${Array.from({ length: chunk }, () => `(${Array(12).fill('?').join(', ')})`).join(', ')}`,
	);
	const started = performance.now();
	await raw.begin();
	for (let from = 0; from < ROWS; from += chunk)
		await statement.run(eventParams(from, from + chunk));
	await raw.run('COMMIT');
	const ms = performance.now() - started;
	await statement.finalize();
	await raw.close();
	return ms;
}

async function writeLinks() {
	const raw = await fresh('links');
	const rows = links.map(([, first, second]) => [
		data.NAMESPACE,
		labelId,
		first,
		second,
		CREATED_AT,
	]);
	const started = performance.now();
	await insertLinks(raw, rows, { chunk: 1_000 });
	const ms = performance.now() - started;
	await raw.close();
	return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = {
	links: [],
	...Object.fromEntries(INDEXES.map((_, i) => [i, []])),
	[INDEXES.length]: [],
};
for (let r = 0; r < REPEAT; r++) {
	runs.links.push(await writeLinks());
	for (let dropped = 0; dropped <= INDEXES.length; dropped++)
		runs[dropped].push(await writeEvents(dropped));
}
const linksMs = median(runs.links);
console.log(
	`\n${ROWS.toLocaleString('en-US')} rows, SQLite, median of ${REPEAT} (${os.cpus()[0].model}):\n`,
);
console.log(
	'| rows written | indexes besides the primary key | ms | ÷ bare link rows |\n|---|---|---|---|',
);
console.log(
	`| link rows (the bare floor) | the store's two link indexes | ${linksMs.toFixed(0)} | 1.00× |`,
);
for (let dropped = 0; dropped <= INDEXES.length; dropped++) {
	const kept = INDEXES.slice(dropped).map(([name]) => name);
	const ms = median(runs[dropped]);
	console.log(
		`| event rows | ${kept.length === 0 ? 'none' : kept.join(', ')} | ${ms.toFixed(0)} | ${(ms / linksMs).toFixed(2)}× |`,
	);
}
console.log(
	`\nWhat each event index serves: ${INDEXES.map(([name, , use]) => `${name}: ${use}`).join('; ')}.`,
);
const none = median(runs[INDEXES.length]);
console.log(
	`\nA core writing links + event rows with no secondary index at all, and no time of its own, would reach` +
		` ${(linksMs / (linksMs + none)).toFixed(2)}× of the bare floor; with the event log as it is, ` +
		`${(linksMs / (linksMs + median(runs[0]))).toFixed(2)}×.`,
);
fs.rmSync(work, { recursive: true, force: true });
