/**
 * Queue mode, end to end: scripts/queue/stack.mjs (what `npm start -- --queue` runs) starts PostgreSQL, Redis,
 * an n8n 2.40.7 main and two workers with this package installed in each; the store credential points at
 * PostgreSQL. Then:
 * 1. 200 concurrent webhook calls (180 distinct pairs + 20 repeats) link one hot contact under a label with a
 *    first-side limit of 150: exactly 150 links stored, one per "created" answer, every other answer is
 *    "already linked" or a RECORD_LIMIT error, no duplicate, and both workers ran executions.
 * 2. A worker is killed with SIGKILL in the middle of a 20,000-item Link Records batch: the store holds none of
 *    the batch, and running the workflow again stores all of it, once.
 * Every server listens on 127.0.0.1; every loop is bounded in count and time.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

import { closeAllStores, openAssociations } from '../../core';
import { rawQuery } from '../support/stores';
import { PKG } from './example-helpers';
import { E2E_PROVISION_TIMEOUT_MS } from './n8n-harness';
import { startQueueStack, type QueueStack } from './queue-harness';

const HOT_LABEL = 'queue_hot_resident';
const HOT_LIMIT = 150;
const HOT_CALLS = 200;
const HOT_REPEATS = 20; // calls repeating an earlier call's pair
const BULK_LABEL = 'queue_bulk_owner';
const BULK_ITEMS = 20_000;
const credentials = { associationStoreApi: { id: 'assocStoreDefault', name: 'Association Store' } };

const webhook = (name: string, pathName: string, responseMode: string) => ({
	id: randomUUID(),
	name,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: randomUUID(),
	parameters: {
		httpMethod: 'POST',
		path: pathName,
		responseMode,
		...(responseMode === 'lastNode' ? { responseData: 'firstEntryJson' } : {}),
		options: {},
	},
});
const linkRecords = (label: string, first: string, second: string, extra: object = {}) => ({
	id: randomUUID(),
	name: 'Link Records',
	type: `${PKG}.linkRecords`,
	typeVersion: 1,
	position: [440, 0],
	parameters: {
		operation: 'link',
		label: { __rl: true, mode: 'key', value: label },
		firstRecordId: first,
		secondRecordId: second,
	},
	credentials,
	...extra,
});
const chain = (...names: string[]) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

/** One webhook call, one link; the answer is Link Records' item (created / already_linked / error). */
const HOT_WORKFLOW = {
	id: 'queueHotLink0001',
	name: 'queue e2e: hot record',
	active: true,
	settings: { executionOrder: 'v1' },
	nodes: [
		webhook('Webhook', 'queue-hot-link', 'lastNode'),
		linkRecords(HOT_LABEL, '={{ $json.body.contactId }}', '={{ $json.body.propertyId }}', {
			onError: 'continueRegularOutput',
		}),
	],
	connections: chain('Webhook', 'Link Records'),
};

/** One webhook call, one Link Records batch of body.n items (atomic: no Continue On Fail). */
const BULK_WORKFLOW = {
	id: 'queueBulkLink001',
	name: 'queue e2e: large batch',
	active: true,
	settings: { executionOrder: 'v1' },
	nodes: [
		webhook('Webhook', 'queue-bulk-link', 'onReceived'),
		{
			id: randomUUID(),
			name: 'Build Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode: [
					'const n = Number($input.first().json.body.n);',
					'const items = [];',
					"for (let i = 0; i < n; i++) items.push({ json: { contactId: 'bulk_contact_' + (i % 200), propertyId: 'bulk_property_' + i } });",
					'return items;',
				].join('\n'),
			},
		},
		linkRecords(BULK_LABEL, '={{ $json.contactId }}', '={{ $json.propertyId }}'),
	],
	connections: chain('Webhook', 'Build Items', 'Link Records'),
};

/** Answers as soon as main has registered the published webhooks (there is no log line for it in queue mode). */
const PING_WORKFLOW = {
	id: 'queuePingHook001',
	name: 'queue e2e: ping',
	active: true,
	settings: { executionOrder: 'v1' },
	nodes: [webhook('Webhook', 'queue-ping', 'onReceived')],
	connections: {},
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a value (not undefined), for at most `timeoutMs`. */
async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs: number,
	everyMs = 100,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined) return value;
		await sleep(everyMs);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** POST JSON to a production webhook of the stack (bounded: 120 s per call). */
async function post(stack: QueueStack, pathName: string, body: unknown) {
	const response = await fetch(`${stack.info.webhookUrl}${pathName}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = { raw: text };
	}
	return { status: response.status, json };
}

const report: string[] = [];
const note = (line: string) => {
	report.push(line);
	process.stderr.write(`[queue-mode] ${line}\n`);
};

describe('queue mode: one main, two workers, PostgreSQL and Redis', () => {
	let stack: QueueStack;
	let importDir: string;

	beforeAll(async () => {
		importDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-e2e-workflows-'));
		const file = path.join(importDir, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify([HOT_WORKFLOW, BULK_WORKFLOW, PING_WORKFLOW]));
		const started = Date.now();
		stack = await startQueueStack({ workers: 2, imports: [file] });
		note(
			`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (main ready after ${stack.info.readySeconds.main.toFixed(1)} s, workers ${stack.info.readySeconds.workers.map((s) => s.toFixed(1)).join(' / ')} s)`,
		);
		// the labels, straight through the core on the store the credential points at
		const associations = await openAssociations(stack.store, 'default');
		await associations.labels.create({
			key: HOT_LABEL,
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.property',
			firstLabel: 'Resident',
			firstLimit: HOT_LIMIT,
		});
		await associations.labels.create({
			key: BULK_LABEL,
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.property',
			firstLabel: 'Owner',
		});
		await closeAllStores();
		// main registers published webhooks while it starts; in queue mode it may not log that: probe the URL
		await waitFor(
			'the webhooks to be registered',
			async () => ((await post(stack, 'queue-ping', {})).status === 200 ? true : undefined),
			60_000,
			250,
		);
	}, E2E_PROVISION_TIMEOUT_MS);

	afterAll(async () => {
		await closeAllStores();
		await stack?.stop();
		if (importDir) fs.rmSync(importDir, { recursive: true, force: true });
		if (report.length) process.stderr.write(`\nqueue-mode summary:\n  ${report.join('\n  ')}\n`);
	}, 120_000);

	test('200 concurrent webhook calls on a hot record: exactly the limit stored, the rest refused or already linked, spread over both workers', async () => {
		// 180 distinct properties, then 20 calls repeating the first 20 pairs, all at once
		const bodies = Array.from({ length: HOT_CALLS }, (_, i) => ({
			contactId: 'contact_hot',
			propertyId: `property_${i < HOT_CALLS - HOT_REPEATS ? i : i - (HOT_CALLS - HOT_REPEATS)}`,
		}));
		const started = Date.now();
		const answers = await Promise.all(bodies.map((body) => post(stack, 'queue-hot-link', body)));
		const seconds = (Date.now() - started) / 1000;

		expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
		const created = answers.filter((answer) => answer.json.status === 'created');
		const already = answers.filter((answer) => answer.json.status === 'already_linked');
		const refused = answers.filter((answer) => answer.json.code === 'RECORD_LIMIT');
		expect(created.length + already.length + refused.length).toBe(HOT_CALLS);
		expect(created).toHaveLength(HOT_LIMIT);
		for (const answer of refused)
			expect(answer.json.error).toContain(
				`contact record "contact_hot" already has ${HOT_LIMIT} links through label "${HOT_LABEL}" ("Resident"; limit ${HOT_LIMIT} per record): to custom_objects.property `,
			);

		const rows = await rawQuery<{ second_record_id: string; n: string }>(
			stack.store,
			`SELECT l.second_record_id, COUNT(*) AS n FROM association_links l JOIN association_labels b ON b.id = l.label_id
			 WHERE b.key = ? AND l.first_record_id = 'contact_hot' GROUP BY l.second_record_id`,
			[HOT_LABEL],
		);
		const stored = new Set(rows.map((row) => row.second_record_id));
		// the exact count, no duplicate, and every acknowledged link is stored (and nothing else)
		expect(rows).toHaveLength(HOT_LIMIT);
		expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
		expect(new Set(created.map((answer) => answer.json.secondRecordId))).toEqual(stored);
		for (const answer of already) expect(stored.has(answer.json.secondRecordId)).toBe(true);
		// a refusal names the hot contact, not the property: take the property from the call's body
		const refusedIds = answers
			.map((answer, i) => (answer.json.code === 'RECORD_LIMIT' ? bodies[i].propertyId : undefined))
			.filter((id): id is string => id !== undefined);
		for (const id of refusedIds) expect(stored.has(id)).toBe(false);

		// one link.created event per stored link, each naming the execution that made it
		const events = await rawQuery<{ actor: string }>(
			stack.store,
			"SELECT actor FROM association_events WHERE type = 'link.created' AND label_key = ?",
			[HOT_LABEL],
		);
		expect(events).toHaveLength(HOT_LIMIT);

		// every execution ran on exactly one worker, and both workers ran some
		const executions = await stack.n8nQuery<{ id: number; status: string }>(
			'SELECT id, status FROM execution_entity WHERE "workflowId" = $1',
			[HOT_WORKFLOW.id],
		);
		expect(executions).toHaveLength(HOT_CALLS);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const byWorker = stack.executionsByWorker();
		const counts = [...byWorker].map(([name, ids]) => ({
			name,
			n: executions.filter((execution) => ids.has(String(execution.id))).length,
		}));
		for (const execution of executions) {
			const ranOn = [...byWorker].filter(([, ids]) => ids.has(String(execution.id)));
			expect(ranOn).toHaveLength(1);
		}
		for (const { n } of counts) expect(n).toBeGreaterThan(0);
		for (const event of events)
			expect(
				[...byWorker.values()].some((ids) => ids.has(String(JSON.parse(event.actor).executionId))),
			).toBe(true);
		note(
			`hot record: ${HOT_CALLS} concurrent calls answered in ${seconds.toFixed(1)} s: ${created.length} created, ${already.length} already linked, ${refused.length} RECORD_LIMIT; stored ${rows.length}; executions per worker: ${counts.map(({ name, n }) => `${name} ${n}`).join(', ')}`,
		);
	}, 600_000);

	test('a worker killed with SIGKILL mid-batch leaves none of the 20,000 links; running it again stores all of them once', async () => {
		const countLinks = async () =>
			Number(
				(
					await rawQuery<{ n: string }>(
						stack.store,
						'SELECT COUNT(*) AS n FROM association_links l JOIN association_labels b ON b.id = l.label_id WHERE b.key = ?',
						[BULK_LABEL],
					)
				)[0].n,
			);
		const bulkExecutions = () =>
			stack.n8nQuery<{ id: number; status: string }>(
				'SELECT id, status FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
				[BULK_WORKFLOW.id],
			);

		// A probe that pauses the batch at a known point: this connection holds a lock that lets the batch lock its
		// label, check the limits and INSERT its 20,000 links, but makes it wait at its first event INSERT, before
		// COMMIT. The worker is killed while its transaction is open there, with every link row written.
		const blocker = new Client({ ...stack.store });
		const watcher = new Client({ ...stack.store });
		await blocker.connect();
		await watcher.connect();
		// rows inserted into the links table, committed or not (PostgreSQL's statistics count aborted inserts too)
		const linkRowsInserted = async () =>
			Number(
				(
					await watcher.query(
						"SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'association_links'",
					)
				).rows[0].n_tup_ins,
			);
		const insertedBefore = await linkRowsInserted();
		let killed: { name: string; pid: number } | undefined;
		try {
			await blocker.query('BEGIN');
			await blocker.query('LOCK TABLE association_events IN EXCLUSIVE MODE');
			const started = Date.now();
			expect((await post(stack, 'queue-bulk-link', { n: BULK_ITEMS })).status).toBe(200);
			const waiting = await waitFor(
				'the batch to wait at its event INSERT',
				async () => {
					const { rows } = await watcher.query(
						`SELECT pid, EXTRACT(EPOCH FROM now() - xact_start)::float AS open_seconds FROM pg_stat_activity
						 WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
						   AND query ILIKE 'INSERT INTO association_events%'`,
					);
					return rows[0];
				},
				180_000,
			);
			const reachedAfter = (Date.now() - started) / 1000;
			const [execution] = (await bulkExecutions()).slice(-1);
			const worker = stack.info.workers.find((w) =>
				stack.executionsByWorker().get(w.name)?.has(String(execution.id)),
			);
			expect(worker).toBeDefined();
			process.kill(worker!.pid, 'SIGKILL');
			killed = { name: worker!.name, pid: worker!.pid };
			note(
				`SIGKILL: execution ${execution.id} on ${worker!.name} (pid ${worker!.pid}) killed ${reachedAfter.toFixed(1)} s after the call, its transaction open for ${Number(waiting.open_seconds).toFixed(1)} s (links inserted, waiting at the event INSERT)`,
			);
			await waitFor(
				'the worker to exit',
				async () => {
					try {
						process.kill(worker!.pid, 0);
						return undefined;
					} catch {
						return true;
					}
				},
				10_000,
			);
		} finally {
			await blocker.query('ROLLBACK').catch(() => undefined);
			await blocker.end();
		}
		try {
			// without its client the orphaned transaction can never COMMIT: PostgreSQL rolls it back
			await waitFor(
				'the dead worker’s transaction to end',
				async () => {
					const { rows } = await watcher.query(
						`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
						 AND pid <> pg_backend_pid() AND query ILIKE 'INSERT INTO association_events%' AND state <> 'idle'`,
					);
					return rows[0].n === 0 ? true : undefined;
				},
				30_000,
			);
			// the killed batch had written all its link rows before it was stopped: they were rolled back
			const rolledBack = await waitFor(
				'the dead backend’s statistics',
				async () => {
					const inserted = (await linkRowsInserted()) - insertedBefore;
					return inserted >= BULK_ITEMS ? inserted : undefined;
				},
				15_000,
				250,
			).catch(async () => (await linkRowsInserted()) - insertedBefore);
			// At least the batch's rows: statistics of earlier transactions (other backends) may land late.
			expect(rolledBack).toBeGreaterThanOrEqual(BULK_ITEMS);
		} finally {
			await watcher.end();
		}
		expect(killed).toBeDefined();
		const afterKill = await countLinks();
		expect(afterKill).toBe(0);
		expect(
			await rawQuery(
				stack.store,
				"SELECT id FROM association_events WHERE type = 'link.created' AND label_key = ?",
				[BULK_LABEL],
			),
		).toEqual([]);

		// the retry: the same call again, run by the surviving worker
		const retryStarted = Date.now();
		expect((await post(stack, 'queue-bulk-link', { n: BULK_ITEMS })).status).toBe(200);
		const done = await waitFor(
			'the retry to finish',
			async () => {
				const executions = await bulkExecutions();
				const last = executions.at(-1)!;
				return executions.length === 2 && !['new', 'running'].includes(last.status)
					? last
					: undefined;
			},
			240_000,
			500,
		);
		const retrySeconds = (Date.now() - retryStarted) / 1000;
		expect(done.status).toBe('success');
		const survivor = stack.info.workers.find((w) => w.name !== killed!.name)!;
		expect(stack.executionsByWorker().get(survivor.name)?.has(String(done.id))).toBe(true);
		const rows = await rawQuery<{ n: string; distinct_pairs: string }>(
			stack.store,
			`SELECT COUNT(*) AS n, COUNT(DISTINCT (l.first_record_id, l.second_record_id)) AS distinct_pairs
			 FROM association_links l JOIN association_labels b ON b.id = l.label_id WHERE b.key = ?`,
			[BULK_LABEL],
		);
		expect(rows[0]).toEqual({ n: String(BULK_ITEMS), distinct_pairs: String(BULK_ITEMS) });
		const events = await rawQuery<{ execution: string; n: string }>(
			stack.store,
			`SELECT actor::json->>'executionId' AS execution, COUNT(*) AS n FROM association_events
			 WHERE type = 'link.created' AND label_key = ? GROUP BY 1`,
			[BULK_LABEL],
		);
		expect(events).toEqual([{ execution: String(done.id), n: String(BULK_ITEMS) }]);
		const killedStatus = (await bulkExecutions())[0].status;
		note(
			`SIGKILL result: ${afterKill} of ${BULK_ITEMS} links stored after the kill (its ${BULK_ITEMS} inserted rows rolled back; the killed execution's n8n status: ${killedStatus}); the retry on ${survivor.name} stored ${BULK_ITEMS} in ${retrySeconds.toFixed(1)} s, each once`,
		);
	}, 600_000);
});
