/**
 * Issue 16 through the nodes: Create label's preview (Preview Only saves nothing), the duplicate-names
 * guard and its option, and Get Many labels with usage and "Unused Only". SQLite and PostgreSQL.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('label administration through the nodes on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	const run = (items: IDataObject[], node: Parameters<typeof runNode>[2]) =>
		runNode(credentials, items, node);
	const labelCount = async () =>
		Number((await rawQuery(config, 'SELECT COUNT(*) AS n FROM association_labels'))[0].n);

	beforeEach(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
	});

	const buyerSeller = (parameters: IDataObject = {}) => ({
		name: 'Create',
		type: 'createAssociation',
		parameters: {
			operation: 'create',
			firstObjectKey: rl('contact', 'key'),
			secondObjectKey: rl('custom_objects.property', 'key'),
			labelType: 'pair',
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			...parameters,
		},
	});

	test('Preview Only shows how the label reads from each side and saves nothing; then it is created', async () => {
		const preview = await run([{}], buyerSeller({ previewOnly: true }));
		expect(jsonOf(preview.output('Create'))).toEqual([
			expect.objectContaining({
				saved: false,
				created: true,
				key: 'buyer_seller',
				preview: {
					fromFirst: 'On a contact, a linked property record appears as "Seller".',
					fromSecond: 'On a property record, a linked contact appears as "Buyer".',
					limits:
						'A contact links to at most 1,000 property records through this label; a property record to at most 1,000 contacts.',
					text: expect.stringContaining(
						'On a contact, a linked property record appears as "Seller".',
					),
				},
			}),
		]);
		expect(await labelCount()).toBe(0);

		const created = await run([{}], buyerSeller());
		expect(jsonOf(created.output('Create'))).toEqual([
			expect.objectContaining({ saved: true, created: true, key: 'buyer_seller' }),
		]);
		expect(await labelCount()).toBe(1);
	});

	test('a label with the same names on the same objects is refused, naming the existing one; the option allows it', async () => {
		await run([{}], buyerSeller());
		const duplicate = await run([{}], buyerSeller({ options: { key: 'buyer_seller_two' } }));
		const error = visibleError(duplicate.nodeError('Create'));
		expect(error.message).toMatch(
			/^Item 0: Label "buyer_seller" \(contact "Buyer" ↔ custom_objects\.property "Seller"\) already has these names/,
		);
		expect(await labelCount()).toBe(1);

		const allowed = await run(
			[{}],
			buyerSeller({ options: { key: 'buyer_seller_two', allowDuplicateNames: true } }),
		);
		expect(jsonOf(allowed.output('Create'))).toEqual([
			expect.objectContaining({ created: true, key: 'buyer_seller_two' }),
		]);
		expect(await labelCount()).toBe(2);
	});

	test('Get Many lists each label with its usage; Unused Only lists the ones that can be deleted', async () => {
		const core = await openAssociations(config, 'default');
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
			firstLimit: 2,
		});
		await core.labels.create({
			key: 'partner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Partner',
		});
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'acme' },
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'globex' },
		]);
		const getMany = (options: { unusedOnly?: boolean } = {}) => ({
			name: 'Labels',
			type: 'createAssociation',
			parameters: { operation: 'getMany', returnAll: true, options },
		});
		const all = jsonOf((await run([{}], getMany())).output('Labels'));
		expect(all.map((label) => [label.key, label.usage])).toEqual([
			[
				'owner',
				{
					links: 2,
					unused: false,
					busiestFirstSide: { recordId: 'c1', links: 2, limit: 2, shareOfLimit: 1 },
					busiestSecondSide: { recordId: 'acme', links: 1, limit: 1000, shareOfLimit: 0.001 },
					lastLinkedAt: expect.any(String),
				},
			],
			[
				'partner',
				{
					links: 0,
					unused: true,
					busiestFirstSide: null,
					busiestSecondSide: null,
					lastLinkedAt: null,
				},
			],
		]);
		const unused = jsonOf((await run([{}], getMany({ unusedOnly: true }))).output('Labels'));
		expect(unused.map((label) => label.key)).toEqual(['partner']);
	});
});
