/**
 * The pickers (listSearch, run in n8n's real LoadOptionsContext) and the credential test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INode } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { CreateAssociation } from '../../nodes/CreateAssociation/CreateAssociation.node';
import { DeleteLabel } from '../../nodes/DeleteLabel/DeleteLabel.node';
import { GetRelatedObjects } from '../../nodes/GetRelatedObjects/GetRelatedObjects.node';
import { LinkRecords } from '../../nodes/LinkRecords/LinkRecords.node';
import { DIALECTS, freshStore, postgresServer, rawQuery } from '../support/stores';
import { CREDENTIAL_REF, PACKAGE, credentialFor, loadOptionsContext } from './helpers/engine';

afterAll(async () => await closeAllStores());

const node: INode = {
	id: 'n',
	name: 'Link Records',
	type: `${PACKAGE}.linkRecords`,
	typeVersion: 1,
	position: [0, 0],
	parameters: { operation: 'link' },
	credentials: CREDENTIAL_REF,
};
const { listSearch, credentialTest } = new LinkRecords().methods;

describe.each(DIALECTS)('pickers on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config, 'tenant_a') };
		const tenantA = await openAssociations(config, 'tenant_a');
		await tenantA.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Owner',
		});
		await tenantA.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'opportunity',
			firstLabel: 'Buyer',
			secondLabel: 'Property',
		});
		// 110 more labels (10 per object pair, the most a pair may have) to page through.
		for (let pair = 0; pair < 11; pair++) {
			for (let n = 0; n < 10; n++) {
				await tenantA.labels.create({
					key: `bulk_${pair}_${n}`,
					firstObjectKey: 'company',
					secondObjectKey: `custom_objects.o${pair}`,
					firstLabel: `Bulk ${pair}-${n}`,
				});
			}
		}
		const tenantB = await openAssociations(config, 'tenant_b');
		await tenantB.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.cars',
			firstLabel: 'Driver',
		});
	});

	test("labels: searched by key or name in the credential's namespace, value is the key", async () => {
		const context = loadOptionsContext(node, credentials);
		const owner = await listSearch.searchLabels.call(context, 'own');
		expect(owner).toEqual({
			results: [
				{
					name: 'Owner',
					value: 'owner',
					description: 'contact ↔ custom_objects.pets · key owner · no links: can be deleted',
				},
			],
		});
		const pair = await listSearch.searchLabels.call(context, 'PROPERTY');
		expect(pair.results.map((result) => [result.name, result.value])).toEqual([
			['Buyer / Property', 'buyer_property'],
		]);
		// The search matches what the list shows: the objects too, and the pair's name as displayed.
		const byObject = await listSearch.searchLabels.call(context, 'custom_objects.pets');
		expect(byObject.results.map((result) => result.value)).toEqual(['owner']);
		const byName = await listSearch.searchLabels.call(context, 'buyer / prop');
		expect(byName.results.map((result) => result.value)).toEqual(['buyer_property']);
		// Delete Label's picker shows each label's link count in the name (n8n's list shows only names).
		const forDelete = await listSearch.searchLabelsWithLinkCount.call(context, 'own');
		expect(forDelete.results.map((result) => result.name)).toEqual(['Owner · unused']);
		// Another namespace's label is not offered.
		expect((await listSearch.searchLabels.call(context, 'driver')).results).toEqual([]);
	});

	test('labels: pages of 100 with a pagination token', async () => {
		const context = loadOptionsContext(node, credentials);
		const first = await listSearch.searchLabels.call(context);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const second = await listSearch.searchLabels.call(context, undefined, first.paginationToken);
		expect(second.results).toHaveLength(12);
		expect(second.paginationToken).toBeUndefined();
		const values = [...first.results, ...second.results].map((result) => result.value);
		expect(new Set(values).size).toBe(112);
		expect(values).toEqual(expect.arrayContaining(['owner', 'buyer_property', 'bulk_10_9']));
	});

	test("object keys: standard ones plus the store's, and a new typed key", async () => {
		const context = loadOptionsContext(node, credentials);
		const all = await listSearch.searchObjectKeys.call(context);
		const keys = all.results.map((result) => result.value);
		expect(keys).toEqual(
			expect.arrayContaining([
				'contact',
				'company',
				'opportunity',
				'custom_objects.pets',
				'custom_objects.o10',
			]),
		);
		expect(keys).not.toContain('custom_objects.cars');
		expect((await listSearch.searchObjectKeys.call(context, 'pets')).results).toEqual([
			{ name: 'custom_objects.pets', value: 'custom_objects.pets' },
			{ name: 'pets (new object key)', value: 'pets' },
		]);
		expect(
			(await listSearch.searchObjectKeys.call(context, 'custom_objects.pets')).results,
		).toEqual([{ name: 'custom_objects.pets', value: 'custom_objects.pets' }]);
		expect(
			(await listSearch.searchObjectKeys.call(context, 'custom_objects.boats')).results,
		).toEqual([{ name: 'custom_objects.boats (new object key)', value: 'custom_objects.boats' }]);
		expect((await listSearch.searchObjectKeys.call(context, 'Not A Key!')).results).toEqual([]);
	});

	test('object keys outside label creation: only keys that exist, never a new one', async () => {
		const context = loadOptionsContext(node, credentials);
		expect((await listSearch.searchKnownObjectKeys.call(context, 'pets')).results).toEqual([
			{ name: 'custom_objects.pets', value: 'custom_objects.pets' },
		]);
		expect((await listSearch.searchKnownObjectKeys.call(context, 'pet')).results).toEqual([
			{ name: 'custom_objects.pets', value: 'custom_objects.pets' },
		]);
		expect(
			(await listSearch.searchKnownObjectKeys.call(context, 'custom_objects.boats')).results,
		).toEqual([]);
	});
});

const testCredential = async (data: ICredentialDataDecryptedObject) =>
	await credentialTest.associationStoreConnectionTest.call(
		{} as never,
		{
			id: 'c',
			name: 'Association store',
			type: 'associationStoreApi',
			data,
		} as ICredentialsDecrypted,
	);

describe('credential test', () => {
	test('every node offers the same credential test and pickers', () => {
		for (const nodeType of [
			new CreateAssociation(),
			new LinkRecords(),
			new GetRelatedObjects(),
			new DeleteLabel(),
		]) {
			expect(nodeType.description.credentials).toEqual([
				{ name: 'associationStoreApi', required: true, testedBy: 'associationStoreConnectionTest' },
			]);
			expect(Object.keys(nodeType.methods.credentialTest)).toEqual([
				'associationStoreConnectionTest',
			]);
			expect(Object.keys(nodeType.methods.listSearch).sort()).toEqual([
				'searchKnownObjectKeys',
				'searchLabels',
				'searchLabelsWithLinkCount',
				'searchObjectKeys',
			]);
		}
	});

	test('a good SQLite store: OK, and the tables exist', async () => {
		const config = await freshStore('sqlite');
		const result = await testCredential(credentialFor(config, 'shop_1'));
		expect(result).toEqual({
			status: 'OK',
			message: `Connected to SQLite file ${(config as { path: string }).path}; the association tables are ready. Namespace "shop_1" has 0 labels.`,
		});
		const tables = await rawQuery<{ name: string }>(
			config,
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'association_%' ORDER BY name",
		);
		expect(tables.map((table) => table.name)).toEqual([
			'association_event_positions',
			'association_events',
			'association_labels',
			'association_links',
		]);
	});

	test('an empty SQLite path means associations.sqlite in the n8n user folder', async () => {
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-n8n-user-'));
		const previous = process.env.N8N_USER_FOLDER;
		process.env.N8N_USER_FOLDER = userFolder;
		try {
			const result = await testCredential({ storeType: 'sqlite', sqlitePath: '', namespace: '' });
			const expected = path.join(userFolder, '.n8n', 'associations.sqlite');
			expect(result.status).toBe('OK');
			expect(result.message).toContain(`SQLite file ${expected};`);
			expect(result.message).toContain('Namespace "default"');
			expect(fs.existsSync(expected)).toBe(true);
		} finally {
			if (previous === undefined) delete process.env.N8N_USER_FOLDER;
			else process.env.N8N_USER_FOLDER = previous;
		}
	});

	test('an unwritable SQLite path: Error naming the file', async () => {
		const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-blocked-')), 'file');
		fs.writeFileSync(blocker, 'not a folder');
		const sqlitePath = path.join(blocker, 'associations.sqlite');
		const result = await testCredential({ storeType: 'sqlite', sqlitePath, namespace: 'default' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			new RegExp(
				`^Could not open the SQLite file "${sqlitePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": .*(ENOTDIR|EEXIST)`,
			),
		);
		expect(result.message).toContain('n8n may write to it');
	});

	test('a good PostgreSQL store, in its own schema: OK, and the tables exist there', async () => {
		const config = await freshStore('postgres');
		const result = await testCredential({ ...credentialFor(config), schema: 'assoc' });
		expect(result.status).toBe('OK');
		expect(result.message).toContain('(schema assoc); the association tables are ready.');
		const tables = await rawQuery<{ table_name: string }>(
			config,
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'assoc' AND table_name LIKE 'association%' ORDER BY table_name",
		);
		expect(tables.map((table) => table.table_name)).toEqual([
			'association_event_positions',
			'association_events',
			'association_labels',
			'association_links',
		]);
	});

	test('a wrong PostgreSQL password: Error saying so', async () => {
		const server = postgresServer();
		const result = await testCredential({ ...credentialFor(server), password: 'wrong-password' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Could not connect to PostgreSQL at .*password authentication failed.*The user or password is wrong\.$/,
		);
	});

	test('an unreachable PostgreSQL host: Error saying so', async () => {
		const server = postgresServer();
		const result = await testCredential({ ...credentialFor(server), host: '127.0.0.1', port: 1 });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Could not connect to PostgreSQL at 127.0.0.1:1/');
		expect(result.message).toContain('The host is unreachable');
	});

	test('an invalid namespace: Error saying what is allowed', async () => {
		const config = await freshStore('sqlite');
		const result = await testCredential(credentialFor(config, 'bad namespace!'));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Invalid namespace');
	});
});
