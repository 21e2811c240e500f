/**
 * Upgrade safety: a store written by each released version (test/fixtures/upgrade/<version>/, see make.ts)
 * opens with the current code on SQLite and PostgreSQL — pending migrations run — and every label, link and
 * event is still stored unchanged and reads back through the nodes and the core, also when two processes open
 * the old store at the same moment. Every schema change adds a migration and must keep this test passing.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { createDataSource } from '../../core/store/data-source';
import { migrations } from '../../core/store/migrations';
import { jsonOf } from '../nodes/helpers/assertions';
import { credentialFor, rl, runNode } from '../nodes/helpers/engine';
import { DIALECTS, rawQuery } from '../support/stores';
import { fixtureVersions, openFixtureCopy, readManifest } from './fixture-stores';
import { columnsOf, project, readRows, summarize, type StoreRows } from './store-rows';
import {
	expectedView,
	labelView,
	recordKey,
	recordsOf,
	relatedKey,
	viewThroughCore,
	type LabelView,
	type NamespaceView,
	type StoreView,
} from './views';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const CURRENT_MIGRATIONS = migrations.map((Migration) => new Migration().name);

afterAll(() => closeAllStores());

/** Labels and related records of one namespace, read with Create Association and Get Related Objects. */
async function viewThroughNodes(config: StoreConfig, name: string, expected: NamespaceView) {
	const credentials = { associationStoreApi: credentialFor(config, name) };
	const labels = await runNode(credentials, [{}], {
		name: 'Labels',
		type: 'createAssociation',
		parameters: { operation: 'getMany', objectKey: rl(''), returnAll: true },
	});
	const records = recordsOf(expected);
	const related = await runNode(credentials, records as never[], {
		name: 'Related',
		type: 'getRelatedObjects',
		parameters: {
			operation: 'getRelated',
			objectKey: rl('={{ $json.objectKey }}', 'key'),
			recordId: '={{ $json.recordId }}',
			returnAll: true,
			output: 'perInput',
		},
	});
	const byRecord = jsonOf(related.output('Related')).map((json) => [
		recordKey(json as never),
		(json.related as Array<{ labelKey: string; linkId: string }>)
			.map((item) => relatedKey(item.labelKey, item as never, item.linkId))
			.sort(),
	]);
	return {
		labels: (jsonOf(labels.output('Labels')) as unknown as LabelView[])
			.map(labelView)
			.sort((a, b) => a.key.localeCompare(b.key)),
		related: Object.fromEntries(byRecord),
	};
}

/** Two processes open the same old store at once (each may run the migrations) and read all of it. */
async function readFromTwoProcesses(
	config: StoreConfig,
	expected: StoreView,
): Promise<StoreView[]> {
	const worker = () =>
		run(
			process.execPath,
			['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'workers/read-worker.ts')],
			{
				env: {
					...process.env,
					WORKER_STORE: JSON.stringify(config),
					WORKER_EXPECTED: JSON.stringify(expected),
					TS_NODE_PROJECT: 'tsconfig.test.json',
				},
				cwd: ROOT,
				maxBuffer: 10 * 1024 * 1024,
			},
		);
	const outputs = await Promise.all([worker(), worker()]);
	return outputs.map((output) => JSON.parse(output.stdout) as StoreView);
}

describe.each(fixtureVersions())('a store written by %s', (version) => {
	const manifest = readManifest(version);

	describe.each(DIALECTS)('on %s', (dialect) => {
		let config: StoreConfig;
		let before: StoreRows;
		let expected: StoreView;

		beforeAll(async () => {
			config = await openFixtureCopy(version, dialect);
			before = await readRows(config); // raw SQL: the current code has not touched the store yet
			expected = expectedView(before);
		});

		it('holds what its manifest says: several namespaces, labels and links at their limits, every event type', () => {
			expect({ version, ...summarize(before) }).toEqual(manifest);
			expect(Object.keys(expected).length).toBeGreaterThanOrEqual(3);
			expect(before.association_links.length).toBeGreaterThan(10);
		});

		it('opens with the current code: pending migrations run, labels, related records and events read back unchanged', async () => {
			const view = await viewThroughCore(config, expected);
			expect(view).toEqual(expected);
			const applied = await rawQuery<{ name: string }>(
				config,
				'SELECT name FROM migrations ORDER BY id',
			);
			expect(applied.map((row) => row.name)).toEqual(CURRENT_MIGRATIONS);
			// no row lost, none rewritten: every column the old version wrote still holds its value
			expect(project(await readRows(config), columnsOf(before))).toEqual(before);
		});

		it('reads back through the nodes: every label with Create Association, every record’s links with Get Related Objects', async () => {
			for (const [name, namespace] of Object.entries(expected)) {
				const read = await viewThroughNodes(config, name, namespace);
				expect(read.labels).toEqual(namespace.labels);
				expect(read.related).toEqual(namespace.related);
			}
		});

		it('keeps working after the upgrade: a new link and its event get ids after the old ones', async () => {
			const core = await openAssociations(config, 'default');
			const [result] = await core.links.linkMany([
				{
					label: { key: 'property_owner' },
					firstRecordId: 'contact_new',
					secondRecordId: 'property_new',
				},
			]);
			expect(result).toMatchObject({ status: 'created' });
			const maxId = (rows: StoreRows['association_links']) =>
				Math.max(...rows.map((row) => Number(row.id)));
			const after = await readRows(config);
			expect(maxId(after.association_links)).toBe(maxId(before.association_links) + 1);
			expect(maxId(after.association_events)).toBe(maxId(before.association_events) + 1);
		});

		it('undoing the migrations added since then gives back the old rows exactly', async () => {
			const copy = await openFixtureCopy(version, dialect);
			const old = await rawQuery<{ name: string }>(copy, 'SELECT name FROM migrations');
			await openAssociations(copy, 'default'); // migrates
			await closeAllStores();
			const dataSource = createDataSource(copy);
			await dataSource.initialize();
			try {
				for (let n = CURRENT_MIGRATIONS.length - old.length; n > 0; n--)
					await dataSource.undoLastMigration({ transaction: 'all' });
			} finally {
				await dataSource.destroy();
			}
			expect(await readRows(copy)).toEqual(before);
		});

		it('opened by two processes at the same moment, both read every row and nothing changes', async () => {
			const copy = await openFixtureCopy(version, dialect); // not migrated yet: both processes race for it
			const views = await readFromTwoProcesses(copy, expected);
			expect(views).toEqual([expected, expected]);
			expect(project(await readRows(copy), columnsOf(before))).toEqual(before);
			const applied = await rawQuery<{ name: string }>(
				copy,
				'SELECT name FROM migrations ORDER BY id',
			);
			expect(applied.map((row) => row.name)).toEqual(CURRENT_MIGRATIONS);
		});
	});
});

test('the released version in package.json has a fixture (make.ts writes it at each release)', () => {
	const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	expect(fixtureVersions()).toContain(version);
});

test('every migration has a down() that undoes it', () => {
	for (const Migration of migrations) expect(typeof new Migration().down).toBe('function');
});
