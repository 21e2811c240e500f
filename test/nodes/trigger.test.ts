/**
 * The Association Trigger through n8n's PollContext: first activation starts from now, each event is
 * emitted once and in order, batches continue at the next poll, a restart resumes, filters apply,
 * "Fetch test event" shows the latest events without moving the cursor, retention prunes.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { closeAllStores, openAssociations, type StoreConfig } from '../../core';
import { resetPruneSchedule } from '../../nodes/shared/retention';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { jsonOf } from './helpers/assertions';
import { credentialFor, rl, runNode } from './helpers/engine';
import { activeTrigger } from './helpers/poll';

afterAll(async () => await closeAllStores());

const PROPERTY = 'custom_objects.property';

describe.each(DIALECTS)('Association Trigger on %s', (dialect) => {
	let config: StoreConfig;
	let credentials: Record<string, ICredentialDataDecryptedObject>;

	beforeEach(async () => {
		config = await freshStore(dialect);
		credentials = { associationStoreApi: credentialFor(config) };
		const core = await openAssociations(config, 'default');
		await core.labels.create({
			key: 'buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Property bought',
		});
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		});
	});

	/** Links through the Link Records node in workflow "wf-linker", as another execution would. */
	async function link(label: string, pairs: Array<[string, string]>, operation = 'link') {
		const result = await runNode(
			credentials,
			pairs.map(([first, second]) => ({ first, second })),
			{
				name: 'Link',
				type: 'linkRecords',
				parameters: {
					operation,
					label: rl(label, 'key'),
					firstRecordId: '={{ $json.first }}',
					secondRecordId: '={{ $json.second }}',
				},
			},
			'wf-linker',
		);
		expect(result.error).toBeUndefined();
	}

	const linksOf = (items: Array<{ json: IDataObject }> | null) =>
		(items ?? []).map(
			(item) => `${item.json.type} ${item.json.firstRecordId}-${item.json.secondRecordId}`,
		);

	test('starts from now, then emits each new event once, with names, keys, records, actor and time', async () => {
		await link('buyer_seller', [['c0', 'p0']]); // history before activation
		const trigger = activeTrigger(credentials, { events: ['link.created', 'link.deleted'] });
		expect(await trigger.poll()).toBeNull(); // activation: no flood of old history
		expect(trigger.savedStaticData()).toEqual({
			'node:Association Trigger': { position: 3, scope: expect.any(String) },
		});

		const before = new Date().toISOString();
		await link('buyer_seller', [['c1', 'p1']]);
		const items = await trigger.poll();
		expect(jsonOf(items ?? [])).toEqual([
			{
				type: 'link.created',
				eventId: expect.any(Number),
				position: 4,
				namespace: 'default',
				labelKey: 'buyer_seller',
				labelId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				firstLabel: 'Buyer',
				secondLabel: 'Property bought',
				firstObjectKey: 'contact',
				firstRecordId: 'c1',
				secondObjectKey: PROPERTY,
				secondRecordId: 'p1',
				linkId: expect.any(String),
				actor: { workflowId: 'wf-linker', executionId: expect.any(String), nodeName: 'Link' },
				occurredAt: expect.any(String),
			},
		]);
		expect(String(items![0].json.occurredAt) >= before).toBe(true);
		expect(await trigger.poll()).toBeNull(); // no repeat

		await link('buyer_seller', [['c1', 'p1']], 'unlink');
		await link('spouse', [['c1', 'c2']]);
		expect(linksOf(await trigger.poll())).toEqual(['link.deleted c1-p1', 'link.created c1-c2']);
	});

	test('a poll emits at most the batch size; the rest follow at the next polls, in order', async () => {
		const trigger = activeTrigger(credentials, {
			events: ['link.created'],
			options: { batchSize: 2 },
		});
		await trigger.poll();
		await link('buyer_seller', [
			['a', 'p1'],
			['b', 'p1'],
			['c', 'p1'],
			['d', 'p1'],
			['e', 'p1'],
		]);
		expect(linksOf(await trigger.poll())).toEqual(['link.created a-p1', 'link.created b-p1']);
		expect(linksOf(await trigger.poll())).toEqual(['link.created c-p1', 'link.created d-p1']);
		expect(linksOf(await trigger.poll())).toEqual(['link.created e-p1']);
		expect(await trigger.poll()).toBeNull();
	});

	test('after a restart it resumes from the saved cursor: nothing repeated, nothing made meanwhile lost', async () => {
		const first = activeTrigger(credentials, { events: ['link.created'] });
		await first.poll();
		await link('buyer_seller', [['c1', 'p1']]);
		expect(linksOf(await first.poll())).toEqual(['link.created c1-p1']);
		const saved = first.savedStaticData(); // what n8n stored when it emitted

		await link('buyer_seller', [
			['c2', 'p1'],
			['c3', 'p1'],
		]); // while n8n is down
		const restarted = activeTrigger(credentials, { events: ['link.created'] }, saved);
		expect(linksOf(await restarted.poll())).toEqual(['link.created c2-p1', 'link.created c3-p1']);
		expect(await restarted.poll()).toBeNull();
	});

	test('filters: event types, labels (picker) and object', async () => {
		const byLabel = activeTrigger(credentials, {
			events: ['link.created', 'label.renamed'],
			onlyLabels: { labels: [{ label: rl('spouse') }] },
		});
		const byObject = activeTrigger(credentials, {
			events: ['link.created', 'label.created'],
			options: { objectKey: rl(PROPERTY) },
		});
		await byLabel.poll();
		await byObject.poll();
		await link('buyer_seller', [['c1', 'p1']]);
		await link('spouse', [['c1', 'c2']]);
		const core = await openAssociations(config, 'default');
		await core.labels.rename({ key: 'spouse' }, { firstLabel: 'Partner' });
		await core.labels.create({
			key: 'pets',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Owner',
		});

		const spouse = await byLabel.poll();
		expect(jsonOf(spouse ?? []).map((json) => [json.type, json.labelKey, json.firstLabel])).toEqual(
			[
				['link.created', 'spouse', 'Partner'],
				['label.renamed', 'spouse', 'Partner'],
			],
		);
		expect(spouse![1].json).toMatchObject({
			from: { firstLabel: 'Spouse', secondLabel: 'Spouse' },
			to: { firstLabel: 'Partner', secondLabel: 'Partner' },
		});
		expect(linksOf(await byObject.poll())).toEqual(['link.created c1-p1']);
	});

	test('Fetch test event shows the latest matching events and leaves the cursor alone', async () => {
		const trigger = activeTrigger(credentials, { events: ['link.created'] });
		await trigger.poll();
		const cursor = trigger.savedStaticData();
		await link(
			'buyer_seller',
			Array.from({ length: 12 }, (_, i): [string, string] => [`c${i}`, 'p1']),
		);
		const sample = await trigger.poll('manual');
		expect(linksOf(sample)).toEqual(
			Array.from({ length: 10 }, (_, i) => `link.created c${i + 2}-p1`), // the latest 10, oldest first
		);
		expect(trigger.savedStaticData()).toEqual(cursor);
		expect(jsonOf((await trigger.poll()) ?? [])).toHaveLength(12); // the active trigger still gets all

		const nothing = activeTrigger(credentials, { events: ['label.deleted'] });
		await expect(nothing.poll('manual')).rejects.toThrow(
			'No association events match yet in namespace "default".',
		);
	});

	test('another credential (store or namespace) starts again from now instead of mixing cursors', async () => {
		const trigger = activeTrigger(credentials, { events: ['link.created'] });
		await trigger.poll();
		await link('buyer_seller', [['c1', 'p1']]);
		const saved = trigger.savedStaticData();
		const other = { associationStoreApi: credentialFor(config, 'tenant_b') };
		const moved = activeTrigger(other, { events: ['link.created'] }, saved);
		expect(await moved.poll()).toBeNull();
		expect((moved.savedStaticData()['node:Association Trigger'] as IDataObject).position).toBe(0);
	});

	test('with retention on the credential, a poll prunes events older than the days kept', async () => {
		const keep7 = {
			associationStoreApi: {
				...credentialFor(config),
				eventRetention: 'days',
				eventRetentionDays: 7,
			},
		};
		const trigger = activeTrigger(keep7, { events: ['link.created'] });
		await trigger.poll();
		await link('buyer_seller', [['c1', 'p1']]);
		const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
		await rawQuery(
			config,
			"UPDATE association_events SET created_at = ? WHERE type = 'label.created'",
			[tenDaysAgo],
		);
		resetPruneSchedule();
		expect(linksOf(await trigger.poll())).toEqual(['link.created c1-p1']);
		const types = await rawQuery<{ type: string }>(
			config,
			'SELECT type FROM association_events ORDER BY position',
		);
		expect(types.map((row) => row.type)).toEqual(['link.created']);
	});

	test('an empty Events choice is refused with the fix', async () => {
		const trigger = activeTrigger(credentials, { events: [] });
		await expect(trigger.poll()).rejects.toThrow(
			'Events is empty: choose at least one of Link Created',
		);
	});
});
