/** Get Related Objects → Traverse through n8n's engine: per item or all items together, limits, and bad steps. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations } from '../../core';
import { DIALECTS, freshStore } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

const PROPERTY = 'custom_objects.property';
const LISTING = 'custom_objects.listing';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('Traverse on %s', (dialect) => {
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		const config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.createMany(
			[
				{
					key: 'owner',
					firstObjectKey: 'contact',
					secondObjectKey: PROPERTY,
					firstLabel: 'Owner',
					secondLabel: 'Owned Property',
				},
				{
					key: 'listed_as',
					firstObjectKey: LISTING,
					secondObjectKey: PROPERTY,
					firstLabel: 'Listing',
					secondLabel: 'Listed Property',
				},
			],
			{ atomic: true },
		);
		await associations.links.linkMany(
			[
				{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p2' },
				{ label: { key: 'listed_as' }, firstRecordId: 'l1', secondRecordId: 'p1' },
				{ label: { key: 'listed_as' }, firstRecordId: 'l2', secondRecordId: 'p2' },
			],
			{ atomic: true },
		);
	});

	const traverse = (
		items: IDataObject[],
		parameters: Record<string, unknown>,
		onError?: 'continueRegularOutput',
	) =>
		runNode(credentials, items, {
			name: 'Traverse',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'traverse',
				objectKey: rl('contact'),
				recordId: '={{ $json.id }}',
				steps: {
					step: [
						{ label: rl('owner') },
						{ label: rl('listed_as', 'key'), objectKey: rl(LISTING, 'key') },
					],
				},
				returnAll: true,
				...parameters,
			},
			...(onError ? { onError } : {}),
		});

	test('each input item: its reached records with depth, role, start and path, paired with it', async () => {
		const output = (await traverse([{ id: 'c1' }, { id: 'c2' }], {})).output('Traverse');
		expect(
			jsonOf(output).map((json) => [json.fromRecordId, json.depth, json.recordId, json.label]),
		).toEqual([
			['c1', 1, 'p1', 'Owned Property'],
			['c1', 2, 'l1', 'Listing'],
			['c2', 1, 'p1', 'Owned Property'],
			['c2', 1, 'p2', 'Owned Property'],
			['c2', 2, 'l1', 'Listing'],
			['c2', 2, 'l2', 'Listing'],
		]);
		expect(pairedOf(output)).toEqual([0, 0, 1, 1, 1, 1]);
		expect(output[1].json).toMatchObject({
			objectKey: LISTING,
			labelKey: 'listed_as',
			fromObjectKey: 'contact',
			path: [
				{ labelKey: 'owner', label: 'Owned Property', objectKey: PROPERTY, recordId: 'p1' },
				{ labelKey: 'listed_as', label: 'Listing', objectKey: LISTING, recordId: 'l1' },
			],
		});
	});

	test('all input items together: a record two starts reach appears once, paired with the first', async () => {
		const output = (await traverse([{ id: 'c1' }, { id: 'c2' }], { startFrom: 'allItems' })).output(
			'Traverse',
		);
		expect(jsonOf(output).map((json) => [json.fromRecordId, json.recordId])).toEqual([
			['c1', 'p1'],
			['c2', 'p2'],
			['c1', 'l1'],
			['c2', 'l2'],
		]);
		expect(pairedOf(output)).toEqual([0, 1, 0, 1]);
	});

	test('a limit stops at that many records, nearest first', async () => {
		const output = (await traverse([{ id: 'c2' }], { returnAll: false, limit: 3 })).output(
			'Traverse',
		);
		expect(jsonOf(output).map((json) => json.recordId)).toEqual(['p1', 'p2', 'l1']);
	});

	test('a step that cannot continue stops the node with the step named, or becomes an error item', async () => {
		const badSteps = { steps: { step: [{ label: rl('listed_as', 'key') }] } };
		const failed = await traverse([{ id: 'c1' }], badSteps);
		expect(visibleError(failed.nodeError('Traverse')).message).toMatch(
			/steps\[0\]\.label \(key "listed_as"\) links custom_objects\.listing and custom_objects\.property, but this step starts from contact/,
		);
		const continued = (
			await traverse([{ id: 'c1' }, { id: 'c2' }], badSteps, 'continueRegularOutput')
		).output('Traverse');
		expect(continued).toHaveLength(2);
		expect(String(continued[1].json.error)).toMatch(/steps\[0\]\.label/);
	});
});
