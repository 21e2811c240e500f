/** Get Related Objects follows the core's nextCursor past the 1,000-per-page cap ("Return All"), or stops at the limit. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { closeAllStores, openAssociations } from '../../core';
import { DIALECTS, freshStore } from '../support/stores';
import { pairedOf } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('paging on %s', (dialect) => {
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		const config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Owner',
		});
		await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Sitter',
		});
		// 1,300 related records for contact c1: 700 pets it owns, 600 it sits (each label allows 1,000 per record).
		await associations.links.linkMany(
			[
				...Array.from({ length: 700 }, (_unused, i) => ({
					label: { key: 'owner' },
					firstRecordId: 'c1',
					secondRecordId: `p${i}`,
				})),
				...Array.from({ length: 600 }, (_unused, i) => ({
					label: { key: 'sitter' },
					firstRecordId: 'c1',
					secondRecordId: `s${i}`,
				})),
			],
			{ atomic: true },
		);
	});

	const related = (parameters: Record<string, unknown>) =>
		runNode(credentials, [{ id: 'c1' }], {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: rl('contact'),
				recordId: '={{ $json.id }}',
				...parameters,
			},
		});

	test('Return All reads every page', async () => {
		const output = (await related({ returnAll: true })).output('Related');
		expect(output).toHaveLength(1300);
		expect(new Set(output.map((item) => item.json.recordId)).size).toBe(1300);
		expect(new Set(pairedOf(output))).toEqual(new Set([0]));
	});

	test('a limit above one page stops at the limit', async () => {
		const output = (await related({ returnAll: false, limit: 1100 })).output('Related');
		expect(output).toHaveLength(1100);
		expect(new Set(output.map((item) => item.json.recordId)).size).toBe(1100);
	});

	test('per input record: one item with all 1,300 in "related"', async () => {
		const [item] = (await related({ returnAll: true, output: 'perInput' })).output('Related');
		expect(item.json.count).toBe(1300);
		expect(item.json.related).toHaveLength(1300);
	});
});
