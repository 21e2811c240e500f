/**
 * A real n8n 2.40.7 (headless `n8n execute`), this package loaded as an installed community package:
 * - a per-record limit broken inside one Link Records batch: the run fails with our message and the item index;
 *   with Continue On Fail the other item is linked and the failing one carries error + code;
 * - examples 01 and 02 against PostgreSQL (a fresh database on the jest PostgreSQL), rows checked there;
 * - example 05 (AI agent): imports, exports back with the tool node, and n8n resolves the tool node type.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { StoreConfig } from '../../core';
import { freshStore, rawQuery } from '../support/stores';
import { DEFAULT_CREDENTIAL, eventsOf, expectSuccess, PKG, readExample } from './example-helpers';
import {
	createN8nHarness,
	E2E_PROVISION_TIMEOUT_MS,
	E2E_TEST_TIMEOUT_MS,
	type N8nHarness,
} from './n8n-harness';

const PG_CREDENTIAL = {
	id: 'assocStorePgE2e1',
	name: 'Association Store (PostgreSQL)',
	type: 'associationStoreApi',
};
const credentialRef = {
	associationStoreApi: { id: DEFAULT_CREDENTIAL.id, name: DEFAULT_CREDENTIAL.name },
};
const LIMIT_MESSAGE =
	'Item 1: contact record "contact_9" already has 1 link through label "primary_residence"';

/** A label with firstLimit 1, then two items linking the same contact to two properties. */
function limitWorkflow(id: string, continueOnFail: boolean) {
	return {
		id,
		name: `e2e limit ${continueOnFail ? 'continue' : 'stop'}`,
		nodes: [
			{
				id: 'l1',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'l2',
				name: 'Create Resident Label',
				type: `${PKG}.createAssociation`,
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					operation: 'create',
					firstObjectKey: { __rl: true, mode: 'list', value: 'contact' },
					secondObjectKey: { __rl: true, mode: 'key', value: 'custom_objects.property' },
					labelType: 'single',
					labelName: 'Resident',
					options: { key: 'primary_residence', firstLimit: 1 },
				},
				credentials: credentialRef,
			},
			{
				id: 'l3',
				name: 'Two Properties',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [400, 0],
				parameters: {
					jsCode:
						"return [{ json: { contactId: 'contact_9', propertyId: 'property_a' } }, { json: { contactId: 'contact_9', propertyId: 'property_b' } }];",
				},
			},
			{
				id: 'l4',
				name: 'Link Records',
				type: `${PKG}.linkRecords`,
				typeVersion: 1,
				position: [600, 0],
				parameters: {
					operation: 'link',
					label: { __rl: true, mode: 'key', value: 'primary_residence' },
					firstRecordId: '={{ $json.contactId }}',
					secondRecordId: '={{ $json.propertyId }}',
				},
				credentials: credentialRef,
				...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Create Resident Label', type: 'main', index: 0 }]] },
			'Create Resident Label': { main: [[{ node: 'Two Properties', type: 'main', index: 0 }]] },
			'Two Properties': { main: [[{ node: 'Link Records', type: 'main', index: 0 }]] },
		},
	};
}

/** An example with another id, its package nodes pointed at another credential. */
function withCredential(example: any, id: string, credential: { id: string; name: string }) {
	const copy = structuredClone(example);
	copy.id = id;
	copy.name = `${copy.name} (e2e copy)`;
	for (const node of copy.nodes)
		if (node.credentials?.associationStoreApi)
			node.credentials = { associationStoreApi: { id: credential.id, name: credential.name } };
	return copy;
}

const AI = readExample('05-ai-agent-tool.json');
const TOOL_TYPE = `${PKG}.getRelatedObjectsTool`;
/** 05 plus a Manual Trigger that is connected to nothing: `execute` builds the whole workflow (resolving every node type) and runs only the trigger. */
const AI_RESOLVE = {
	...structuredClone(AI),
	id: 'e2eAiResolveType',
	name: 'e2e AI example, node types resolved',
	nodes: [
		...structuredClone(AI.nodes),
		{
			id: 'm0',
			name: 'Manual',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 400],
			parameters: {},
		},
	],
};
/** The same with a misspelt tool type: proves the run above really resolves node types. */
const AI_BROKEN = {
	...structuredClone(AI_RESOLVE),
	id: 'e2eAiBrokenType1',
	name: 'e2e AI example, wrong tool type',
	nodes: AI_RESOLVE.nodes.map((node: any) =>
		node.type === TOOL_TYPE ? { ...node, type: `${PKG}.getRelatedObjectsTools` } : node,
	),
};

describe('a real n8n: limit errors, PostgreSQL, the AI example', () => {
	let n8n: N8nHarness;
	let sqlite: StoreConfig;
	let postgres: Extract<StoreConfig, { type: 'postgres' }>;

	beforeAll(async () => {
		postgres = (await freshStore('postgres')) as Extract<StoreConfig, { type: 'postgres' }>;
		n8n = await createN8nHarness();
		await n8n.importCredentials([
			{ ...DEFAULT_CREDENTIAL, data: { storeType: 'sqlite', namespace: 'default' } },
			{
				...PG_CREDENTIAL,
				data: {
					storeType: 'postgres',
					host: postgres.host,
					port: postgres.port ?? 5432,
					database: postgres.database,
					user: postgres.user,
					password: postgres.password ?? '',
					ssl: false,
					schema: 'public',
					namespace: 'default',
				},
			},
		]);
		await n8n.importWorkflows([
			limitWorkflow('e2eLimitStop0001', false),
			limitWorkflow('e2eLimitContinue', true),
			withCredential(readExample('01-set-up-labels.json'), 'e2ePgSetupLabels', PG_CREDENTIAL),
			withCredential(readExample('02-link-on-event.json'), 'e2ePgLinkOnEvent', PG_CREDENTIAL),
			AI,
			AI_RESOLVE,
			AI_BROKEN,
		]);
		sqlite = { type: 'sqlite', path: path.join(n8n.n8nFolder, 'associations.sqlite') };
	}, E2E_PROVISION_TIMEOUT_MS);

	afterAll(async () => await n8n?.cleanup());

	test(
		'a batch over a label limit fails with our message and the item index; nothing is stored',
		async () => {
			const result = await n8n.executeWorkflow('e2eLimitStop0001');
			expect(result.ok).toBe(false);
			expect(result.exitCode).toBe(1);
			expect(result.status).toBe('error');
			expect(result.error).toEqual(
				expect.objectContaining({
					node: 'Link Records',
					itemIndex: 1,
					message: expect.stringContaining(LIMIT_MESSAGE),
					name: 'NodeOperationError',
				}),
			);
			expect(result.raw.data.resultData.error.context.itemIndex).toBe(1);
			// the label was created before the failing node; the failed batch wrote no link
			expect(result.nodeItems('Create Resident Label')).toEqual([
				expect.objectContaining({
					json: expect.objectContaining({ created: true, key: 'primary_residence', firstLimit: 1 }),
				}),
			]);
			expect(await rawQuery(sqlite, 'SELECT id FROM association_links')).toEqual([]);
			expect(await eventsOf(sqlite, 'link.created')).toEqual([]);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'with Continue On Fail the other item is linked and the failing one has error and code',
		async () => {
			const result = await n8n.executeWorkflow('e2eLimitContinue');
			expectSuccess(result);
			expect(result.lastNode).toBe('Link Records');
			expect(result.json).toEqual([
				expect.objectContaining({
					status: 'created',
					labelKey: 'primary_residence',
					firstRecordId: 'contact_9',
					secondRecordId: 'property_a',
				}),
				{
					labelKey: 'primary_residence',
					error: expect.stringContaining(LIMIT_MESSAGE),
					code: 'RECORD_LIMIT',
				},
			]);
			expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const links = await rawQuery(
				sqlite,
				'SELECT first_record_id, second_record_id FROM association_links',
			);
			expect(links).toEqual([{ first_record_id: 'contact_9', second_record_id: 'property_a' }]);
			const events = await eventsOf(sqlite, 'link.created');
			expect(events).toEqual([
				{
					labelKey: 'primary_residence',
					first: 'contact_9',
					second: 'property_a',
					actor: expect.objectContaining({
						workflowId: 'e2eLimitContinue',
						nodeName: 'Link Records',
					}),
				},
			]);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'examples 01 and 02 store labels, links and events in PostgreSQL',
		async () => {
			const setup = await n8n.executeWorkflow('e2ePgSetupLabels');
			expectSuccess(setup);
			expect(setup.json).toEqual([expect.objectContaining({ created: true, key: 'spouse' })]);
			const linked = await n8n.executeWorkflow('e2ePgLinkOnEvent');
			expectSuccess(linked);
			expect(linked.json).toEqual([
				expect.objectContaining({
					status: 'created',
					firstRecordId: 'contact_1001',
					secondRecordId: 'property_2001',
				}),
			]);

			const labels = await rawQuery<{ key: string; first_label: string; second_label: string }>(
				postgres,
				'SELECT key, first_label, second_label FROM association_labels ORDER BY key',
			);
			expect(labels).toEqual([
				{ key: 'property_buyer_seller', first_label: 'Buyer', second_label: 'Seller' },
				{ key: 'property_owner', first_label: 'Owner', second_label: 'Owner' },
				{ key: 'spouse', first_label: 'Spouse', second_label: 'Spouse' },
			]);
			const links = await rawQuery(
				postgres,
				'SELECT b.key, l.namespace, l.first_record_id, l.second_record_id FROM association_links l JOIN association_labels b ON b.id = l.label_id',
			);
			expect(links).toEqual([
				{
					key: 'property_buyer_seller',
					namespace: 'default',
					first_record_id: 'contact_1001',
					second_record_id: 'property_2001',
				},
			]);
			expect(
				(await eventsOf(postgres, 'label.created')).map((e) => [
					e.labelKey,
					e.actor.workflowId,
					e.actor.nodeName,
				]),
			).toEqual([
				['property_owner', 'e2ePgSetupLabels', 'Create Owner Label'],
				['property_buyer_seller', 'e2ePgSetupLabels', 'Create Buyer/Seller Label'],
				['spouse', 'e2ePgSetupLabels', 'Create Spouse Label'],
			]);
			expect(await eventsOf(postgres, 'link.created')).toEqual([
				{
					labelKey: 'property_buyer_seller',
					first: 'contact_1001',
					second: 'property_2001',
					actor: expect.objectContaining({
						workflowId: 'e2ePgLinkOnEvent',
						nodeName: 'Link Buyer to Property',
					}),
				},
			]);
			// the SQLite store of the default credential saw none of it
			expect(
				await rawQuery(sqlite, "SELECT key FROM association_labels WHERE key = 'spouse'"),
			).toEqual([]);
		},
		E2E_TEST_TIMEOUT_MS,
	);

	test(
		'05 (AI agent) imports with Get Related Objects as an ai_tool, and n8n resolves the tool node type',
		async () => {
			const tool = AI.nodes.find((node: any) => node.type === TOOL_TYPE);
			expect(tool).toBeDefined();
			expect(AI.connections[tool.name]).toEqual({
				ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
			});

			const out = path.join(n8n.userFolder, 'export-05.json');
			const exported = await n8n.run(['export:workflow', `--id=${AI.id}`, `--output=${out}`]);
			expect(exported.code).toBe(0);
			const [stored] = JSON.parse(fs.readFileSync(out, 'utf8'));
			expect(stored.id).toBe(AI.id);
			expect(stored.nodes.find((node: any) => node.name === tool.name)).toEqual(
				expect.objectContaining({ type: TOOL_TYPE, typeVersion: 1, credentials: credentialRef }),
			);
			expect(stored.connections[tool.name]).toEqual(AI.connections[tool.name]);

			// execute builds the Workflow (every node type looked up, the tool variant generated from usableAsTool)
			const resolved = await n8n.executeWorkflow(AI_RESOLVE.id);
			// The printed run (status success) is the proof that every node type resolved. With the LangChain nodes
			// loaded, n8n was once seen dying by a signal while tearing down after printing it; that is not ours.
			if (resolved.signal === null) expectSuccess(resolved);
			expect({
				status: resolved.status,
				lastNode: resolved.lastNode,
				error: resolved.error,
			}).toEqual({ status: 'success', lastNode: 'Manual', error: undefined });
			const broken = await n8n.executeWorkflow(AI_BROKEN.id);
			expect(broken.ok).toBe(false);
			expect(`${broken.error?.message} ${broken.stdout}`).toContain(
				`Unrecognized node type: ${PKG}.getRelatedObjectsTools`,
			);
		},
		E2E_TEST_TIMEOUT_MS,
	);
});
