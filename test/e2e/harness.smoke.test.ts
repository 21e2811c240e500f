/**
 * Smoke test of the real-n8n harness: n8n 2.40.7 provisioned by scripts/provision-n8n.sh (first run ~6 min,
 * then cached outside the clone), workflows imported and executed through the n8n CLI.
 *
 * - built-in nodes only: Manual Trigger -> Code (2 items, runs in n8n's JS task runner) -> Set
 * - a tiny community package (test/e2e/fixtures/n8n-nodes-e2e-fixture) loaded the way an installed package is:
 *   credential imported headlessly with plain-text data, a NodeOperationError with itemIndex, Continue On Fail.
 */
import * as path from 'node:path';
import {
	createN8nHarness,
	E2E_PROVISION_TIMEOUT_MS as PROVISION_TIMEOUT,
	E2E_TEST_TIMEOUT_MS as N8N_TIMEOUT,
	N8nHarness,
	parseExecuteOutput,
} from './n8n-harness';
const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'n8n-nodes-e2e-fixture');

const manual = {
	id: 'n-manual',
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const twoItems = {
	id: 'n-code',
	name: 'Two Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [220, 0],
	parameters: {
		jsCode: "return [{ json: { n: 1, name: 'first' } }, { json: { n: 2, name: 'second' } }];",
	},
};
const link = (from: string, to: string) => ({
	[from]: { main: [[{ node: to, type: 'main', index: 0 }]] },
});

describe('parseExecuteOutput (no n8n needed)', () => {
	const success = [
		'n8n Task Broker ready on 127.0.0.1, port 5679',
		'Registered runner "JS Task Runner" (abc)',
		JSON.stringify(
			{
				data: {
					resultData: {
						runData: { A: [{ data: { main: [[{ json: { x: 1 }, pairedItem: { item: 0 } }]] } }] },
						lastNodeExecuted: 'A',
					},
				},
				status: 'success',
			},
			null,
			2,
		),
		'',
	].join('\n');

	it('reads the run JSON of a success among log lines', () => {
		const r = parseExecuteOutput({
			code: 0,
			signal: null,
			stdout: success,
			stderr: '',
			seconds: 1,
		});
		expect(r.ok).toBe(true);
		expect(r.lastNode).toBe('A');
		expect(r.json).toEqual([{ x: 1 }]);
	});

	it('reads error, node and itemIndex of a failed run', () => {
		const run = {
			data: {
				resultData: {
					error: {
						name: 'NodeOperationError',
						message: 'bad',
						description: 'fix',
						context: { itemIndex: 3 },
						node: { name: 'B' },
					},
					runData: { B: [{ executionStatus: 'error', error: { message: 'bad' } }] },
					lastNodeExecuted: 'B',
				},
			},
			status: 'error',
		};
		const stdout = `Execution error:\n====================================\n${JSON.stringify(run, null, 2)}\nError executing workflow. See log messages for details.\n`;
		const r = parseExecuteOutput({ code: 1, signal: null, stdout, stderr: '', seconds: 1 });
		expect(r.ok).toBe(false);
		expect(r.status).toBe('error');
		expect(r.items).toEqual([]);
		expect(r.error).toEqual({
			message: 'bad',
			description: 'fix',
			itemIndex: 3,
			node: 'B',
			name: 'NodeOperationError',
		});
	});

	it('reports a crash without run JSON (e.g. the package did not load)', () => {
		const stdout = [
			'Error executing workflow. See log messages for details.',
			'',
			'Execution error:',
			'====================================',
			'Unrecognized node type: CUSTOM.fakeAssoc',
			'Error: Unrecognized node type: CUSTOM.fakeAssoc',
			'',
		].join('\n');
		const r = parseExecuteOutput({ code: 1, signal: null, stdout, stderr: '', seconds: 1 });
		expect(r.ok).toBe(false);
		expect(r.status).toBe('crashed');
		expect(r.error?.message).toBe('Unrecognized node type: CUSTOM.fakeAssoc');
	});

	it('reports an unknown workflow id', () => {
		const stdout =
			'[license SDK] Skipping renewal on init\nThe workflow with the id "nope" does not exist.\n';
		const r = parseExecuteOutput({ code: 1, signal: null, stdout, stderr: '', seconds: 1 });
		expect(r.error?.message).toBe('The workflow with the id "nope" does not exist.');
	});
});

describe('real n8n: built-in nodes', () => {
	let n8n: N8nHarness;
	beforeAll(async () => {
		n8n = await createN8nHarness({ loadMode: 'none' });
	}, PROVISION_TIMEOUT);
	afterAll(async () => {
		await n8n?.cleanup();
	});

	it(
		"runs Manual Trigger -> Code -> Set and returns the last node's 2 items",
		async () => {
			const setNode = {
				id: 'n-set',
				name: 'Tag',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [440, 0],
				parameters: {
					assignments: { assignments: [{ id: 'a1', name: 'tag', value: 'smoke', type: 'string' }] },
					includeOtherFields: true,
					options: {},
				},
			};
			const id = await n8n.importWorkflow({
				name: 'harness smoke',
				nodes: [manual, twoItems, setNode],
				connections: { ...link('Manual', 'Two Items'), ...link('Two Items', 'Tag') },
			});
			const result = await n8n.executeWorkflow(id);
			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');
			expect(result.exitCode).toBe(0);
			expect(result.lastNode).toBe('Tag');
			expect(result.json).toEqual([
				{ n: 1, name: 'first', tag: 'smoke' },
				{ n: 2, name: 'second', tag: 'smoke' },
			]);
			expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(result.nodeItems('Two Items').map((i) => i.json.n)).toEqual([1, 2]);
		},
		N8N_TIMEOUT,
	);
});

describe('real n8n: a community package (fixture)', () => {
	let n8n: N8nHarness;
	let credentialId: string;
	const credentials = () => ({ e2eFixtureApi: { id: credentialId, name: 'Fixture credential' } });
	const fixtureWorkflow = (name: string, failOn: number, continueOnFail = false) => ({
		name,
		nodes: [
			manual,
			twoItems,
			{
				id: 'n-fixture',
				name: 'Fixture',
				type: 'n8n-nodes-e2e-fixture.e2eFixture', // <package name>.<node name>, as for an installed package
				typeVersion: 1,
				position: [440, 0],
				parameters: { failOn },
				credentials: credentials(),
				...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: { ...link('Manual', 'Two Items'), ...link('Two Items', 'Fixture') },
	});
	let ids: string[];

	beforeAll(async () => {
		n8n = await createN8nHarness({ packageDir: FIXTURE_DIR, loadMode: 'package' });
		[credentialId] = await n8n.importCredentials({
			name: 'Fixture credential',
			type: 'e2eFixtureApi',
			data: { sqlitePath: path.join(n8n.n8nFolder, 'associations.sqlite'), secret: 's3cret' },
		});
		ids = await n8n.importWorkflows([
			fixtureWorkflow('fixture ok', -1),
			fixtureWorkflow('fixture fails on item 1', 1),
			fixtureWorkflow('fixture continues on fail', 1, true),
		]);
	}, PROVISION_TIMEOUT);
	afterAll(async () => {
		await n8n?.cleanup();
	});

	it(
		'loads the package and hands the node its decrypted credential',
		async () => {
			const result = await n8n.executeWorkflow(ids[0]);
			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([
				{
					n: 1,
					name: 'first',
					sqlitePath: path.join(n8n.n8nFolder, 'associations.sqlite'),
					secret: 's3cret',
					userFolder: n8n.userFolder,
				},
				{
					n: 2,
					name: 'second',
					sqlitePath: path.join(n8n.n8nFolder, 'associations.sqlite'),
					secret: 's3cret',
					userFolder: n8n.userFolder,
				},
			]);
		},
		N8N_TIMEOUT,
	);

	it(
		'reports a NodeOperationError with its itemIndex and description',
		async () => {
			const result = await n8n.executeWorkflow(ids[1]);
			expect(result.ok).toBe(false);
			expect(result.exitCode).toBe(1);
			expect(result.status).toBe('error');
			expect(result.error).toEqual({
				message: 'Item 1 was asked to fail',
				description: 'Set "Fail On Item" to -1',
				itemIndex: 1,
				node: 'Fixture',
				name: 'NodeOperationError',
			});
		},
		N8N_TIMEOUT,
	);

	it(
		'with Continue On Fail (regular output) gives the failing item an error and keeps the others',
		async () => {
			const result = await n8n.executeWorkflow(ids[2]);
			expect(result.ok).toBe(true);
			expect(result.json[0]).toMatchObject({ n: 1, secret: 's3cret' });
			expect(result.json[1]).toEqual({ error: 'Item 1 was asked to fail' });
			expect(result.items[1].pairedItem).toEqual({ item: 1 });
		},
		N8N_TIMEOUT,
	);
});
