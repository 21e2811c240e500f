/**
 * Every operation of the four action nodes, run as workflows through n8n's WorkflowExecute on SQLite and
 * PostgreSQL: output items, stored rows and the errors a user sees.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, type StoreConfig } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe.each(DIALECTS)('workflows on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	const run = (items: IDataObject[], node: Parameters<typeof runNode>[2], workflowId?: string) =>
		runNode(credentials, items, node, workflowId);

	beforeAll(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
	});

	const createNode = (parameters: IDataObject, onError?: 'continueRegularOutput') => ({
		name: 'Create',
		type: 'createAssociation',
		parameters: { operation: 'create', ...parameters },
		...(onError ? { onError } : {}),
	});

	test('Create Association: labels from per-item expressions; identical re-run succeeds unchanged; a conflicting key fails at its item', async () => {
		const perItem = {
			firstObjectKey: rl('={{ $json.first }}', 'key'),
			secondObjectKey: rl('={{ $json.second }}', 'key'),
			labelType: 'single',
			labelName: '={{ $json.name }}',
		};
		const first = await run(
			[
				{ first: 'contact', second: 'company', name: 'Owner' },
				{ first: 'contact', second: 'company', name: 'Partner' },
			],
			createNode(perItem),
		);
		expect(jsonOf(first.output('Create'))).toEqual([
			expect.objectContaining({
				created: true,
				key: 'owner',
				kind: 'single',
				firstObjectKey: 'contact',
				secondObjectKey: 'company',
				firstLabel: 'Owner',
				secondLabel: 'Owner',
				firstLimit: 1000,
				secondLimit: 1000,
			}),
			expect.objectContaining({ created: true, key: 'partner', firstLabel: 'Partner' }),
		]);
		expect(pairedOf(first.output('Create'))).toEqual([0, 1]);

		// Item 0 is identical to the stored "owner" (no change); item 1 asks for the key "owner" for other
		// objects. (Without a key it would get "owner_contact_pets": see test/nodes/hardening.test.ts.)
		const withKey = { ...perItem, options: { key: '={{ $json.key }}' } };
		const conflicting = [
			{ first: 'contact', second: 'company', name: 'Owner' },
			{ first: 'contact', second: 'custom_objects.pets', name: 'Owner', key: 'owner' },
		];
		const stopped = await run(conflicting, createNode(withKey));
		const error = visibleError(stopped.nodeError('Create'));
		expect(error.itemIndex).toBe(1);
		expect(error.message).toContain('A different label already uses key "owner"');
		expect(error.description).toContain('Choose another internal key');
		// One transaction for the execution: a new label before the failing item is not created either.
		const newThenConflicting = [
			{ first: 'contact', second: 'company', name: 'Advisor' },
			conflicting[1],
		];
		expect(
			visibleError((await run(newThenConflicting, createNode(withKey))).nodeError('Create'))
				.itemIndex,
		).toBe(1);

		const continued = await run(conflicting, createNode(withKey, 'continueRegularOutput'));
		const output = continued.output('Create');
		expect(output[0].json).toEqual(expect.objectContaining({ created: false, key: 'owner' }));
		expect(output[1].json).toEqual({
			error: expect.stringContaining('A different label already uses key "owner"'),
			code: 'CONFLICT',
		});
		expect(pairedOf(output)).toEqual([0, 1]);

		const rows = await rawQuery<{ key: string }>(
			config,
			'SELECT key FROM association_labels ORDER BY key',
		);
		expect(rows.map((row) => row.key)).toEqual(['owner', 'partner']);
	});

	test('Create Association: a pair label with a custom key and limits', async () => {
		const result = await run(
			[{}],
			createNode({
				firstObjectKey: rl('contact'),
				secondObjectKey: rl('opportunity', 'key'),
				labelType: 'pair',
				firstLabel: 'Buyer',
				secondLabel: 'Deal',
				options: { key: 'deal_buyer', firstLimit: 1, secondLimit: 3 },
			}),
		);
		expect(result.output('Create')[0].json).toEqual(
			expect.objectContaining({
				created: true,
				key: 'deal_buyer',
				kind: 'pair',
				firstLabel: 'Buyer',
				secondLabel: 'Deal',
				firstLimit: 1,
				secondLimit: 3,
			}),
		);
	});

	test('Create Association: rename, change limits, get, get many', async () => {
		const renamed = await run([{}], {
			name: 'Rename',
			type: 'createAssociation',
			parameters: { operation: 'rename', label: rl('owner'), firstLabel: 'Primary Owner' },
		});
		expect(renamed.output('Rename')[0].json).toEqual(
			expect.objectContaining({
				key: 'owner',
				firstLabel: 'Primary Owner',
				secondLabel: 'Primary Owner',
			}),
		);
		const [stored] = await rawQuery<{ first_label: string; second_label: string }>(
			config,
			"SELECT first_label, second_label FROM association_labels WHERE key = 'owner'",
		);
		expect(stored).toEqual({ first_label: 'Primary Owner', second_label: 'Primary Owner' });

		const nothing = await run([{}], {
			name: 'Rename',
			type: 'createAssociation',
			parameters: { operation: 'rename', label: rl('owner') },
		});
		expect(visibleError(nothing.nodeError('Rename'))).toEqual({
			message: 'Nothing to rename for item 0.',
			description: 'Fill in "New First Side Name", "New Second Side Name" or both.',
			itemIndex: 0,
		});

		const limits = await run([{}], {
			name: 'Limits',
			type: 'createAssociation',
			parameters: {
				operation: 'setLimits',
				label: rl('deal_buyer', 'key'),
				limits: { firstLimit: 2 },
			},
		});
		expect(limits.output('Limits')[0].json).toEqual(
			expect.objectContaining({ key: 'deal_buyer', firstLimit: 2, secondLimit: 3 }),
		);

		const got = await run([{}], {
			name: 'Get',
			type: 'createAssociation',
			parameters: { operation: 'get', label: rl('partner') },
		});
		expect(got.output('Get')[0].json).toEqual(
			expect.objectContaining({ key: 'partner', links: 0, firstObjectKey: 'contact' }),
		);

		const missing = await run([{}], {
			name: 'Get',
			type: 'createAssociation',
			parameters: { operation: 'get', label: rl('nope', 'key') },
		});
		const error = visibleError(missing.nodeError('Get'));
		expect(error.message).toBe(
			'No association label with key "nope" in namespace "default". Create the label first, or use the key of an existing one.',
		);
		expect(error.description).toContain('create it first with the Create Association node');

		const all = await run([{}], {
			name: 'List',
			type: 'createAssociation',
			parameters: { operation: 'getMany', objectKey: rl(''), returnAll: true },
		});
		expect(jsonOf(all.output('List')).map((label) => label.key)).toEqual([
			'deal_buyer',
			'owner',
			'partner',
		]);
		const ofCompany = await run([{}], {
			name: 'List',
			type: 'createAssociation',
			parameters: { operation: 'getMany', objectKey: rl('company'), returnAll: true },
		});
		expect(jsonOf(ofCompany.output('List')).map((label) => label.key)).toEqual([
			'owner',
			'partner',
		]);
		const searched = await run([{}], {
			name: 'List',
			type: 'createAssociation',
			parameters: { operation: 'getMany', returnAll: false, limit: 5, options: { search: 'BUY' } },
		});
		expect(jsonOf(searched.output('List')).map((label) => label.key)).toEqual(['deal_buyer']);
		const limited = await run([{}], {
			name: 'List',
			type: 'createAssociation',
			parameters: { operation: 'getMany', returnAll: false, limit: 2 },
		});
		expect(limited.output('List')).toHaveLength(2);
	});

	const linkNode = (parameters: IDataObject, name = 'Link') => ({
		name,
		type: 'linkRecords',
		parameters: {
			operation: 'link',
			firstRecordId: '={{ $json.contact }}',
			secondRecordId: '={{ $json.company }}',
			...parameters,
		},
	});

	test('Link Records: record IDs from expressions, created then already linked, actor written into events', async () => {
		const items = [
			{ contact: 'c1', company: 'co1' },
			{ contact: 'c2', company: 'co1' },
			{ contact: 'c1', company: 'co2' },
		];
		const first = await run(items, linkNode({ label: rl('owner') }), 'wf-links');
		const output = first.output('Link');
		expect(jsonOf(output)).toEqual([
			expect.objectContaining({
				status: 'created',
				created: true,
				labelKey: 'owner',
				firstObjectKey: 'contact',
				firstRecordId: 'c1',
				secondObjectKey: 'company',
				secondRecordId: 'co1',
				linkId: expect.any(String),
				linkedAt: expect.any(String),
			}),
			expect.objectContaining({ status: 'created', firstRecordId: 'c2', secondRecordId: 'co1' }),
			expect.objectContaining({ status: 'created', firstRecordId: 'c1', secondRecordId: 'co2' }),
		]);
		expect(pairedOf(output)).toEqual([0, 1, 2]);

		const again = await run(
			[...items, { contact: 'c3', company: 'co2' }],
			linkNode({ label: rl('owner') }),
		);
		expect(jsonOf(again.output('Link')).map((json) => json.status)).toEqual([
			'already_linked',
			'already_linked',
			'already_linked',
			'created',
		]);
		expect(again.output('Link')[0].json.linkId).toBe(output[0].json.linkId);

		const links = await rawQuery<{ first_record_id: string; second_record_id: string }>(
			config,
			"SELECT first_record_id, second_record_id FROM association_links l JOIN association_labels b ON b.id = l.label_id WHERE b.key = 'owner' ORDER BY first_record_id, second_record_id",
		);
		expect(links).toEqual([
			{ first_record_id: 'c1', second_record_id: 'co1' },
			{ first_record_id: 'c1', second_record_id: 'co2' },
			{ first_record_id: 'c2', second_record_id: 'co1' },
			{ first_record_id: 'c3', second_record_id: 'co2' },
		]);
		const events = await rawQuery<{ actor: string }>(
			config,
			"SELECT actor FROM association_events WHERE type = 'link.created' AND first_record_id = 'c2'",
		);
		expect(events).toHaveLength(1);
		expect(JSON.parse(events[0].actor)).toEqual({
			workflowId: 'wf-links',
			executionId: expect.stringMatching(/^exec-/),
			nodeName: 'Link',
		});
	});

	test('Link Records: additional labels give one output item per label, paired with the input item; swapped records are put right', async () => {
		const result = await run(
			[{ contact: 'c1', company: 'co1' }],
			linkNode({
				label: rl('owner'),
				additionalLabels: { labels: [{ label: rl('partner') }, { label: rl('owner') }] },
			}),
		);
		expect(jsonOf(result.output('Link')).map((json) => [json.labelKey, json.status])).toEqual([
			['owner', 'already_linked'],
			['partner', 'created'],
		]);
		expect(pairedOf(result.output('Link'))).toEqual([0, 0]);

		// The company given as "first" with its object named: the node passes the object keys, the core swaps.
		const swapped = await run(
			[{ contact: 'co3', company: 'c9' }],
			linkNode({
				label: rl('partner'),
				options: { firstObjectKey: rl('company'), secondObjectKey: rl('contact', 'key') },
			}),
		);
		expect(swapped.output('Link')[0].json).toEqual(
			expect.objectContaining({
				status: 'created',
				firstObjectKey: 'contact',
				firstRecordId: 'c9',
				secondRecordId: 'co3',
			}),
		);
	});

	test('Get Related Objects: per related record, per input record, filters, limit, count, labels between', async () => {
		const related = (parameters: IDataObject, items: IDataObject[] = [{ id: 'c1' }]) =>
			run(items, {
				name: 'Related',
				type: 'getRelatedObjects',
				parameters: {
					operation: 'getRelated',
					objectKey: rl('contact'),
					recordId: '={{ $json.id }}',
					returnAll: true,
					...parameters,
				},
			});

		const ofC1 = await related({});
		expect(
			jsonOf(ofC1.output('Related'))
				.map((json) => [json.objectKey, json.recordId, json.labelKey, json.label, json.side])
				.sort(),
		).toEqual([
			['company', 'co1', 'owner', 'Primary Owner', 'second'],
			['company', 'co1', 'partner', 'Partner', 'second'],
			['company', 'co2', 'owner', 'Primary Owner', 'second'],
		]);
		expect(pairedOf(ofC1.output('Related'))).toEqual([0, 0, 0]);

		const fromCompany = await run([{ id: 'co1' }], {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: rl('company', 'key'),
				recordId: '={{ $json.id }}',
				returnAll: true,
				onlyLabels: { labels: [{ label: rl('owner') }] },
			},
		});
		expect(
			jsonOf(fromCompany.output('Related'))
				.map((json) => [json.objectKey, json.recordId, json.side])
				.sort(),
		).toEqual([
			['contact', 'c1', 'first'],
			['contact', 'c2', 'first'],
		]);

		const perInput = await related({ output: 'perInput' }, [
			{ id: 'c1' },
			{ id: 'c2' },
			{ id: 'nobody' },
		]);
		const rows = jsonOf(perInput.output('Related'));
		expect(rows.map((json) => [json.recordId, json.count])).toEqual([
			['c1', 3],
			['c2', 1],
			['nobody', 0],
		]);
		expect((rows[1].related as IDataObject[])[0]).toEqual(
			expect.objectContaining({ objectKey: 'company', recordId: 'co1', labelKey: 'owner' }),
		);
		expect(pairedOf(perInput.output('Related'))).toEqual([0, 1, 2]);

		const limited = await related({ returnAll: false, limit: 2 });
		expect(limited.output('Related')).toHaveLength(2);
		const onlyOpportunities = await related({ options: { relatedObjectKey: rl('opportunity') } });
		expect(onlyOpportunities.output('Related')).toEqual([]);

		const counted = await run([{ id: 'c1' }, { id: 'c2' }], {
			name: 'Count',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'count',
				objectKey: rl('contact'),
				recordId: '={{ $json.id }}',
				onlyLabels: { labels: [{ label: rl('owner') }] },
			},
		});
		expect(jsonOf(counted.output('Count'))).toEqual([
			{ objectKey: 'contact', recordId: 'c1', count: 2 },
			{ objectKey: 'contact', recordId: 'c2', count: 1 },
		]);

		const between = await run(
			[
				{ a: 'co1', b: 'c1' },
				{ a: 'co2', b: 'c2' },
			],
			{
				name: 'Between',
				type: 'getRelatedObjects',
				parameters: {
					operation: 'labelsBetween',
					firstObjectKey: rl('company'),
					firstRecordId: '={{ $json.a }}',
					secondObjectKey: rl('contact'),
					secondRecordId: '={{ $json.b }}',
				},
			},
		);
		const [linked, notLinked] = jsonOf(between.output('Between'));
		expect(linked).toEqual(
			expect.objectContaining({
				firstObjectKey: 'company',
				firstRecordId: 'co1',
				secondRecordId: 'c1',
				linked: true,
			}),
		);
		expect((linked.labels as IDataObject[]).map((label) => label.labelKey).sort()).toEqual([
			'owner',
			'partner',
		]);
		expect(notLinked).toEqual(expect.objectContaining({ linked: false, labels: [] }));

		const wrongLabel = await run([{ id: 'co1' }, { id: 'co2' }], {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: rl('company'),
				recordId: '={{ $json.id }}',
				returnAll: true,
				onlyLabels: { labels: [{ label: rl('deal_buyer') }] },
			},
		});
		const error = visibleError(wrongLabel.nodeError('Related'));
		expect(error.message).toBe(
			'Label with key "deal_buyer" links contact and opportunity, not company. Pick a label of company, or fix the object key.',
		);
		expect(error.itemIndex).toBe(0);
	});

	test("Link Records: unlink reports deleted / not linked; unlink all removes a record's links, optionally of one label", async () => {
		const unlinked = await run(
			[
				{ contact: 'c2', company: 'co1' },
				{ contact: 'c2', company: 'co9' },
			],
			linkNode({ operation: 'unlink', label: rl('owner') }, 'Unlink'),
		);
		expect(
			jsonOf(unlinked.output('Unlink')).map((json) => [
				json.status,
				json.deleted,
				json.secondRecordId,
			]),
		).toEqual([
			['deleted', true, 'co1'],
			['not_linked', false, 'co9'],
		]);
		expect(
			await rawQuery(config, "SELECT id FROM association_links WHERE first_record_id = 'c2'"),
		).toEqual([]);

		const unlinkAll = (parameters: IDataObject) =>
			run([{ id: 'c1' }], {
				name: 'Unlink All',
				type: 'linkRecords',
				parameters: {
					operation: 'unlinkAll',
					objectKey: rl('contact'),
					recordId: '={{ $json.id }}',
					...parameters,
				},
			});
		const onlyPartner = await unlinkAll({ onlyLabel: rl('partner') });
		expect(onlyPartner.output('Unlink All')[0].json).toEqual(
			expect.objectContaining({
				objectKey: 'contact',
				recordId: 'c1',
				deleted: 1,
				links: [expect.objectContaining({ labelKey: 'partner', secondRecordId: 'co1' })],
			}),
		);
		const everything = await unlinkAll({});
		expect(everything.output('Unlink All')[0].json).toEqual(
			expect.objectContaining({ deleted: 2 }),
		);
		expect(
			await rawQuery(config, "SELECT id FROM association_links WHERE first_record_id = 'c1'"),
		).toEqual([]);
	});

	test('Delete Label: needs DELETE, is refused while links use the label, then deletes it', async () => {
		const remove = (label: string, confirmation: string) =>
			run([{}], {
				name: 'Delete',
				type: 'deleteLabel',
				parameters: { operation: 'delete', label: rl(label), confirmation },
			});

		const unconfirmed = visibleError((await remove('partner', 'delete')).nodeError('Delete'));
		expect(unconfirmed.message).toBe(
			'Deleting a label is irreversible: type DELETE (in capitals, nothing else) to confirm — got "delete".',
		);
		expect(unconfirmed.description).toBe(
			'Type DELETE (in capitals, nothing else) in the Confirmation field. Error code: CONFIRMATION_REQUIRED.',
		);
		expect(unconfirmed.itemIndex).toBe(0);

		const inUse = visibleError((await remove('partner', 'DELETE')).nodeError('Delete'));
		expect(inUse.message).toBe(
			'Label "partner" is still used by 1 link: contact "c9" – company "co3". Unlink it first (each pair, or all links of a record under this label), then delete the label.',
		);
		expect(inUse.description).toContain('Unlink all links of a record');

		await run([{ id: 'c9' }], {
			name: 'Unlink All',
			type: 'linkRecords',
			parameters: { operation: 'unlinkAll', objectKey: rl('contact'), recordId: '={{ $json.id }}' },
		});
		const deleted = await remove('partner', 'DELETE');
		expect(deleted.output('Delete')).toEqual([
			{
				json: {
					deleted: true,
					id: expect.any(String),
					key: 'partner',
					message: 'Label "partner" deleted.',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(
			await rawQuery(config, "SELECT id FROM association_labels WHERE key = 'partner'"),
		).toEqual([]);
	});
});
