/** Get Related Objects → Get History, through n8n's engine: a record's, a label's, the namespace's events. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { resetPruneSchedule } from '../../nodes/shared/retention';
import { freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

const PROPERTY = 'custom_objects.property';

describe('Get Related Objects: Get History', () => {
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	let config: StoreConfig;

	beforeAll(async () => {
		config = await freshStore('sqlite');
		credentials = { associationStoreApi: credentialFor(config) };
		const core = await openAssociations(config, 'default', {
			workflowId: 'wf-9',
			nodeName: 'Seed',
		});
		await core.labels.create({
			key: 'buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Property bought',
		});
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		});
		await core.links.linkMany([
			{ label: { key: 'buyer_seller' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'buyer_seller' }, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: { key: 'spouse' }, firstRecordId: 'c1', secondRecordId: 'c2' },
		]);
		await core.links.unlink({
			label: { key: 'buyer_seller' },
			firstRecordId: 'c1',
			secondRecordId: 'p1',
		});
	});

	const history = (items: IDataObject[], parameters: IDataObject) =>
		runNode(credentials, items, {
			name: 'History',
			type: 'getRelatedObjects',
			parameters: { operation: 'history', ...parameters },
		});
	const summary = (json: IDataObject) =>
		`${json.type} ${json.labelKey} ${json.firstRecordId ?? ''}-${json.secondRecordId ?? ''}`;

	test('of a record, per input item, newest first, paired with the item', async () => {
		const result = await history([{ id: 'c1' }, { id: 'p1' }], {
			historyOf: 'record',
			objectKey: rl(
				'={{ $json.id.startsWith("c") ? "contact" : "custom_objects.property" }}',
				'key',
			),
			recordId: '={{ $json.id }}',
			returnAll: true,
		});
		const items = result.output('History');
		expect(jsonOf(items).map(summary)).toEqual([
			'link.deleted buyer_seller c1-p1',
			'link.created spouse c1-c2',
			'link.created buyer_seller c1-p1',
			'link.deleted buyer_seller c1-p1',
			'link.created buyer_seller c2-p1',
			'link.created buyer_seller c1-p1',
		]);
		expect(pairedOf(items)).toEqual([0, 0, 0, 1, 1, 1]);
		expect(items[0].json).toMatchObject({
			firstLabel: 'Buyer',
			secondLabel: 'Property bought',
			actor: { workflowId: 'wf-9', executionId: null, nodeName: 'Seed' },
		});
	});

	test('of a label, oldest first, only some event types, with a limit', async () => {
		const result = await history([{}], {
			historyOf: 'label',
			label: rl('buyer_seller'),
			events: ['label.created', 'link.created'],
			order: 'oldest',
			returnAll: false,
			limit: 2,
		});
		expect(jsonOf(result.output('History')).map(summary)).toEqual([
			'label.created buyer_seller -',
			'link.created buyer_seller c1-p1',
		]);
	});

	test('of the namespace, only events involving an object', async () => {
		const result = await history([{}], {
			historyOf: 'namespace',
			events: ['label.created'],
			returnAll: true,
			options: { involvingObject: rl(PROPERTY) },
		});
		expect(jsonOf(result.output('History')).map(summary)).toEqual(['label.created buyer_seller -']);
	});

	test('bad input names the item and the fix', async () => {
		// n8n itself refuses an empty Events choice in the editor; an expression can still yield none
		const empty = await history([{ kinds: ['link.created'] }, { kinds: [] }], {
			historyOf: 'namespace',
			events: '={{ $json.kinds }}',
		});
		expect(visibleError(empty.nodeError('History'))).toMatchObject({
			itemIndex: 1,
			message: expect.stringContaining('Events is empty: choose at least one of Link Created'),
			description: 'Pick the kinds of change to list in "Events".',
		});
		const noRecord = await history([{ id: 'c1' }, {}], {
			historyOf: 'record',
			objectKey: rl('contact', 'key'),
			recordId: '={{ $json.id }}',
		});
		expect(visibleError(noRecord.nodeError('History'))).toMatchObject({
			itemIndex: 1,
			message: 'Record ID is empty for item 1.',
		});
	});

	test('retention on the credential: a node run prunes old events, at most once per 10 minutes', async () => {
		const keep7 = {
			associationStoreApi: {
				...credentials.associationStoreApi,
				eventRetention: 'days',
				eventRetentionDays: 7,
			},
		};
		const age = (type: string) =>
			rawQuery(config, 'UPDATE association_events SET created_at = ? WHERE type = ?', [
				new Date(Date.now() - 10 * 86_400_000).toISOString(),
				type,
			]);
		const stored = async () =>
			(
				await rawQuery<{ type: string }>(
					config,
					'SELECT type FROM association_events ORDER BY position',
				)
			).map((row) => row.type);
		const run = () =>
			runNode(keep7, [{}], {
				name: 'History',
				type: 'getRelatedObjects',
				parameters: { operation: 'history', historyOf: 'namespace', returnAll: true },
			});
		await age('label.created');
		resetPruneSchedule();
		expect(jsonOf((await run()).output('History'))).toHaveLength(6); // read first, pruned after
		expect(await stored()).toEqual([
			'link.created',
			'link.created',
			'link.created',
			'link.deleted',
		]);
		await age('link.deleted');
		await run(); // within 10 minutes of the last pruning: nothing is deleted
		expect(await stored()).toEqual([
			'link.created',
			'link.created',
			'link.created',
			'link.deleted',
		]);
	});
});
