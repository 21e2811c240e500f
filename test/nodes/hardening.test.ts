/**
 * Issue 9 (hardening) where a user meets it: record ids with NUL or half an emoji coming out of an
 * expression, odd display names, and "Owner" created for two object pairs without a key. Run through
 * n8n's WorkflowExecute on both dialects.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

const linkNode = (
	parameters: IDataObject = {},
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
) => ({
	name: 'Link',
	type: 'linkRecords',
	parameters: {
		operation: 'link',
		label: rl('owner', 'key'),
		firstRecordId: '={{ $json.contact }}',
		secondRecordId: '={{ $json.company }}',
		...parameters,
	},
	...(onError ? { onError } : {}),
});

const createNode = (onError?: 'continueRegularOutput') => ({
	name: 'Create',
	type: 'createAssociation',
	parameters: {
		operation: 'create',
		firstObjectKey: rl('={{ $json.first }}', 'key'),
		secondObjectKey: rl('={{ $json.second }}', 'key'),
		labelType: 'single',
		labelName: '={{ $json.name }}',
	},
	...(onError ? { onError } : {}),
});

describe.each(DIALECTS)('hardening through the nodes on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	const count = async (table: string) =>
		Number((await rawQuery<{ n: unknown }>(config, `SELECT COUNT(*) AS n FROM ${table}`))[0].n);

	beforeAll(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
	});

	test('Link Records: a record ID with NUL stops the node at its item, naming the field; nothing is written', async () => {
		const before = [await count('association_links'), await count('association_events')];
		const items = [
			{ contact: 'n1', company: 'co1' },
			{ contact: 'a\u0000b', company: 'co1' },
		];
		const stopped = await runNode(credentials, items, linkNode());
		const error = visibleError(stopped.nodeError('Link'));
		expect(error.itemIndex).toBe(1);
		expect(error.message).toMatch(
			/^Item 1: Invalid link: firstRecordId must not contain the NUL character \(U\+0000/,
		);
		expect(error.description).toContain('Fix the value named in the message');
		expect([await count('association_links'), await count('association_events')]).toEqual(before);

		// With Continue On Fail the other item is linked and the bad one says why.
		const continued = await runNode(credentials, items, linkNode({}, 'continueRegularOutput'));
		const output = continued.output('Link');
		expect(output[0].json).toEqual(
			expect.objectContaining({ status: 'created', firstRecordId: 'n1' }),
		);
		expect(output[1].json).toEqual({
			labelKey: 'owner',
			error: expect.stringMatching(/^Item 1: Invalid link: firstRecordId must not contain the NUL/),
			code: 'VALIDATION',
		});
		expect(pairedOf(output)).toEqual([0, 1]);
		// The real "a" is not "already linked" to anything.
		const real = await runNode(credentials, [{ contact: 'a', company: 'co1' }], linkNode());
		expect(real.output('Link')[0].json).toEqual(expect.objectContaining({ status: 'created' }));
	});

	test('Link Records: half an emoji in a record ID is refused, not stored changed', async () => {
		const half = '😀'.slice(0, 1);
		const result = await runNode(
			credentials,
			[{ contact: 'h1', company: `co${half}` }],
			linkNode({}, 'continueRegularOutput'),
		);
		expect(result.output('Link')[0].json).toEqual({
			labelKey: 'owner',
			error: expect.stringMatching(
				/^Item 0: Invalid link: secondRecordId must be well-formed Unicode text: it contains half of a surrogate pair/,
			),
			code: 'VALIDATION',
		});
		expect(
			await rawQuery(config, "SELECT id FROM association_links WHERE first_record_id = 'h1'"),
		).toEqual([]);
	});

	test('Get Related Objects: a record ID with NUL is a validation error, not a store failure', async () => {
		const result = await runNode(credentials, [{ id: 'c\u0000' }], {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: rl('contact', 'key'),
				recordId: '={{ $json.id }}',
				returnAll: true,
			},
			onError: 'continueRegularOutput',
		});
		expect(result.output('Related')[0].json).toEqual(
			expect.objectContaining({
				error: expect.stringMatching(/recordId must not contain the NUL character/),
				code: 'VALIDATION',
			}),
		);
	});

	test('Create Association: "Owner" for two object pairs gets two readable keys; re-running changes nothing', async () => {
		const items = [
			{ first: 'contact', second: 'opportunity', name: 'Owner' },
			{ first: 'contact', second: 'custom_objects.pets', name: 'Owner' },
			{ first: 'contact', second: 'custom_objects.pets', name: '🐶' },
		];
		const first = await runNode(credentials, items, createNode());
		// "owner" is the contact ↔ company label made in beforeAll.
		expect(jsonOf(first.output('Create')).map((json) => [json.created, json.key])).toEqual([
			[true, 'owner_contact_opportunity'],
			[true, 'owner_contact_pets'],
			[true, 'contact_pets'],
		]);
		const again = await runNode(credentials, items, createNode());
		expect(jsonOf(again.output('Create')).map((json) => [json.created, json.key])).toEqual([
			[false, 'owner_contact_opportunity'],
			[false, 'owner_contact_pets'],
			[false, 'contact_pets'],
		]);
		expect(pairedOf(again.output('Create'))).toEqual([0, 1, 2]);
	});

	test('Create Association: a name with a line break or half an emoji fails at its item', async () => {
		const result = await runNode(
			credentials,
			[
				{ first: 'contact', second: 'company', name: 'Line\nbreak' },
				{ first: 'contact', second: 'company', name: `Dog ${'🐶'.slice(1)}` },
			],
			createNode('continueRegularOutput'),
		);
		expect(jsonOf(result.output('Create'))).toEqual([
			{
				error: expect.stringMatching(
					/^Item 0: Invalid label definition: firstLabel must not contain control characters \(found U\+000A/,
				),
				code: 'VALIDATION',
			},
			{
				error: expect.stringMatching(/firstLabel must be well-formed Unicode text/),
				code: 'VALIDATION',
			},
		]);
	});
});
