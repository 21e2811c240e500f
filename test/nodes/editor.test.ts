/**
 * What a person reads in the editor (issue 10): label names next to keys in every output item, each
 * record's role, the "Grouped by label" view of related records, errors that name what blocks, and the
 * parameter layout (options last, the Delete Label notice, object pickers without "new key" outside
 * label creation).
 */
import type {
	ICredentialDataDecryptedObject,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { CreateAssociation } from '../../nodes/CreateAssociation/CreateAssociation.node';
import { DeleteLabel } from '../../nodes/DeleteLabel/DeleteLabel.node';
import { GetRelatedObjects } from '../../nodes/GetRelatedObjects/GetRelatedObjects.node';
import { LinkRecords } from '../../nodes/LinkRecords/LinkRecords.node';
import { freshStore } from '../support/stores';
import { jsonOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe('editor output on sqlite', () => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeAll(async () => {
		config = await freshStore('sqlite');
		credentials = { associationStoreApi: credentialFor(config) };
		const core = await openAssociations(config, 'default');
		await core.labels.create({
			key: 'buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.property',
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			firstLimit: 2,
		});
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
			firstLimit: 1,
		});
		await core.labels.create({
			key: 'employee',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
	});

	const link = (label: string, first: string, second: string) =>
		runNode(credentials, [{ first, second }], {
			name: 'Link',
			type: 'linkRecords',
			parameters: {
				operation: 'link',
				label: rl(label),
				firstRecordId: '={{ $json.first }}',
				secondRecordId: '={{ $json.second }}',
			},
		});

	const related = (objectKey: string, recordId: string, output: string) =>
		runNode(credentials, [{ id: recordId }], {
			name: 'Related',
			type: 'getRelatedObjects',
			parameters: {
				operation: 'getRelated',
				objectKey: rl(objectKey),
				recordId: '={{ $json.id }}',
				returnAll: true,
				output,
			},
		});

	test('Link Records names the label and the role of each record next to the key', async () => {
		const linked = await link('buyer_seller', 'c1', 'p1');
		expect(jsonOf(linked.output('Link'))).toEqual([
			expect.objectContaining({
				status: 'created',
				label: 'Buyer / Seller',
				labelKey: 'buyer_seller',
				firstRecordId: 'c1',
				firstRecordRole: 'Buyer',
				secondRecordId: 'p1',
				secondRecordRole: 'Seller',
			}),
		]);
		const spouses = await link('spouse', 'c1', 'c2');
		expect(jsonOf(spouses.output('Link'))[0]).toMatchObject({
			label: 'Spouse',
			firstRecordRole: 'Spouse',
			secondRecordRole: 'Spouse',
		});
		await link('employee', 'c1', 'co1');
	});

	test('Get Related Objects: the related record goes by its side name, the queried one by the other', async () => {
		const fromContact = jsonOf((await related('contact', 'c1', 'perRecord')).output('Related'));
		const property = fromContact.find((json) => json.labelKey === 'buyer_seller');
		expect(property).toMatchObject({
			objectKey: 'custom_objects.property',
			recordId: 'p1',
			label: 'Buyer / Seller',
			relatedRecordRole: 'Seller',
			queriedRecordRole: 'Buyer',
			side: 'second',
		});
		const spouse = fromContact.find((json) => json.labelKey === 'spouse');
		expect(spouse).toMatchObject({
			recordId: 'c2',
			label: 'Spouse',
			relatedRecordRole: 'Spouse',
			queriedRecordRole: 'Spouse',
		});
		// "side" means nothing for a symmetric label: it is left out.
		expect(spouse).not.toHaveProperty('side');

		const fromProperty = jsonOf(
			(await related('custom_objects.property', 'p1', 'perRecord')).output('Related'),
		);
		expect(fromProperty).toEqual([
			expect.objectContaining({
				recordId: 'c1',
				relatedRecordRole: 'Buyer',
				queriedRecordRole: 'Seller',
			}),
		]);
	});

	test('"Grouped by label": one item per input record, groups by object and label with counts', async () => {
		await link('buyer_seller', 'c1', 'p2');
		const grouped = jsonOf((await related('contact', 'c1', 'grouped')).output('Related'));
		expect(grouped).toHaveLength(1);
		expect(grouped[0]).toMatchObject({ objectKey: 'contact', recordId: 'c1', count: 4 });
		const groups = grouped[0].groups as Array<Record<string, unknown>>;
		expect(
			groups.map((group) => [group.objectKey, group.label, group.relatedRecordRole, group.count]),
		).toEqual([
			['company', 'Employee / Employer', 'Employer', 1],
			['contact', 'Spouse', 'Spouse', 1],
			['custom_objects.property', 'Buyer / Seller', 'Seller', 2],
		]);
		expect(groups[2]).toMatchObject({
			labelKey: 'buyer_seller',
			queriedRecordRole: 'Buyer',
			records: [
				expect.objectContaining({ recordId: 'p1' }),
				expect.objectContaining({ recordId: 'p2' }),
			],
		});
		// A record without related records still gets its item, with no groups.
		const empty = jsonOf((await related('contact', 'nobody', 'grouped')).output('Related'));
		expect(empty).toEqual([{ objectKey: 'contact', recordId: 'nobody', count: 0, groups: [] }]);
	});

	test('a record-limit error names the records already linked, a symmetric one no side; the code is shown', async () => {
		const full = await link('buyer_seller', 'c1', 'p3');
		const error = visibleError(full.nodeError('Link'));
		expect(error.message).toBe(
			'Item 0: contact record "c1" already has 2 links through label "buyer_seller" ("Buyer / Seller", as "Buyer"; limit 2 per record): to custom_objects.property "p1" and "p2". Unlink one of them, or raise the label\'s limit (the ceiling is 1,000).',
		);
		expect(error.description).toMatch(
			/names the records already linked.*Error code: RECORD_LIMIT\.$/,
		);

		const spouse = visibleError((await link('spouse', 'c2', 'c3')).nodeError('Link'));
		expect(spouse.message).toBe(
			'Item 0: contact record "c2" already has 1 link through label "spouse" ("Spouse"; limit 1 per record): to contact "c1". Unlink one of them, or raise the label\'s limit (the ceiling is 1,000).',
		);
		expect(spouse.message).not.toMatch(/side/);
	});

	test('a record-limit error lists up to 10 linked records, then "and N more"', async () => {
		const core = await openAssociations(config, 'default');
		await core.labels.create({
			key: 'member',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Member',
			secondLabel: 'Club',
			firstLimit: 12,
		});
		await core.links.linkMany(
			Array.from({ length: 12 }, (_, n) => ({
				label: { key: 'member' },
				firstRecordId: 'm1',
				secondRecordId: `club${String(n).padStart(2, '0')}`,
			})),
		);
		const error = visibleError((await link('member', 'm1', 'club99')).nodeError('Link'));
		const clubs = Array.from({ length: 10 }, (_, n) => `"club${String(n).padStart(2, '0')}"`);
		expect(error.message).toContain(`: to company ${clubs.join(', ')} and 2 more. Unlink one`);
	});

	test("deleting a label in use names its links; the description is that code's own", async () => {
		const deleted = await runNode(credentials, [{}], {
			name: 'Delete',
			type: 'deleteLabel',
			parameters: { operation: 'delete', label: rl('buyer_seller'), confirmation: 'DELETE' },
		});
		const error = visibleError(deleted.nodeError('Delete'));
		expect(error.message).toBe(
			'Label "buyer_seller" is still used by 2 links: contact "c1" – custom_objects.property "p1", contact "c1" – custom_objects.property "p2". Unlink them first (each pair, or all links of a record under this label), then delete the label.',
		);
		expect(error.description).toMatch(
			/^Remove the links that use the label first.*Error code: IN_USE\.$/,
		);

		const lowercase = await runNode(credentials, [{}], {
			name: 'Delete',
			type: 'deleteLabel',
			parameters: { operation: 'delete', label: rl('buyer_seller'), confirmation: 'delete' },
		});
		const refused = visibleError(lowercase.nodeError('Delete'));
		expect(refused.message).toContain('got "delete"');
		expect(refused.description).toMatch(/Error code: CONFIRMATION_REQUIRED\.$/);
	});

	test('Link Records with object keys that do not fit says what was given and what was missing', async () => {
		const run = await runNode(credentials, [{}], {
			name: 'Link',
			type: 'linkRecords',
			parameters: {
				operation: 'link',
				label: rl('employee'),
				firstRecordId: 'x',
				secondRecordId: 'y',
				options: { firstObjectKey: rl('opportunity', 'key') },
			},
		});
		const error = visibleError(run.nodeError('Link'));
		expect(error.message).not.toContain('?');
		expect(error.message).toContain(
			'the first record given is opportunity (no object key given for the second)',
		);
	});
});

describe('editor parameters', () => {
	const nodes: INodeTypeDescription[] = [
		new CreateAssociation().description,
		new LinkRecords().description,
		new GetRelatedObjects().description,
		new DeleteLabel().description,
	];
	const operationsOf = (description: INodeTypeDescription): string[] =>
		(description.properties.find((property) => property.name === 'operation')?.options ?? []).map(
			(option) => (option as { value: string }).value,
		);
	const shownFor = (description: INodeTypeDescription, operation: string): INodeProperties[] =>
		description.properties.filter(
			(property) =>
				property.name !== 'operation' &&
				(property.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
		);

	test.each(nodes.map((description) => [description.displayName, description] as const))(
		'%s: the Options collection comes last in every operation',
		(_name, description) => {
			for (const operation of operationsOf(description)) {
				const shown = shownFor(description, operation);
				const index = shown.findIndex((property) => property.type === 'collection');
				if (index >= 0) expect([operation, index]).toEqual([operation, shown.length - 1]);
			}
		},
	);

	test('object pickers offer a new key only where a label is defined (Create Association → Create)', () => {
		const methods: string[] = [];
		const pickers = (list: INodeProperties[]): INodeProperties[] =>
			list.flatMap((property) => [
				...(property.type === 'resourceLocator' ? [property] : []),
				...pickers((property.options ?? []) as INodeProperties[]),
				...pickers((property as { values?: INodeProperties[] }).values ?? []),
			]);
		for (const description of nodes) {
			for (const top of description.properties) {
				const operation = (top.displayOptions?.show?.operation as string[] | undefined)?.[0];
				for (const picker of pickers([top])) {
					const method = picker.modes?.[0].typeOptions?.searchListMethod as string;
					if (method.startsWith('searchLabels')) continue;
					methods.push(`${description.displayName}.${operation}.${picker.name}:${method}`);
				}
			}
		}
		expect(methods.filter((entry) => entry.endsWith(':searchObjectKeys')).sort()).toEqual([
			'Create Association.create.firstObjectKey:searchObjectKeys',
			'Create Association.create.secondObjectKey:searchObjectKeys',
		]);
		expect(
			methods.filter((entry) => entry.endsWith(':searchKnownObjectKeys')).length,
		).toBeGreaterThan(5);
	});

	test('Delete Label shows the confirmation rule without hovering; the placeholder does not look filled in', () => {
		const description = new DeleteLabel().description;
		const notice = description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/type DELETE in capitals/i);
		const confirmation = description.properties.find(
			(property) => property.name === 'confirmation',
		);
		expect(confirmation?.placeholder).not.toBe('DELETE');
		expect(confirmation?.hint).toMatch(/DELETE/);
	});
});
