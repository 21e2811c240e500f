/** Link Records → Merge through n8n's engine: one transaction for all items, atomic unless Continue On Fail. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('Merge on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeEach(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Owner',
			firstLimit: 2,
		});
		await associations.links.linkMany(
			[
				{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p2' },
				{ label: { key: 'owner' }, firstRecordId: 'D', secondRecordId: 'p3' },
				{ label: { key: 'owner' }, firstRecordId: 'D', secondRecordId: 'p4' },
			],
			{ atomic: true },
		);
	});

	const stored = async () =>
		(
			await rawQuery<{ f: string; s: string }>(
				config,
				'SELECT first_record_id AS f, second_record_id AS s FROM association_links',
			)
		)
			.map((row) => `${row.f}-${row.s}`)
			.sort();

	const merge = (items: IDataObject[], onError?: 'continueRegularOutput') =>
		runNode(credentials, items, {
			name: 'Merge',
			type: 'linkRecords',
			parameters: {
				operation: 'merge',
				objectKey: rl('contact'),
				survivorId: '={{ $json.keep }}',
				duplicateId: '={{ $json.drop }}',
			},
			...(onError ? { onError } : {}),
		});

	test('moves the duplicate’s links, drops the one the survivor has, one output item per merge', async () => {
		const output = (await merge([{ keep: 'A', drop: 'B' }])).output('Merge');
		expect(jsonOf(output)).toMatchObject([
			{
				survivorId: 'A',
				duplicateId: 'B',
				moved: 1,
				dropped: 1,
				refused: 0,
				movedLinks: [{ labelKey: 'owner', firstRecordId: 'A', secondRecordId: 'p2' }],
				droppedLinks: [{ firstRecordId: 'B', secondRecordId: 'p1' }],
			},
		]);
		expect(await stored()).toEqual(['A-p1', 'A-p2', 'D-p3', 'D-p4']);
	});

	test('without Continue On Fail a merge past the limit stops the node, naming its item, and nothing is merged', async () => {
		const run = await merge([
			{ keep: 'A', drop: 'B' },
			{ keep: 'C', drop: 'X' },
			{ keep: 'A', drop: 'D' },
		]);
		const error = visibleError(run.nodeError('Merge'));
		expect(error.message).toMatch(/would give "A" more than 2 links through label "owner"/);
		expect(error.itemIndex).toBe(2);
		expect(await stored()).toEqual(['A-p1', 'B-p1', 'B-p2', 'D-p3', 'D-p4']);
	});

	test('with Continue On Fail the links beyond the limit stay on the duplicate and are listed', async () => {
		const output = (
			await merge(
				[
					{ keep: 'A', drop: 'B' },
					{ keep: 'A', drop: 'D' },
				],
				'continueRegularOutput',
			)
		).output('Merge');
		expect(pairedOf(output)).toEqual([0, 1]);
		expect(output[1].json).toMatchObject({ moved: 0, refused: 2 });
		expect((output[1].json.refusedLinks as IDataObject[]).map((link) => link.code)).toEqual([
			'RECORD_LIMIT',
			'RECORD_LIMIT',
		]);
		expect(await stored()).toEqual(['A-p1', 'A-p2', 'D-p3', 'D-p4']);
	});
});
