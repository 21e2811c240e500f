/**
 * Parameters whose expressions only read the input item's own field ({{ $json.id }}) are resolved from the
 * item without n8n's expression engine; the result must be what n8n gives, and anything else (other
 * expressions, missing fields, objects) must still go through n8n, with n8n's own values and errors.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { closeAllStores, openAssociations } from '../../core';
import { perExecutionParameters } from '../../nodes/shared/execution-parameters';
import { NOT_SIMPLE, resolveSimple } from '../../nodes/shared/simple-expression';
import { freshStore, rawQuery } from '../support/stores';
import { jsonOf, pairedOf, visibleError } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

describe('resolveSimple', () => {
	const json = { id: 'c1', n: 7, nested: { key: 'k', 'a b': 'x' }, empty: '', obj: {}, nil: null };

	test('reads the item field of a whole-parameter $json expression', () => {
		expect(resolveSimple('={{ $json.id }}', json)).toBe('c1');
		expect(resolveSimple('={{$json.n}}', json)).toBe(7);
		expect(resolveSimple('={{ $json.nested.key }}', json)).toBe('k');
		expect(resolveSimple('={{ $json["nested"]["a b"] }}', json)).toBe('x');
		expect(resolveSimple("={{ $json['id'] }}", json)).toBe('c1');
		expect(resolveSimple('={{ $json.empty }}', json)).toBe('');
		expect(resolveSimple(rl('={{ $json.id }}', 'key'), json)).toEqual(rl('c1', 'key'));
		expect(resolveSimple({ labels: [{ label: rl('={{ $json.nested.key }}') }] }, json)).toEqual({
			labels: [{ label: rl('k') }],
		});
		expect(resolveSimple('plain', json)).toBe('plain');
	});

	test('leaves everything else to n8n', () => {
		for (const raw of [
			'={{ $json.missing }}',
			'={{ $json.obj }}',
			'={{ $json.nil }}',
			'={{ $json.nested.missing.deeper }}',
			'={{ $json.id.trim() }}',
			'={{ $json.id }} and more',
			'=c-{{ $json.id }}',
			'={{ $json.constructor }}',
			'={{ $json.__proto__ }}',
			'={{ $("Emit Items").item.json.id }}',
			'={{ $json.toString }}',
			rl('={{ $json.id + 1 }}'),
		])
			expect(resolveSimple(raw, json)).toBe(NOT_SIMPLE);
		expect(resolveSimple('={{ $json.id }}', undefined)).toBe(NOT_SIMPLE);
	});

	test('perExecutionParameters asks n8n only for the expressions it cannot read itself', () => {
		const getNodeParameter = jest.fn(() => 'from n8n');
		const context = {
			getNode: () => ({
				parameters: { recordId: '={{ $json.id }}', other: '={{ $json.id.trim() }}' },
			}),
			getInputData: () => [{ json: { id: 'c1' } }, { json: {} }],
			getNodeParameter,
		} as unknown as IExecuteFunctions;
		const parameters = perExecutionParameters(context);
		expect(parameters.getNodeParameter('recordId', 0)).toBe('c1');
		expect(getNodeParameter).not.toHaveBeenCalled();
		expect(parameters.getNodeParameter('recordId', 1)).toBe('from n8n');
		expect(parameters.getNodeParameter('other', 0)).toBe('from n8n');
		expect(getNodeParameter).toHaveBeenCalledTimes(2);
	});
});

describe('through n8n', () => {
	let credentials: Record<string, ICredentialDataDecryptedObject>;
	let config: Awaited<ReturnType<typeof freshStore>>;

	beforeAll(async () => {
		config = await freshStore('sqlite');
		credentials = { associationStoreApi: credentialFor(config) };
		const associations = await openAssociations(config, 'default');
		await associations.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
	});

	const linkNode = (parameters: IDataObject) => ({
		name: 'Link',
		type: 'linkRecords',
		parameters: { operation: 'link', ...parameters },
	});

	test('Link Records with {{ $json.… }} expressions links what the same values through n8n link', async () => {
		const items = [
			{ label: 'employee_employer', contact: { id: 'p1' }, company: 'q1' },
			{ label: 'employee_employer', contact: { id: 42 }, company: 'q2' },
		];
		const simple = await runNode(
			credentials,
			items,
			linkNode({
				label: rl('={{ $json.label }}', 'key'),
				firstRecordId: '={{ $json.contact.id }}',
				secondRecordId: '={{ $json["company"] }}',
			}),
		);
		const viaEngine = await runNode(
			credentials,
			items,
			linkNode({
				label: rl('={{ $json.label.trim() }}', 'key'),
				firstRecordId: '={{ $json.contact.id }}',
				secondRecordId: '={{ $json.company + "" }}',
			}),
		);
		const fields = (json: IDataObject) => [json.status, json.firstRecordId, json.secondRecordId];
		expect(jsonOf(simple.output('Link')).map(fields)).toEqual([
			['created', 'p1', 'q1'],
			['created', '42', 'q2'],
		]);
		expect(jsonOf(viaEngine.output('Link')).map(fields)).toEqual([
			['already_linked', 'p1', 'q1'],
			['already_linked', '42', 'q2'],
		]);
		expect(pairedOf(simple.output('Link'))).toEqual([0, 1]);
		const rows = await rawQuery<{ f: string; s: string }>(
			config,
			`SELECT first_record_id AS f, second_record_id AS s FROM association_links WHERE first_record_id IN ('p1', '42') ORDER BY f`,
		);
		expect(rows).toEqual([
			{ f: '42', s: 'q2' },
			{ f: 'p1', s: 'q1' },
		]);
	});

	test('a missing field still fails as n8n resolves it, naming the item', async () => {
		const run = await runNode(
			credentials,
			[{ label: 'employee_employer', first: 'p9', second: 's9' }, { label: 'employee_employer' }],
			linkNode({
				label: rl('={{ $json.label }}', 'key'),
				firstRecordId: '={{ $json.first }}',
				secondRecordId: '={{ $json.second }}',
			}),
		);
		expect(visibleError(run.nodeError('Link'))).toMatchObject({
			message: 'First Record ID is empty for item 1.',
			itemIndex: 1,
		});
	});
});
