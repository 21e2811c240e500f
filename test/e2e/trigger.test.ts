/**
 * The Association Trigger in a real n8n 2.40.7 started with `n8n start` (not the CLI's `execute`):
 * example 06 (trigger → owners → notification) and example 02 (webhook → Link Records) are published
 * (activated); the test calls example 02's production webhook over HTTP on 127.0.0.1, and example 06's
 * executions post what they received to a capture server. Then n8n is stopped, records are linked by
 * another execution (`n8n execute`) while it is down, and n8n is started again.
 * Asserted: each link reaches the trigger's workflow exactly once, in order, with names, records and the
 * actor of the execution that made it; nothing made while n8n was down is lost; nothing is repeated.
 */
import * as path from 'node:path';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { rawQuery } from '../support/stores';
import { DEFAULT_CREDENTIAL, expectSuccess, PKG, readExample } from './example-helpers';
import { createN8nHarness, E2E_PROVISION_TIMEOUT_MS, type N8nHarness } from './n8n-harness';
import { captureServer, postJson, startN8n, type Capture, type RunningN8n } from './n8n-server';

const CREDENTIAL_REF = {
	associationStoreApi: { id: DEFAULT_CREDENTIAL.id, name: DEFAULT_CREDENTIAL.name },
};
const TRIGGER = 'When a Buyer Is Linked';
/** everyMinute polls at a random second: a new link is picked up within ~60 s (plus the run). */
const POLL_WAIT_MS = 100_000;

const httpPost = (name: string, url: string, position: [number, number]) => ({
	id: `capture-${name.replace(/\W/g, '')}`,
	name,
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position,
	parameters: {
		method: 'POST',
		url,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json) }}',
		options: {},
	},
});

/** Example 06 plus two capture nodes: every trigger item, and every composed notification. */
function example06WithCapture(capture: Capture) {
	const workflow = readExample('06-notify-owner-on-buyer.json');
	workflow.nodes.push(
		httpPost('Capture Event', `${capture.url}/events`, [240, 220]),
		httpPost('Capture Notification', `${capture.url}/notify`, [720, 0]),
	);
	workflow.connections[TRIGGER].main[0].push({ node: 'Capture Event', type: 'main', index: 0 });
	workflow.connections['Compose Notification'] = {
		main: [[{ node: 'Capture Notification', type: 'main', index: 0 }]],
	};
	return workflow;
}

const LINK_WHILE_DOWN = {
	id: 'e2eLinkWhileDown',
	name: 'e2e link while n8n is down',
	nodes: [
		{
			id: 'm',
			name: 'Manual',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'c',
			name: 'Buyers',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: {
				jsCode:
					"return ['contact_1003', 'contact_1004'].map((contact) => ({ json: { contact, property: 'property_2001' } }));",
			},
		},
		{
			id: 'l',
			name: 'Link While Down',
			type: `${PKG}.linkRecords`,
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				operation: 'link',
				label: { __rl: true, mode: 'key', value: 'property_buyer_seller' },
				firstRecordId: '={{ $json.contact }}',
				secondRecordId: '={{ $json.property }}',
			},
			credentials: CREDENTIAL_REF,
		},
	],
	connections: {
		Manual: { main: [[{ node: 'Buyers', type: 'main', index: 0 }]] },
		Buyers: { main: [[{ node: 'Link While Down', type: 'main', index: 0 }]] },
	},
};

test('example 06 has an id, a sticky note and the default credential on each package node', () => {
	const workflow = readExample('06-notify-owner-on-buyer.json');
	expect(workflow.id).toMatch(/^[A-Za-z0-9]{16}$/);
	const sticky = workflow.nodes.find((node: any) => node.type === 'n8n-nodes-base.stickyNote');
	expect(sticky.parameters.content).toContain(
		"When a contact becomes a property's buyer, notify the owner",
	);
	const own = workflow.nodes.filter((node: any) => node.type.startsWith(`${PKG}.`));
	expect(own.map((node: any) => node.type)).toEqual([
		`${PKG}.associationTrigger`,
		`${PKG}.getRelatedObjects`,
	]);
	for (const node of own) expect(node.credentials).toEqual(CREDENTIAL_REF);
});

function withWebhookEnabled<W extends { nodes: Array<Record<string, unknown>> }>(workflow: W): W {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.type === 'n8n-nodes-base.webhook' ? { ...node, disabled: false } : node,
		),
	};
}

describe('Association Trigger in a running n8n', () => {
	let n8n: N8nHarness;
	let capture: Capture;
	let server: RunningN8n | undefined;
	let store: StoreConfig;
	// As its sticky note tells a user going to production: enable the webhook, then activate the workflow.
	const example02 = withWebhookEnabled(readExample('02-link-on-event.json'));
	const example06 = readExample('06-notify-owner-on-buyer.json');

	beforeAll(async () => {
		n8n = await createN8nHarness();
		capture = await captureServer();
		await n8n.importCredentials({
			...DEFAULT_CREDENTIAL,
			data: { storeType: 'sqlite', namespace: 'default' },
		});
		store = { type: 'sqlite', path: path.join(n8n.n8nFolder, 'associations.sqlite') };
		// The labels of example 01, and the owners the notifications go to.
		const core = await openAssociations(store, 'default');
		await core.labels.create({
			key: 'property_owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.property',
			firstLabel: 'Owner',
		});
		await core.labels.create({
			key: 'property_buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.property',
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		await core.links.linkMany([
			{
				label: { key: 'property_owner' },
				firstRecordId: 'contact_9001',
				secondRecordId: 'property_2001',
			},
			{
				label: { key: 'property_owner' },
				firstRecordId: 'contact_9002',
				secondRecordId: 'property_3001',
			},
		]);
		await closeAllStores();
		await n8n.importWorkflows([example02, example06WithCapture(capture), LINK_WHILE_DOWN]);
		for (const id of [example02.id, example06.id]) {
			const published = await n8n.run(['publish:workflow', `--id=${id}`]);
			expect(published.code).toBe(0);
		}
	}, E2E_PROVISION_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await capture?.close();
		await n8n?.cleanup();
	});

	/** The trigger's saved static data in n8n's database (written after activation and on each emit). */
	async function savedCursor(): Promise<number | undefined> {
		const rows = await rawQuery<{ staticData: string | null }>(
			{ type: 'sqlite', path: path.join(n8n.n8nFolder, 'database.sqlite') },
			'SELECT staticData FROM workflow_entity WHERE id = ?',
			[example06.id],
		);
		const data = JSON.parse(rows[0]?.staticData ?? '{}');
		return data[`node:${TRIGGER}`]?.position;
	}

	async function waitForCursor(): Promise<number> {
		for (let i = 0; i < 120; i++) {
			const position = await savedCursor();
			if (typeof position === 'number') return position;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`the trigger was not activated:\n${server?.log().slice(-3000)}`);
	}

	const linkViaWebhook = async (contactId: string, propertyId: string) => {
		const response = await postJson(`${server!.url}/webhook/link-buyer`, { contactId, propertyId });
		expect(response.status).toBe(200);
		return response.json;
	};

	const summary = (event: Record<string, unknown>) =>
		`${event.position} ${event.type} ${event.firstRecordId}→${event.secondRecordId}`;

	test(
		'links made through example 02’s webhook reach example 06 once, in order; none lost or repeated across a restart',
		async () => {
			server = await startN8n(n8n);
			expect(await waitForCursor()).toBe(4); // activation starts from now: 2 labels + 2 owner links

			// Example 02's webhook branch, end to end over HTTP
			expect(await linkViaWebhook('contact_1001', 'property_2001')).toMatchObject({
				status: 'created',
				labelKey: 'property_buyer_seller',
				firstRecordId: 'contact_1001',
				secondRecordId: 'property_2001',
			});
			expect(await linkViaWebhook('contact_1002', 'property_3001')).toMatchObject({
				status: 'created',
			});
			const links = await rawQuery(
				store,
				'SELECT first_record_id, second_record_id FROM association_links ORDER BY id',
			);
			expect(links.slice(2)).toEqual([
				{ first_record_id: 'contact_1001', second_record_id: 'property_2001' },
				{ first_record_id: 'contact_1002', second_record_id: 'property_3001' },
			]);

			const events = await capture.waitFor('/events', 2, POLL_WAIT_MS);
			expect(events.map(summary)).toEqual([
				'5 link.created contact_1001→property_2001',
				'6 link.created contact_1002→property_3001',
			]);
			expect(events[0]).toMatchObject({
				labelKey: 'property_buyer_seller',
				firstLabel: 'Buyer',
				secondLabel: 'Seller',
				firstObjectKey: 'contact',
				secondObjectKey: 'custom_objects.property',
				actor: { workflowId: example02.id, nodeName: 'Link Buyer to Property' },
			});
			expect(events[0].actor).toMatchObject({ executionId: expect.stringMatching(/^\d+$/) });
			const notifications = await capture.waitFor('/notify', 2, 30_000);
			expect(notifications).toEqual([
				{
					ownerId: 'contact_9001',
					message: 'Contact contact_1001 became Buyer of your property property_2001.',
				},
				{
					ownerId: 'contact_9002',
					message: 'Contact contact_1002 became Buyer of your property property_3001.',
				},
			]);
			await server.stop();
			expect(await savedCursor()).toBe(6);

			// n8n is down: another execution links two more buyers
			const offline = await n8n.executeWorkflow(LINK_WHILE_DOWN.id);
			expectSuccess(offline);

			server = await startN8n(n8n);
			const all = await capture.waitFor('/events', 4, POLL_WAIT_MS);
			await new Promise((resolve) => setTimeout(resolve, 3000)); // room for a repeat to show up
			expect(capture.received('/events').map(summary)).toEqual([
				'5 link.created contact_1001→property_2001',
				'6 link.created contact_1002→property_3001',
				'7 link.created contact_1003→property_2001',
				'8 link.created contact_1004→property_2001',
			]);
			expect(all[2].actor).toMatchObject({
				workflowId: LINK_WHILE_DOWN.id,
				nodeName: 'Link While Down',
			});
			expect((await capture.waitFor('/notify', 4, 30_000)).slice(2)).toEqual([
				{
					ownerId: 'contact_9001',
					message: 'Contact contact_1003 became Buyer of your property property_2001.',
				},
				{
					ownerId: 'contact_9001',
					message: 'Contact contact_1004 became Buyer of your property property_2001.',
				},
			]);
			expect(await savedCursor()).toBe(8);
		},
		10 * 60_000,
	);
});
