/**
 * Link Records sends all items of an execution to the core as one batch: one transaction, per-item
 * results, atomic without Continue On Fail. Run through n8n's WorkflowExecute on both dialects.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { Store } from '../../core/store/store';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());
afterEach(() => jest.restoreAllMocks());

const linkNode = (
	parameters: IDataObject,
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
) => ({
	name: 'Link',
	type: 'linkRecords',
	parameters: {
		operation: 'link',
		label: rl('={{ $json.label }}', 'key'),
		firstRecordId: '={{ $json.contact }}',
		secondRecordId: '={{ $json.company }}',
		...parameters,
	},
	...(onError ? { onError } : {}),
});

const countLinks = async (config: StoreConfig) =>
	Number(
		(await rawQuery<{ n: unknown }>(config, 'SELECT COUNT(*) AS n FROM association_links'))[0].n,
	);

describe.each(DIALECTS)('batches on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
		await associations.labels.create({
			key: 'one_company',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Sole contact',
			secondLabel: 'Sole company',
			firstLimit: 1,
		});
	});

	test('1,000 items are linked in one write transaction, with 1,000 paired output items', async () => {
		const items = Array.from({ length: 1000 }, (_unused, i) => ({
			label: 'employee_employer',
			contact: `c${i}`,
			company: `co${i % 10}`,
		}));
		const writes = jest.spyOn(Store.prototype, 'write');
		const result = await runNode(credentials, items, linkNode({}));
		const output = result.output('Link');

		expect(writes).toHaveBeenCalledTimes(1);
		expect(output).toHaveLength(1000);
		expect(pairedOf(output)).toEqual(items.map((_item, i) => i));
		expect(output.every((item) => item.json.status === 'created')).toBe(true);
		expect(output[999].json).toEqual(
			expect.objectContaining({
				firstRecordId: 'c999',
				secondRecordId: 'co9',
				labelKey: 'employee_employer',
			}),
		);

		expect(await countLinks(config)).toBe(1000);
		// One transaction: every link and every event carries the one timestamp of that transaction.
		const links = await rawQuery<{ n: unknown }>(
			config,
			'SELECT COUNT(DISTINCT created_at) AS n FROM association_links',
		);
		expect(Number(links[0].n)).toBe(1);
		const events = await rawQuery<{ n: unknown; t: unknown }>(
			config,
			"SELECT COUNT(*) AS n, COUNT(DISTINCT created_at) AS t FROM association_events WHERE type = 'link.created'",
		);
		expect(events.map((row) => [Number(row.n), Number(row.t)])).toEqual([[1000, 1]]);
	});

	const limitItems = [
		{ label: 'one_company', contact: 'x1', company: 'y1' },
		{ label: 'one_company', contact: 'x2', company: 'y1' },
		{ label: 'one_company', contact: 'x1', company: 'y2' },
		{ label: 'one_company', contact: 'x3', company: 'y3' },
	];

	test('without Continue On Fail a failing item changes nothing and stops the node at that item', async () => {
		const before = await countLinks(config);
		const result = await runNode(credentials, limitItems, linkNode({}));
		const error = visibleError(result.nodeError('Link'));
		expect(error.itemIndex).toBe(2);
		expect(error.message).toBe(
			'Item 2: contact record "x1" already has 1 link through label "one_company" ("Sole contact / Sole company", as "Sole contact"; limit 1 per record): to company "y1". Unlink one of them, or raise the label\'s limit (the ceiling is 1,000).',
		);
		expect(error.description).toContain("raise the label's per-record limit");
		expect(result.error?.message).toBe(error.message);
		expect(await countLinks(config)).toBe(before);
	});

	test('with Continue On Fail the failing item yields { error, code } and the others are linked', async () => {
		const before = await countLinks(config);
		const result = await runNode(credentials, limitItems, linkNode({}, 'continueRegularOutput'));
		const output = result.output('Link');
		expect(jsonOf(output).map((json) => json.status ?? json.code)).toEqual([
			'created',
			'created',
			'RECORD_LIMIT',
			'created',
		]);
		expect(output[2].json).toEqual({
			labelKey: 'one_company',
			error: expect.stringMatching(
				/^Item 2: contact record "x1" already has 1 link through label "one_company"/,
			),
			code: 'RECORD_LIMIT',
		});
		expect(pairedOf(output)).toEqual([0, 1, 2, 3]);
		expect(await countLinks(config)).toBe(before + 3);
	});

	test('with "Continue (using error output)" failing items go to the error output', async () => {
		const items = [
			{ label: 'one_company', contact: 'e1', company: 'f1' },
			{ label: 'one_company', contact: 'e1', company: 'f2' },
			{ label: 'nope', contact: 'e2', company: 'f2' },
		];
		const result = await runNode(credentials, items, linkNode({}, 'continueErrorOutput'));
		const [success, errors] = result.outputs('Link');
		expect(
			jsonOf(success).map((json) => [json.status, json.firstRecordId, json.secondRecordId]),
		).toEqual([['created', 'e1', 'f1']]);
		expect(pairedOf(success)).toEqual([0]);
		// n8n merges the failed input item into its error item.
		expect(jsonOf(errors)).toEqual([
			{
				...items[1],
				error: expect.stringMatching(/^Item 1: contact record "e1" already has 1 link /),
				details: { labelKey: 'one_company', code: 'RECORD_LIMIT' },
			},
			{
				...items[2],
				error: expect.stringContaining('No association label with key "nope"'),
				details: { labelKey: 'nope', code: 'NOT_FOUND' },
			},
		]);
		expect(pairedOf(errors)).toEqual([1, 2]);
	});

	test('errors name the n8n item even when items were skipped or carry several labels', async () => {
		// Item 0 has no contact (a parameter error, so it never reaches the batch); item 2 breaks the limit.
		const skipped = await runNode(
			credentials,
			[
				{ label: 'one_company', company: 'y9' },
				{ label: 'one_company', contact: 'x8', company: 'y8' },
				{ label: 'one_company', contact: 'x8', company: 'y7' },
				{ label: 'nope', contact: 'x6', company: 'y6' },
			],
			linkNode({}, 'continueRegularOutput'),
		);
		const output = skipped.output('Link');
		expect(output[0].json).toEqual({
			error: 'First Record ID is empty for item 0.',
			code: 'PARAMETER',
		});
		expect(output[1].json.status).toBe('created');
		expect(output[2].json.error).toMatch(/^Item 2: contact record "x8"/);
		expect(output[3].json).toEqual({
			labelKey: 'nope',
			error: expect.stringContaining('No association label with key "nope"'),
			code: 'NOT_FOUND',
		});
		expect(pairedOf(output)).toEqual([0, 1, 2, 3]);

		// Item 0 links under two labels (batch inputs 0 and 1), so item 1 is batch input 2.
		const multi = await runNode(
			credentials,
			[
				{ label: 'employee_employer', contact: 'm1', company: 'n1' },
				{ label: 'one_company', contact: 'x8', company: 'y5' },
			],
			linkNode({ additionalLabels: { labels: [{ label: rl('one_company') }] } }),
		);
		const error = visibleError(multi.nodeError('Link'));
		expect(error.itemIndex).toBe(1);
		expect(error.message).toMatch(
			/^Item 1: contact record "x8" already has 1 link through label "one_company" \("Sole contact \/ Sole company", as "Sole contact"; limit 1 per record\): to company "y8"\./,
		);
		expect(
			await rawQuery(config, "SELECT id FROM association_links WHERE first_record_id = 'm1'"),
		).toEqual([]);
	});

	test('unlinking many items is one write transaction too', async () => {
		const items = Array.from({ length: 50 }, (_unused, i) => ({
			label: 'employee_employer',
			contact: `c${i}`,
			company: `co${i % 10}`,
		}));
		const writes = jest.spyOn(Store.prototype, 'write');
		const result = await runNode(credentials, items, linkNode({ operation: 'unlink' }));
		expect(writes).toHaveBeenCalledTimes(1);
		expect(jsonOf(result.output('Link')).every((json) => json.status === 'deleted')).toBe(true);
		expect(pairedOf(result.output('Link'))).toEqual(items.map((_item, i) => i));
	});

	test('"unlink all" over many records is one write transaction, a bad item stops it and changes nothing', async () => {
		const records = Array.from({ length: 20 }, (_unused, i) => ({
			label: 'employee_employer',
			contact: `u${i}`,
			company: `uco${i % 4}`,
		}));
		await runNode(credentials, records, linkNode({}));
		const unlinkAll = (onError?: 'continueRegularOutput') => ({
			name: 'Link',
			type: 'linkRecords',
			parameters: {
				operation: 'unlinkAll',
				objectKey: rl('={{ $json.object }}'),
				recordId: '={{ $json.id }}',
			},
			...(onError ? { onError } : {}),
		});
		const companies = [0, 1, 2, 3].map((i) => ({ object: 'company', id: `uco${i}` }));
		const before = await countLinks(config);

		const failing = await runNode(
			credentials,
			[companies[0], { object: 'Company!', id: 'x' }],
			unlinkAll(),
		);
		expect(visibleError(failing.nodeError('Link'))).toMatchObject({
			itemIndex: 1,
			message: expect.stringMatching(
				/^Item 1: Invalid record: objectKey must be a lowercase identifier/,
			),
		});
		expect(await countLinks(config)).toBe(before);

		const writes = jest.spyOn(Store.prototype, 'write');
		const result = await runNode(
			credentials,
			[...companies, { object: 'Company!', id: 'x' }],
			unlinkAll('continueRegularOutput'),
		);
		expect(writes).toHaveBeenCalledTimes(1);
		const output = jsonOf(result.output('Link'));
		expect(output.slice(0, 4).map((json) => json.deleted)).toEqual([5, 5, 5, 5]);
		expect(output[4]).toMatchObject({
			code: 'VALIDATION',
			error: expect.stringMatching(/^Item 4: Invalid record: objectKey/),
		});
		expect(pairedOf(result.output('Link'))).toEqual([0, 1, 2, 3, 4]);
		expect(await countLinks(config)).toBe(before - 20);
	});
});

describe('a store that cannot be opened', () => {
	const blocker = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-blocked-')),
		'not-a-folder',
	);
	fs.writeFileSync(blocker, 'a file where a folder should be');
	const sqlitePath = path.join(blocker, 'sub', 'associations.sqlite');
	const credentials = {
		associationStoreApi: { storeType: 'sqlite', sqlitePath, namespace: 'default' },
	};
	const items = [
		{ label: 'x', contact: 'a', company: 'b' },
		{ label: 'x', contact: 'c', company: 'd' },
	];

	test('stops the node with the file named and how to fix it', async () => {
		const result = await runNode(credentials, items, linkNode({}));
		const error = visibleError(result.nodeError('Link'));
		expect(error.message).toContain(`Could not open the SQLite file "${sqlitePath}"`);
		expect(error.message).toContain('ENOTDIR');
		expect(error.description).toContain('Association Store credential');
	});

	test('with Continue On Fail every item reports it', async () => {
		const result = await runNode(credentials, items, linkNode({}, 'continueRegularOutput'));
		const output = result.output('Link');
		expect(jsonOf(output)).toEqual([
			{
				error: expect.stringContaining(`Could not open the SQLite file "${sqlitePath}"`),
				code: 'STORE',
			},
			{
				error: expect.stringContaining(`Could not open the SQLite file "${sqlitePath}"`),
				code: 'STORE',
			},
		]);
		expect(pairedOf(output)).toEqual([0, 1]);
	});
});
