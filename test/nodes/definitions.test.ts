/** Create Association → Export / Import Definitions through n8n's engine: staging to production, with a dry run. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { DIALECTS, freshStore } from '../support/stores';
import { jsonOf, visibleError } from './helpers/assertions';
import { credentialFor, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('label definitions through the node on %s', (dialect) => {
	let staging: Record<string, ICredentialDataDecryptedObject>;
	let production: Record<string, ICredentialDataDecryptedObject>;
	let productionConfig: StoreConfig;

	beforeEach(async () => {
		const stagingConfig = await freshStore(dialect);
		productionConfig = await freshStore(dialect);
		staging = { associationStoreApi: credentialFor(stagingConfig) };
		production = { associationStoreApi: credentialFor(productionConfig) };
		const associations = await openAssociations(stagingConfig, 'default');
		await associations.labels.createMany(
			[
				{
					key: 'owner',
					firstObjectKey: 'contact',
					secondObjectKey: 'company',
					firstLabel: 'Owner',
				},
				{
					key: 'deal',
					firstObjectKey: 'contact',
					secondObjectKey: 'opportunity',
					firstLabel: 'Buyer',
					secondLabel: 'Seller',
					secondLimit: 3,
				},
			],
			{ atomic: true },
		);
	});

	const exportFrom = async (credentials: Record<string, ICredentialDataDecryptedObject>) =>
		(
			await runNode(credentials, [{}, {}], {
				name: 'Export',
				type: 'createAssociation',
				parameters: { operation: 'exportDefinitions' },
			})
		).output('Export');

	const importInto = (
		credentials: Record<string, ICredentialDataDecryptedObject>,
		document: IDataObject,
		dryRun: boolean,
	) =>
		runNode(credentials, [document], {
			name: 'Import',
			type: 'createAssociation',
			parameters: { operation: 'importDefinitions', definitions: '={{ $json }}', dryRun },
		});

	test('export gives one item however many come in; importing it elsewhere previews, then creates the same labels', async () => {
		const exported = await exportFrom(staging);
		expect(exported).toHaveLength(1);
		const document = exported[0].json;
		expect((document.labels as IDataObject[]).map((label) => label.key)).toEqual(['deal', 'owner']);

		const preview = (await importInto(production, document, true)).output('Import');
		expect(jsonOf(preview)).toEqual([
			{ key: 'deal', action: 'create', changes: [], dryRun: true },
			{ key: 'owner', action: 'create', changes: [], dryRun: true },
		]);
		expect((await exportFrom(production))[0].json.labels).toEqual([]);

		const applied = (await importInto(production, document, false)).output('Import');
		expect(jsonOf(applied).map((json) => json.action)).toEqual(['create', 'create']);
		expect((await exportFrom(production))[0].json.labels).toEqual(document.labels);
		const labels = await (await openAssociations(productionConfig, 'default')).labels.list();
		expect(labels.find((label) => label.key === 'deal')).toMatchObject({
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			secondLimit: 3,
		});
	});

	test('a changed object stops the node with the entry and field named, and changes nothing', async () => {
		const document = (await exportFrom(staging))[0].json;
		const changed = {
			...document,
			labels: (document.labels as IDataObject[]).map((label) =>
				label.key === 'owner'
					? {
							...label,
							firstLabel: 'Proprietor',
							secondLabel: 'Proprietor',
							secondObjectKey: 'deal',
						}
					: label,
			),
		};
		const run = await importInto(staging, changed, false);
		expect(visibleError(run.nodeError('Import')).message).toMatch(
			/labels\[1\] \("owner"\): the secondObjectKey of the existing label is "company" and cannot become "deal"/,
		);
		expect((await exportFrom(staging))[0].json.labels).toEqual(document.labels);
	});
});
