/**
 * Get Related Objects (Get Related, Count, Labels Between) answers all items of an execution with batched
 * core reads (one listMany / countMany / labelsBetweenMany per page round), not one query per item; output
 * stays paired per item, with each item's own limit, and per-item failures as before. Both dialects.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations } from '../../core';
import { Related } from '../../core/related';
import { DIALECTS, freshStore } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());
afterEach(() => jest.restoreAllMocks());

const relatedNode = (
	parameters: IDataObject,
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
) => ({
	name: 'Related',
	type: 'getRelatedObjects',
	parameters: {
		operation: 'getRelated',
		objectKey: rl('contact'),
		recordId: '={{ $json.id }}',
		...parameters,
	},
	...(onError ? { onError } : {}),
});

describe.each(DIALECTS)('batched reads on %s', (dialect) => {
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		const config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
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
		// Contact c<i> has i % 4 companies (co<i>-<k>); c7 also owns 600 pets and sits 500 (past one 1,000-record page).
		const links = [];
		for (let i = 0; i < 200; i++) {
			for (let k = 0; k < i % 4; k++)
				links.push({
					label: { key: 'employee_employer' },
					firstRecordId: `c${i}`,
					secondRecordId: `co${i}-${k}`,
				});
		}
		for (let p = 0; p < 1100; p++)
			links.push({
				label: { key: p < 600 ? 'owner' : 'sitter' },
				firstRecordId: 'c7',
				secondRecordId: `pet${p}`,
			});
		await associations.links.linkMany(links, { atomic: true });
	});

	test('200 items are answered by one listMany, each item paired with its own related records', async () => {
		const listMany = jest.spyOn(Related.prototype, 'listMany');
		const list = jest.spyOn(Related.prototype, 'list');
		const items = Array.from({ length: 200 }, (_unused, i) => ({ id: `c${(i * 37) % 200}` }));
		const output = (
			await runNode(
				credentials,
				items,
				relatedNode({ onlyLabels: { labels: [{ label: rl('employee_employer') }] } }),
			)
		).output('Related');
		expect(listMany).toHaveBeenCalledTimes(1);
		expect(list).not.toHaveBeenCalled();
		const expected = items.flatMap(({ id }, itemIndex) =>
			Array.from({ length: Number(id.slice(1)) % 4 }, (_unused, k) => ({
				itemIndex,
				company: `co${id.slice(1)}-${k}`,
			})),
		);
		expect(expected.length).toBeGreaterThan(250);
		expect(output.map((item) => item.json.recordId)).toEqual(expected.map((e) => e.company));
		expect(pairedOf(output)).toEqual(expected.map((e) => e.itemIndex));
	});

	test('each item keeps its own limit, and Return All pages past 1,000 for the items that need it', async () => {
		const listMany = jest.spyOn(Related.prototype, 'listMany');
		const perInput = await runNode(
			credentials,
			[{ id: 'c7' }, { id: 'c3' }, { id: 'c7' }, { id: 'c4' }],
			relatedNode({ returnAll: true, output: 'perInput' }),
		);
		// Round 1: all four items; round 2: the two c7 items' second page.
		expect(listMany).toHaveBeenCalledTimes(2);
		expect(listMany.mock.calls[1][0]).toHaveLength(2);
		expect(jsonOf(perInput.output('Related')).map((json) => [json.recordId, json.count])).toEqual([
			['c7', 1103],
			['c3', 3],
			['c7', 1103],
			['c4', 0],
		]);
		const first = perInput.output('Related')[0].json.related as IDataObject[];
		expect(new Set(first.map((record) => record.linkId)).size).toBe(1103);

		const limited = await runNode(
			credentials,
			[
				{ id: 'c7', limit: 5 },
				{ id: 'c3', limit: 2 },
				{ id: 'c7', limit: 1001 },
			],
			relatedNode({ limit: '={{ $json.limit }}', output: 'perInput' }),
		);
		expect(jsonOf(limited.output('Related')).map((json) => json.count)).toEqual([5, 2, 1001]);
	});

	test('a failing item fails alone with Continue On Fail, and otherwise stops the node at that item', async () => {
		const items = [{ id: 'c1' }, { id: '' }, { id: 'c2', label: 'nope' }, { id: 'c3' }];
		const parameters = {
			onlyLabels: { labels: [{ label: rl('={{ $json.label || "employee_employer" }}', 'key') }] },
		};
		const result = await runNode(
			credentials,
			items,
			relatedNode(parameters, 'continueRegularOutput'),
		);
		const output = result.output('Related');
		expect(jsonOf(output).map((json) => json.code ?? json.recordId)).toEqual([
			'co1-0',
			'PARAMETER',
			'NOT_FOUND',
			'co3-0',
			'co3-1',
			'co3-2',
		]);
		expect(pairedOf(output)).toEqual([0, 1, 2, 3, 3, 3]);

		const stopped = await runNode(credentials, items, relatedNode(parameters));
		const error = visibleError(stopped.nodeError('Related'));
		expect(error.itemIndex).toBe(1);
		expect(error.message).toBe('Record ID is empty for item 1.');
	});

	test('Count and Labels Between answer all items with one batch call each', async () => {
		const countMany = jest.spyOn(Related.prototype, 'countMany');
		const counts = await runNode(
			credentials,
			Array.from({ length: 50 }, (_unused, i) => ({ id: `c${i}` })),
			relatedNode({ operation: 'count' }),
		);
		expect(countMany).toHaveBeenCalledTimes(1);
		expect(jsonOf(counts.output('Related')).map((json) => json.count)).toEqual(
			Array.from({ length: 50 }, (_unused, i) => (i === 7 ? 1100 : 0) + (i % 4)),
		);
		expect(pairedOf(counts.output('Related'))).toEqual(Array.from({ length: 50 }, (_u, i) => i));

		const between = jest.spyOn(Related.prototype, 'labelsBetweenMany');
		const pairs = await runNode(
			credentials,
			[
				{ first: 'c3', second: 'co3-1' },
				{ first: 'c3', second: 'co9-9' },
				{ first: 'c2', second: 'co2-0' },
			],
			{
				name: 'Related',
				type: 'getRelatedObjects',
				parameters: {
					operation: 'labelsBetween',
					firstObjectKey: rl('contact'),
					firstRecordId: '={{ $json.first }}',
					secondObjectKey: rl('company'),
					secondRecordId: '={{ $json.second }}',
				},
			},
		);
		expect(between).toHaveBeenCalledTimes(1);
		expect(jsonOf(pairs.output('Related')).map((json) => json.linked)).toEqual([true, false, true]);
		expect(pairedOf(pairs.output('Related'))).toEqual([0, 1, 2]);
	});
});
