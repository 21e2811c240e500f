/**
 * The example workflows of docs/examples (01–04), imported into a REAL n8n 2.40.7 and executed headlessly
 * (`n8n execute --id`), with this package loaded as an installed community package. The credential is the one
 * `npm start` imports (id assocStoreDefault, SQLite with an empty path), so the store is
 * `<user folder>/.n8n/associations.sqlite`; every test checks n8n's output items AND the rows in that file.
 *
 * The workflows share one store and run in order: 01 labels → 02 link (twice) → seed links → 03 related → 04 clean-up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { StoreConfig } from '../../core';
import { rawQuery } from '../support/stores';
import { DEFAULT_CREDENTIAL, eventsOf, expectSuccess, PKG, readExample } from './example-helpers';
import {
	createN8nHarness,
	E2E_PROVISION_TIMEOUT_MS,
	E2E_TEST_TIMEOUT_MS,
	type ExecutionResult,
	type N8nHarness,
	REPO_DIR,
} from './n8n-harness';

const FILES = [
	'01-set-up-labels.json',
	'02-link-on-event.json',
	'03-related-objects.json',
	'04-clean-up.json',
];
const examples = Object.fromEntries(FILES.map((file) => [file, readExample(file)]));

/** Test-only: more links on property_2001 (for 03) and a spouse of contact_1001 (removed by 04). */
const SEED = {
	id: 'e2eSeedLinks0001',
	name: 'e2e seed links',
	nodes: [
		{
			id: 's1',
			name: 'Manual',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 's2',
			name: 'Links',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: {
				jsCode: `return [
  { label: 'property_owner', first: 'contact_1002', second: 'property_2001' },
  { label: 'property_buyer_seller', first: 'contact_1003', second: 'property_2001' },
  { label: 'property_owner', first: 'contact_1004', second: 'property_2001' },
  { label: 'property_owner', first: 'contact_1002', second: 'property_3001' },
  { label: 'spouse', first: 'contact_1001', second: 'contact_1005' },
].map((json) => ({ json }));`,
			},
		},
		{
			id: 's3',
			name: 'Seed',
			type: `${PKG}.linkRecords`,
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				operation: 'link',
				label: { __rl: true, mode: 'key', value: '={{ $json.label }}' },
				firstRecordId: '={{ $json.first }}',
				secondRecordId: '={{ $json.second }}',
			},
			credentials: {
				associationStoreApi: { id: DEFAULT_CREDENTIAL.id, name: DEFAULT_CREDENTIAL.name },
			},
		},
	],
	connections: {
		Manual: { main: [[{ node: 'Links', type: 'main', index: 0 }]] },
		Links: { main: [[{ node: 'Seed', type: 'main', index: 0 }]] },
	},
};

describe('docs/examples in a real n8n (SQLite store of the default credential)', () => {
	let n8n: N8nHarness;
	let store: StoreConfig;
	const ids: Record<string, string> = {};
	const json = (result: ExecutionResult, node: string) =>
		result.nodeItems(node).map((item) => item.json);

	beforeAll(async () => {
		n8n = await createN8nHarness();
		// exactly what scripts/start.sh imports: SQLite, empty path = <n8n user folder>/.n8n/associations.sqlite
		await n8n.importCredentials({
			...DEFAULT_CREDENTIAL,
			data: { storeType: 'sqlite', namespace: 'default' },
		});
		const imported = await n8n.importWorkflows([...FILES.map((file) => examples[file]), SEED]);
		FILES.forEach((file, i) => (ids[file] = imported[i]));
		store = { type: 'sqlite', path: path.join(n8n.n8nFolder, 'associations.sqlite') };
	}, E2E_PROVISION_TIMEOUT_MS);

	afterAll(async () => await n8n?.cleanup());

	test('n8n loads the package as installed from its tarball: not the repository, with its own dependencies and n8n’s sqlite3', () => {
		const installed = fs.realpathSync(n8n.packageLink!);
		expect(installed.startsWith(REPO_DIR + path.sep)).toBe(false);
		const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
		expect(manifest.devDependencies).toBeUndefined(); // n8n's installer removes them
		expect(
			fs
				.readdirSync(path.join(installed, 'node_modules'))
				.filter((name) => !name.startsWith('.'))
				.sort(),
		).toEqual(Object.keys(manifest.dependencies).sort());
		expect(fs.existsSync(path.join(installed, 'core'))).toBe(false); // sources are not shipped
	});

	test('every example has an id, a sticky note and the default credential on each package node', () => {
		for (const file of [...FILES, '05-ai-agent-tool.json']) {
			const wf = readExample(file);
			expect(wf.id).toMatch(/^[A-Za-z0-9]{16}$/);
			expect(
				wf.nodes.some(
					(node: any) =>
						node.type === 'n8n-nodes-base.stickyNote' && node.parameters.content.length > 100,
				),
			).toBe(true);
			for (const node of wf.nodes.filter((n: any) => n.type.startsWith(`${PKG}.`))) {
				expect(node.credentials).toEqual({
					associationStoreApi: { id: 'assocStoreDefault', name: 'Association Store' },
				});
			}
		}
		expect(Object.values(ids)).toEqual(FILES.map((file) => examples[file].id));
	});

	test(
		'01 creates Owner, Buyer/Seller and Spouse, recorded with the workflow and node',
		async () => {
			const result = await n8n.executeWorkflow(ids['01-set-up-labels.json']);
			expectSuccess(result);
			expect(json(result, 'Create Owner Label')).toEqual([
				expect.objectContaining({
					created: true,
					key: 'property_owner',
					kind: 'single',
					firstObjectKey: 'contact',
					secondObjectKey: 'custom_objects.property',
					firstLabel: 'Owner',
					secondLabel: 'Owner',
				}),
			]);
			expect(json(result, 'Create Buyer/Seller Label')).toEqual([
				expect.objectContaining({
					created: true,
					key: 'property_buyer_seller',
					kind: 'pair',
					firstLabel: 'Buyer',
					secondLabel: 'Seller',
				}),
			]);
			expect(json(result, 'Create Spouse Label')).toEqual([
				expect.objectContaining({
					created: true,
					key: 'spouse',
					kind: 'single',
					firstObjectKey: 'contact',
					secondObjectKey: 'contact',
					symmetric: true,
					firstLimit: 1,
					secondLimit: 1,
				}),
			]);

			const labels = await rawQuery(
				store,
				'SELECT namespace, key, first_object_key, second_object_key, first_label, second_label, first_limit, second_limit FROM association_labels ORDER BY key',
			);
			expect(labels).toEqual([
				{
					namespace: 'default',
					key: 'property_buyer_seller',
					first_object_key: 'contact',
					second_object_key: 'custom_objects.property',
					first_label: 'Buyer',
					second_label: 'Seller',
					first_limit: 1000,
					second_limit: 1000,
				},
				{
					namespace: 'default',
					key: 'property_owner',
					first_object_key: 'contact',
					second_object_key: 'custom_objects.property',
					first_label: 'Owner',
					second_label: 'Owner',
					first_limit: 1000,
					second_limit: 1000,
				},
				{
					namespace: 'default',
					key: 'spouse',
					first_object_key: 'contact',
					second_object_key: 'contact',
					first_label: 'Spouse',
					second_label: 'Spouse',
					first_limit: 1,
					second_limit: 1,
				},
			]);
			const events = await eventsOf(store, 'label.created');
			expect(events.map((e) => [e.labelKey, e.actor.workflowId, e.actor.nodeName])).toEqual([
				['property_owner', 'assocExSetupLbl1', 'Create Owner Label'],
				['property_buyer_seller', 'assocExSetupLbl1', 'Create Buyer/Seller Label'],
				['spouse', 'assocExSetupLbl1', 'Create Spouse Label'],
			]);
			expect(events[0].actor.executionId).toMatch(/^\d+$/);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'02 links contact_1001 as Buyer of property_2001; running it again reports already_linked and stores nothing new',
		async () => {
			const first = await n8n.executeWorkflow(ids['02-link-on-event.json']);
			expectSuccess(first);
			expect(first.lastNode).toBe('Link Buyer to Property');
			expect(first.json).toEqual([
				expect.objectContaining({
					status: 'created',
					created: true,
					labelKey: 'property_buyer_seller',
					firstObjectKey: 'contact',
					firstRecordId: 'contact_1001',
					secondObjectKey: 'custom_objects.property',
					secondRecordId: 'property_2001',
				}),
			]);
			// the webhook branch did not run: headless execute starts at the Manual Trigger
			expect(first.nodeItems('Webhook')).toEqual([]);

			const second = await n8n.executeWorkflow(ids['02-link-on-event.json']);
			expectSuccess(second);
			expect(second.json).toEqual([
				expect.objectContaining({
					status: 'already_linked',
					created: false,
					linkId: first.json[0].linkId,
				}),
			]);

			const links = await rawQuery(
				store,
				'SELECT b.key, l.first_record_id, l.second_record_id FROM association_links l JOIN association_labels b ON b.id = l.label_id',
			);
			expect(links).toEqual([
				{
					key: 'property_buyer_seller',
					first_record_id: 'contact_1001',
					second_record_id: 'property_2001',
				},
			]);
			const events = await eventsOf(store, 'link.created');
			expect(events).toEqual([
				{
					labelKey: 'property_buyer_seller',
					first: 'contact_1001',
					second: 'property_2001',
					actor: expect.objectContaining({
						workflowId: 'assocExLinkEvnt2',
						nodeName: 'Link Buyer to Property',
					}),
				},
			]);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'03 lists the contacts of property_2001 grouped by label',
		async () => {
			const seeded = await n8n.executeWorkflow(SEED.id);
			expectSuccess(seeded);
			expect(seeded.json.map((j) => j.status)).toEqual([
				'created',
				'created',
				'created',
				'created',
				'created',
			]);

			const result = await n8n.executeWorkflow(ids['03-related-objects.json']);
			expectSuccess(result);
			// No Code node: Get Related Objects groups by itself ("Grouped by Label").
			expect(result.lastNode).toBe('Get Related Contacts');
			expect(result.json).toHaveLength(1);
			const [view] = result.json;
			expect(view).toMatchObject({
				objectKey: 'custom_objects.property',
				recordId: 'property_2001',
				count: 4,
			});
			const groups = (view.groups as Array<Record<string, unknown>>).map((group) => ({
				...group,
				records: (group.records as Array<{ recordId: string }>)
					.map((record) => record.recordId)
					.sort(),
			}));
			expect(groups).toEqual([
				expect.objectContaining({
					objectKey: 'contact',
					label: 'Buyer / Seller',
					labelKey: 'property_buyer_seller',
					relatedRecordRole: 'Buyer',
					queriedRecordRole: 'Seller',
					count: 2,
					records: ['contact_1001', 'contact_1003'],
				}),
				expect.objectContaining({
					objectKey: 'contact',
					label: 'Owner',
					labelKey: 'property_owner',
					relatedRecordRole: 'Owner',
					count: 2,
					records: ['contact_1002', 'contact_1004'],
				}),
			]);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'04 removes every link of the deleted contact, then deletes the now unused Spouse label',
		async () => {
			const result = await n8n.executeWorkflow(ids['04-clean-up.json']);
			expectSuccess(result);
			const [unlinked] = json(result, 'Unlink All Links of Record');
			expect(unlinked).toEqual(
				expect.objectContaining({ objectKey: 'contact', recordId: 'contact_1001', deleted: 2 }),
			);
			expect(
				(unlinked.links as Array<Record<string, unknown>>).map((l) => l.labelKey).sort(),
			).toEqual(['property_buyer_seller', 'spouse']);
			expect(json(result, 'Delete Unused Label')).toEqual([
				expect.objectContaining({
					deleted: true,
					key: 'spouse',
					message: 'Label "spouse" deleted.',
				}),
			]);

			const labels = await rawQuery<{ key: string }>(
				store,
				'SELECT key FROM association_labels ORDER BY key',
			);
			expect(labels.map((l) => l.key)).toEqual(['property_buyer_seller', 'property_owner']);
			const links = await rawQuery<{ first_record_id: string; second_record_id: string }>(
				store,
				'SELECT first_record_id, second_record_id FROM association_links ORDER BY first_record_id, second_record_id',
			);
			expect(links.map((l) => `${l.first_record_id}-${l.second_record_id}`)).toEqual([
				'contact_1002-property_2001',
				'contact_1002-property_3001',
				'contact_1003-property_2001',
				'contact_1004-property_2001',
			]);
			const removed = await eventsOf(store, 'link.deleted');
			expect(
				removed
					.map((e) => [e.labelKey, e.first, e.second, e.actor.workflowId, e.actor.nodeName])
					.sort(),
			).toEqual([
				[
					'property_buyer_seller',
					'contact_1001',
					'property_2001',
					'assocExCleanUp04',
					'Unlink All Links of Record',
				],
				[
					'spouse',
					'contact_1001',
					'contact_1005',
					'assocExCleanUp04',
					'Unlink All Links of Record',
				],
			]);
			const deleted = await eventsOf(store, 'label.deleted');
			expect(deleted.map((e) => [e.labelKey, e.actor.workflowId, e.actor.nodeName])).toEqual([
				['spouse', 'assocExCleanUp04', 'Delete Unused Label'],
			]);
		},
		E2E_TEST_TIMEOUT_MS,
	);
});
