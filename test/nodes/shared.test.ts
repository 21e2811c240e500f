/** The nodes' shared layer on its own: credential → store configuration, actor, and error mapping (IExecuteFunctions mocked). */
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { AssociationError } from '../../core';
import { describeFailure, errorItem, itemFailure, toNodeError } from '../../nodes/shared/errors';
import { readRecordId } from '../../nodes/shared/parameters';
import { actorOf, resolveSqlitePath, storeConfigFromCredential } from '../../nodes/shared/store';

const node: INode = {
	id: 'n',
	name: 'Link Records',
	type: 'x.linkRecords',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function mockContext(
	overrides: Partial<Record<keyof IExecuteFunctions, unknown>> = {},
): IExecuteFunctions {
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-7', name: 'Sync', active: true }),
		getExecutionId: () => '42',
		...overrides,
	} as unknown as IExecuteFunctions;
}

describe('credential → store configuration', () => {
	test('PostgreSQL fields, with defaults for an empty port and schema', () => {
		expect(
			storeConfigFromCredential({
				storeType: 'postgres',
				host: ' db ',
				port: '',
				database: 'crm',
				user: 'n8n',
				password: 'p w',
				ssl: true,
				schema: '',
			}),
		).toEqual({
			type: 'postgres',
			host: 'db',
			port: 5432,
			database: 'crm',
			user: 'n8n',
			password: 'p w',
			ssl: true,
		});
		expect(
			storeConfigFromCredential({
				storeType: 'postgres',
				host: 'db',
				port: 6543,
				database: 'crm',
				user: 'u',
				schema: 'assoc',
			}),
		).toEqual(expect.objectContaining({ port: 6543, schema: 'assoc', password: '', ssl: false }));
	});

	test('SQLite paths: empty, home-relative, relative, absolute', () => {
		const env = { N8N_USER_FOLDER: '/srv/n8n' };
		expect(resolveSqlitePath('', env)).toBe('/srv/n8n/.n8n/associations.sqlite');
		expect(resolveSqlitePath(undefined, {})).toBe(
			path.join(os.homedir(), '.n8n', 'associations.sqlite'),
		);
		expect(resolveSqlitePath('~/data/a.sqlite', env)).toBe(
			path.join(os.homedir(), 'data/a.sqlite'),
		);
		expect(resolveSqlitePath('stores/a.sqlite', env)).toBe('/srv/n8n/.n8n/stores/a.sqlite');
		expect(resolveSqlitePath(' /var/lib/a.sqlite ', env)).toBe('/var/lib/a.sqlite');
	});
});

test('the actor names workflow, execution and node, and leaves out what n8n does not know', () => {
	expect(actorOf(mockContext())).toEqual({
		workflowId: 'wf-7',
		executionId: '42',
		nodeName: 'Link Records',
	});
	expect(
		actorOf(mockContext({ getWorkflow: () => ({ id: undefined }), getExecutionId: () => '' })),
	).toEqual({ nodeName: 'Link Records' });
});

describe('errors', () => {
	test('a core error keeps its message, gets a fix-it description, its item and its code', () => {
		const error = toNodeError(
			node,
			new AssociationError('IN_USE', 'Label "x" is still used by 2 links.', { links: 2 }),
			3,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Label "x" is still used by 2 links.');
		expect(error.description).toContain('Remove the links that use the label first');
		expect(error.context).toEqual(expect.objectContaining({ itemIndex: 3, code: 'IN_USE' }));
	});

	test('n8n does not swap a message mentioning a system error code for its generic text', () => {
		const error = toNodeError(
			node,
			new AssociationError(
				'STORE',
				'Could not connect to PostgreSQL at h:1/db: connect ECONNREFUSED 127.0.0.1:1. The host is unreachable.',
			),
		);
		expect(error.message).toBe(
			'Could not connect to PostgreSQL at h:1/db: connect ECONNREFUSED 127.0.0.1:1. The host is unreachable.',
		);
	});

	test('every core code maps to its own description; unknown errors count as store failures', () => {
		const codes = [
			'VALIDATION',
			'NOT_FOUND',
			'CONFLICT',
			'LABEL_LIMIT',
			'RECORD_LIMIT',
			'IN_USE',
			'CONFIRMATION_REQUIRED',
			'IMMUTABLE',
			'STORE',
		] as const;
		const descriptions = codes.map(
			(code) => describeFailure(new AssociationError(code, 'm')).description,
		);
		expect(new Set(descriptions).size).toBe(codes.length);
		expect(describeFailure(new Error('disk full'))).toEqual(
			expect.objectContaining({
				code: 'STORE',
				message: 'The association store could not be used: disk full',
			}),
		);
	});

	test('error items carry error, code and pairedItem; for the error output the code goes into details', () => {
		const failure = describeFailure(new AssociationError('NOT_FOUND', 'No label.'));
		expect(errorItem(node, failure, 4, { labelKey: 'x' })).toEqual({
			json: { labelKey: 'x', error: 'No label.', code: 'NOT_FOUND' },
			pairedItem: { item: 4 },
		});
		expect(
			errorItem({ ...node, onError: 'continueErrorOutput' }, failure, 4, { labelKey: 'x' }),
		).toEqual({
			json: { error: 'No label.', details: { labelKey: 'x', code: 'NOT_FOUND' } },
			pairedItem: { item: 4 },
		});
	});

	test("a batch input's failure names its n8n item; the batch position stays out of message and details", () => {
		const failure = itemFailure(
			{
				code: 'RECORD_LIMIT',
				message: 'contact record "a" already has 1 links through label "one"',
				details: { index: 3, labelKey: 'one' },
			},
			7,
		);
		expect(failure).toEqual({
			code: 'RECORD_LIMIT',
			message: 'Item 7: contact record "a" already has 1 links through label "one"',
			description: expect.stringContaining('Change limits of a label; the ceiling is 1,000'),
			details: { labelKey: 'one' },
		});
		expect(
			itemFailure({ code: 'NOT_FOUND', message: 'No association label with key "x".' }, 2),
		).toEqual({
			code: 'NOT_FOUND',
			message: 'Item 2: No association label with key "x".',
			description: expect.stringContaining('Create Association node'),
		});
	});
});

describe('record IDs from parameters', () => {
	const withValue = (value: unknown) => mockContext({ getNodeParameter: () => value });
	test('text and whole numbers pass; empty and objects fail with the item and a hint', () => {
		expect(readRecordId(withValue('abc'), 'firstRecordId', 0, 'First Record ID')).toBe('abc');
		expect(readRecordId(withValue(17), 'firstRecordId', 0, 'First Record ID')).toBe(17);
		expect(() => readRecordId(withValue(''), 'firstRecordId', 5, 'First Record ID')).toThrow(
			'First Record ID is empty for item 5.',
		);
		expect(() => readRecordId(withValue({ id: 1 }), 'firstRecordId', 1, 'First Record ID')).toThrow(
			'First Record ID for item 1 must be text or a whole number, not object.',
		);
	});
});
