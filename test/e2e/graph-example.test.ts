/**
 * docs/examples/07-traverse-merge-definitions.json in a REAL n8n (`n8n execute --id`), with this package
 * installed: Import Definitions, Link Records, Merge, Traverse and Export Definitions in one run; checks n8n's
 * output items and the rows of the default credential's SQLite store.
 */
import * as path from 'node:path';

import type { StoreConfig } from '../../core';
import { rawQuery } from '../support/stores';
import { DEFAULT_CREDENTIAL, eventsOf, expectSuccess, readExample } from './example-helpers';
import {
	createN8nHarness,
	E2E_PROVISION_TIMEOUT_MS,
	E2E_TEST_TIMEOUT_MS,
	type N8nHarness,
} from './n8n-harness';

const FILE = '07-traverse-merge-definitions.json';

describe('docs/examples/07 in a real n8n', () => {
	let n8n: N8nHarness;
	let store: StoreConfig;
	let id: string;

	beforeAll(async () => {
		n8n = await createN8nHarness();
		await n8n.importCredentials({
			...DEFAULT_CREDENTIAL,
			data: { storeType: 'sqlite', namespace: 'default' },
		});
		[id] = await n8n.importWorkflows([readExample(FILE)]);
		store = { type: 'sqlite', path: path.join(n8n.n8nFolder, 'associations.sqlite') };
	}, E2E_PROVISION_TIMEOUT_MS);

	afterAll(async () => await n8n?.cleanup());

	test(
		'imports the labels, merges c9 into c1, traverses contact → Owner → property → Listing → listing, exports',
		async () => {
			const result = await n8n.executeWorkflow(id);
			expectSuccess(result);
			const json = (node: string) => result.nodeItems(node).map((item) => item.json);

			expect(json('Import Definitions')).toEqual([
				{ key: 'listed_as', action: 'create', changes: [], dryRun: false },
				{ key: 'owner', action: 'create', changes: [], dryRun: false },
			]);
			expect(json('Merge Duplicate')).toEqual([
				expect.objectContaining({
					survivorId: 'c1',
					duplicateId: 'c9',
					moved: 1,
					dropped: 1,
					refused: 0,
				}),
			]);
			expect(
				json('Traverse').map((item) => [item.depth, item.objectKey, item.recordId, item.label]),
			).toEqual([
				[1, 'custom_objects.property', 'p1', 'Owned Property'],
				[1, 'custom_objects.property', 'p2', 'Owned Property'],
				[2, 'custom_objects.listing', 'l1', 'Listing'],
				[2, 'custom_objects.listing', 'l2', 'Listing'],
			]);
			const [exported] = json('Export Definitions');
			expect(exported).toMatchObject({ format: 'n8n-nodes-object-associations/label-definitions' });
			expect((exported.labels as { key: string }[]).map((label) => label.key)).toEqual([
				'listed_as',
				'owner',
			]);

			const owners = await rawQuery<{ f: string; s: string }>(
				store,
				`SELECT first_record_id AS f, second_record_id AS s FROM association_links a
           JOIN association_labels l ON l.id = a.label_id WHERE l.key = 'owner' ORDER BY f, s`,
			);
			expect(owners).toEqual([
				{ f: 'c1', s: 'p1' },
				{ f: 'c1', s: 'p2' },
			]);
			const moved = await eventsOf(store, 'link.moved');
			expect(moved.map((e) => [e.first, e.second, e.actor.nodeName])).toEqual([
				['c1', 'p2', 'Merge Duplicate'],
			]);
		},
		E2E_TEST_TIMEOUT_MS,
	);
});
