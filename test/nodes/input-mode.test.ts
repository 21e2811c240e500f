/**
 * Link Records' Input Mode: "Map Automatically From Input" reads each item's fields (label / labelKey /
 * labelId, firstRecordId, secondRecordId, object keys; Unlink All: objectKey, recordId, labelKey / labelId)
 * instead of evaluating parameters per item, and checks them per item. Parameters without an expression are
 * read once per execution. Run through n8n's WorkflowExecute on both dialects.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { Store } from '../../core/store/store';
import { holdsExpression, perExecutionParameters } from '../../nodes/shared/execution-parameters';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());
afterEach(() => jest.restoreAllMocks());

const autoNode = (
	operation: 'link' | 'unlink' | 'unlinkAll',
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
) => ({
	name: 'Link',
	type: 'linkRecords',
	parameters: { operation, inputMode: 'autoMapInputData' },
	...(onError ? { onError } : {}),
});

const linksOf = async (config: StoreConfig, first: string) =>
	(
		await rawQuery<{ f: string; s: string }>(
			config,
			`SELECT first_record_id AS f, second_record_id AS s FROM association_links WHERE first_record_id LIKE '${first}%' ORDER BY f, s`,
		)
	).map((row) => `${row.f}-${row.s}`);

describe('parameters read once per execution', () => {
	test('a raw value holds an expression when a string in it starts with "="', () => {
		expect(holdsExpression('={{ $json.id }}')).toBe(true);
		expect(holdsExpression(rl('={{ $json.label }}', 'key'))).toBe(true);
		expect(holdsExpression({ labels: [{ label: rl('=x') }] })).toBe(true);
		expect(holdsExpression(rl('employee_employer', 'key'))).toBe(false);
		expect(holdsExpression('c1')).toBe(false);
		expect(holdsExpression(undefined)).toBe(false);
		expect(holdsExpression({ firstObjectKey: rl('contact') })).toBe(false);
	});

	test('parameters without an expression are resolved for the first item only; expressions per item', () => {
		const getNodeParameter = jest.fn((name: string, itemIndex: number, fallback?: unknown) =>
			name === 'recordId' ? `r${itemIndex}` : (fallback ?? name),
		);
		const context = {
			getNode: () => ({
				parameters: { label: rl('employee_employer', 'key'), recordId: '={{ $json.id.trim() }}' },
			}),
			getInputData: () => [],
			getNodeParameter,
		} as unknown as IExecuteFunctions;
		const parameters = perExecutionParameters(context);
		const read = Array.from({ length: 1000 }, (_unused, i) => [
			parameters.getNodeParameter('label', i),
			parameters.getNodeParameter('options', i, {}),
			parameters.getNodeParameter('recordId', i),
		]);
		expect(read[999]).toEqual(['label', {}, 'r999']);
		const calls = (name: string) => getNodeParameter.mock.calls.filter(([n]) => n === name).length;
		expect(calls('label')).toBe(1);
		expect(calls('options')).toBe(1);
		expect(calls('recordId')).toBe(1000);
	});
});

describe.each(DIALECTS)('Input Mode on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	let labelId: string;

	beforeAll(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		const { label } = await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
		labelId = label.id;
		await associations.labels.create({
			key: 'partner',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Partner',
		});
	});

	test('Map Automatically From Input links each item from its fields, in one transaction', async () => {
		const items: IDataObject[] = [
			{ label: 'employee_employer', firstRecordId: 'a1', secondRecordId: 'co1' },
			{ labelKey: 'employee_employer', firstRecordId: 'a2', secondRecordId: 42 },
			{ label: labelId, firstRecordId: 'a3', secondRecordId: 'co3', extra: 'ignored' },
			// Object keys are checked against the label and swap the records when given the other way round.
			{
				labelId,
				firstObjectKey: 'company',
				firstRecordId: 'co4',
				secondObjectKey: 'contact',
				secondRecordId: 'a4',
			},
			{ label: 'partner', firstRecordId: 'a5', secondRecordId: 'a6' },
		];
		const writes = jest.spyOn(Store.prototype, 'write');
		const result = await runNode(credentials, items, autoNode('link'));
		const output = result.output('Link');
		expect(writes).toHaveBeenCalledTimes(1);
		expect(jsonOf(output).map((json) => json.status)).toEqual(Array(5).fill('created'));
		expect(pairedOf(output)).toEqual([0, 1, 2, 3, 4]);
		expect(output[3].json).toEqual(
			expect.objectContaining({ firstRecordId: 'a4', secondRecordId: 'co4' }),
		);
		expect(await linksOf(config, 'a')).toEqual(['a1-co1', 'a2-42', 'a3-co3', 'a4-co4', 'a5-a6']);

		const again = await runNode(credentials, items.slice(0, 1), autoNode('link'));
		expect(again.output('Link')[0].json.status).toBe('already_linked');
	});

	test('a missing or unusable field stops the node naming the item and the field', async () => {
		const result = await runNode(
			credentials,
			[
				{ label: 'employee_employer', firstRecordId: 'b1', secondRecordId: 'co1' },
				{ label: 'employee_employer', firstRecordId: 'b2' },
			],
			autoNode('link'),
		);
		const error = visibleError(result.nodeError('Link'));
		expect(error.itemIndex).toBe(1);
		expect(error.message).toBe('Item 1: the field "secondRecordId" is missing or empty.');
		expect(error.description).toContain('firstRecordId, secondRecordId');
		expect(await linksOf(config, 'b')).toEqual([]);
	});

	test('with Continue On Fail each bad item gets its own error item and the others are linked', async () => {
		const result = await runNode(
			credentials,
			[
				{ firstRecordId: 'd1', secondRecordId: 'co1' },
				{ label: 'employee_employer', firstRecordId: ['d2'], secondRecordId: 'co1' },
				{ label: 'employee_employer', firstRecordId: 'd3', secondRecordId: 'co1' },
				{
					label: 'employee_employer',
					firstRecordId: 'd4',
					secondRecordId: 'co1',
					firstObjectKey: 7,
				},
				{ label: 'nope', firstRecordId: 'd5', secondRecordId: 'co1' },
			],
			autoNode('link', 'continueRegularOutput'),
		);
		const output = result.output('Link');
		expect(jsonOf(output).map((json) => json.error ?? json.status)).toEqual([
			'Item 0: the field "label" (or "labelKey", or "labelId") is missing or empty.',
			'Item 1: the field "firstRecordId" must be text or a whole number, not a list.',
			'created',
			'Item 3: the field "firstObjectKey" must be text, not number.',
			expect.stringContaining('No association label with key "nope"'),
		]);
		expect(pairedOf(output)).toEqual([0, 1, 2, 3, 4]);
		expect(await linksOf(config, 'd')).toEqual(['d3-co1']);
	});

	test('Unlink and Unlink All map their fields automatically too', async () => {
		await runNode(
			credentials,
			[
				{ label: 'employee_employer', firstRecordId: 'u1', secondRecordId: 'co1' },
				{ label: 'employee_employer', firstRecordId: 'u1', secondRecordId: 'co2' },
				{ label: 'employee_employer', firstRecordId: 'u2', secondRecordId: 'co1' },
				{ label: 'partner', firstRecordId: 'u2', secondRecordId: 'u3' },
			],
			autoNode('link'),
		);
		const unlink = await runNode(
			credentials,
			[
				{ labelKey: 'employee_employer', firstRecordId: 'u1', secondRecordId: 'co1' },
				{ labelKey: 'employee_employer', firstRecordId: 'u1', secondRecordId: 'co9' },
			],
			autoNode('unlink'),
		);
		expect(jsonOf(unlink.output('Link')).map((json) => json.status)).toEqual([
			'deleted',
			'not_linked',
		]);
		expect(await linksOf(config, 'u')).toEqual(['u1-co2', 'u2-co1', 'u2-u3']);

		const unlinkAll = await runNode(
			credentials,
			[
				// "label" is not read by Unlink All (Get Related's "label" is a display name): all labels go.
				{ objectKey: 'contact', recordId: 'u1', label: 'Employee' },
				{ objectKey: 'contact', recordId: 'u2', labelKey: 'partner' },
				{ recordId: 'u9' },
			],
			autoNode('unlinkAll', 'continueRegularOutput'),
		);
		const output = unlinkAll.output('Link');
		expect(jsonOf(output).map((json) => json.error ?? json.deleted)).toEqual([
			1,
			1,
			'Item 2: the field "objectKey" is missing or empty.',
		]);
		expect(await linksOf(config, 'u')).toEqual(['u2-co1']);
	});

	test('the manual mode stays the default, and constant parameters apply to every item', async () => {
		const result = await runNode(credentials, [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }], {
			name: 'Link',
			type: 'linkRecords',
			parameters: {
				operation: 'link',
				label: rl('employee_employer', 'key'),
				firstRecordId: '={{ $json.id }}',
				secondRecordId: 'co7',
			},
		});
		expect(jsonOf(result.output('Link')).map((json) => json.status)).toEqual(
			Array(3).fill('created'),
		);
		expect(await linksOf(config, 'm')).toEqual(['m1-co7', 'm2-co7', 'm3-co7']);
	});
});
