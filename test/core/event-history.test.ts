import 'reflect-metadata';
import { closeAllStores, openAssociations } from '../../core';
import { createDataSource } from '../../core/store/data-source';
import { CreateAssociationTables1764316800000 } from '../../core/store/migrations/1764316800000-CreateAssociationTables';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

const owner = {
	key: 'owner',
	firstObjectKey: 'contact',
	secondObjectKey: PROPERTY,
	firstLabel: 'Owner',
	secondLabel: 'Owned property',
};
const spouse = {
	key: 'spouse',
	firstObjectKey: 'contact',
	secondObjectKey: 'contact',
	firstLabel: 'Spouse',
};

describe.each(DIALECTS)('event history on %s', (dialect) => {
	const store = useStore(dialect);

	async function seeded() {
		const core = await store().open('acme', {
			workflowId: 'wf-1',
			executionId: '7',
			nodeName: 'N',
		});
		await core.labels.create(owner);
		await core.labels.create(spouse);
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: { key: 'spouse' }, firstRecordId: 'c1', secondRecordId: 'c3' },
		]);
		await core.links.unlink({ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' });
		await core.labels.rename({ key: 'owner' }, { firstLabel: 'Proprietor' });
		return core;
	}

	it('numbers events 1, 2, 3… per namespace and carries names, object keys and actor', async () => {
		const core = await seeded();
		const page = await core.history.history({ order: 'oldest' });
		expect(page.items.map((e) => [e.position, e.type])).toEqual([
			[1, 'label.created'],
			[2, 'label.created'],
			[3, 'link.created'],
			[4, 'link.created'],
			[5, 'link.created'],
			[6, 'link.deleted'],
			[7, 'label.renamed'],
		]);
		expect(page.items[2]).toMatchObject({
			labelKey: 'owner',
			firstLabel: 'Proprietor', // the label's names as they are now
			secondLabel: 'Owned property',
			firstObjectKey: 'contact',
			firstRecordId: 'c1',
			secondObjectKey: PROPERTY,
			secondRecordId: 'p1',
			actor: { workflowId: 'wf-1', executionId: '7', nodeName: 'N' },
		});
		expect(page.nextCursor).toBeNull();
		// another namespace starts at 1 again and sees nothing of acme
		const other = await store().open('other');
		expect((await other.history.history()).items).toEqual([]);
		await other.labels.create(owner);
		expect((await other.history.history()).items.map((e) => e.position)).toEqual([1]);
	});

	it('stores only a link event’s id and returns it with the object keys, as written before', async () => {
		const core = await seeded();
		const rows = await rawQuery<{ type: string; data: string }>(
			store().config,
			"SELECT type, data FROM association_events WHERE type LIKE 'link.%' ORDER BY position",
		);
		const links = await rawQuery<{ id: unknown }>(
			store().config,
			'SELECT id FROM association_links ORDER BY id',
		);
		expect(rows.map((row) => JSON.parse(row.data))).toEqual([
			{ linkId: String(links[0].id) },
			expect.objectContaining({ linkId: expect.any(String) }),
			{ linkId: String(links[1].id) },
			expect.objectContaining({ linkId: expect.any(String) }),
		]);
		expect(rows.every((row) => Object.keys(JSON.parse(row.data)).length === 1)).toBe(true);
		const events = (await core.history.history({ order: 'oldest', types: ['link.created'] })).items;
		expect(events.map((e) => e.data)).toEqual([
			{ linkId: String(links[0].id), firstObjectKey: 'contact', secondObjectKey: PROPERTY },
			{ linkId: expect.any(String), firstObjectKey: 'contact', secondObjectKey: PROPERTY },
			{ linkId: String(links[1].id), firstObjectKey: 'contact', secondObjectKey: 'contact' },
		]);
		expect(Object.keys(events[0].data!)).toEqual(['linkId', 'firstObjectKey', 'secondObjectKey']);
		expect(await core.events({ limit: 100 })).toEqual(
			expect.arrayContaining([expect.objectContaining({ data: events[0].data })]),
		);
	});

	it('filters by record, label, object and type; pages newest first and oldest first', async () => {
		const core = await seeded();
		const ofRecord = await core.history.history({
			record: { objectKey: 'contact', recordId: 'c1' },
		});
		expect(ofRecord.items.map((e) => [e.type, e.labelKey, e.secondRecordId])).toEqual([
			['link.created', 'spouse', 'c3'],
			['link.created', 'owner', 'p1'],
		]);
		// c3 is on the second side of a same-object label
		const ofC3 = await core.history.history({ record: { objectKey: 'contact', recordId: 'c3' } });
		expect(ofC3.items.map((e) => e.firstRecordId)).toEqual(['c1']);
		const ofLabel = await core.history.history({
			labels: [{ key: 'owner' }],
			types: ['link.created', 'link.deleted'],
			order: 'oldest',
		});
		expect(ofLabel.items.map((e) => `${e.type} ${e.firstRecordId}`)).toEqual([
			'link.created c1',
			'link.created c2',
			'link.deleted c2',
		]);
		const ofObject = await core.history.history({ objectKey: PROPERTY, types: ['label.created'] });
		expect(ofObject.items.map((e) => e.labelKey)).toEqual(['owner']);

		const seen: number[] = [];
		let cursor: string | undefined;
		do {
			const page = await core.history.history({ limit: 3, ...(cursor ? { cursor } : {}) });
			seen.push(...page.items.map((e) => e.position));
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
	});

	it('refuses a cursor of the other order and an unknown label id, naming the fix', async () => {
		const core = await seeded();
		const page = await core.history.history({ limit: 2 });
		await expectError(
			core.history.history({ order: 'oldest', cursor: page.nextCursor! }),
			'VALIDATION',
			/nextCursor of the previous page unchanged, with the same order/,
		);
		await expectError(
			core.history.history({ labels: [{ id: '00000000-0000-4000-8000-000000000000' }] }),
			'NOT_FOUND',
			/filter a deleted label by its key/,
		);
		await expectError(
			core.history.history({ types: ['link.made' as never] }),
			'VALIDATION',
			/types\[0\] must be one of link.created/,
		);
	});

	it('since(): a batch at a time, the cursor at the last event read, then at the horizon', async () => {
		const core = await seeded();
		const first = await core.history.since({ after: 0, limit: 4 });
		expect(first.events.map((e) => e.position)).toEqual([1, 2, 3, 4]);
		expect(first).toMatchObject({ cursor: 4, more: true, pruned: 0 });
		const second = await core.history.since({ after: first.cursor, limit: 4 });
		expect(second.events.map((e) => e.position)).toEqual([5, 6, 7]);
		expect(second).toMatchObject({ cursor: 7, more: false });
		// filtered: non-matching events are passed over, the cursor still reaches the horizon
		const deletes = await core.history.since({ after: 0, types: ['link.deleted'] });
		expect(deletes.events.map((e) => e.position)).toEqual([6]);
		expect(deletes.cursor).toBe(7);
		expect(await core.history.since({ after: 7 })).toEqual({
			events: [],
			cursor: 7,
			more: false,
			pruned: 0,
		});
		expect(await core.history.horizon()).toBe(7);
		// a cursor beyond the counter (the store was replaced) starts at the new store's beginning
		const replaced = await core.history.since({ after: 500, limit: 2 });
		expect(replaced.events.map((e) => e.position)).toEqual([1, 2]);
		expect(replaced.cursor).toBe(2);
	});

	it('a refused write takes no position: positions stay dense', async () => {
		const core = await seeded();
		await expectError(core.labels.create({ ...owner, firstLabel: 'Other' }), 'CONFLICT');
		await core.links.link({ label: { key: 'spouse' }, firstRecordId: 'c8', secondRecordId: 'c9' });
		const page = await core.history.history({ order: 'oldest' });
		expect(page.items.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});
});

describe.each(DIALECTS)('upgrading a %s store that has events', (dialect) => {
	afterAll(() => closeAllStores());

	it('numbers existing events per namespace in id order and leaves their columns unchanged', async () => {
		const config = await freshStore(dialect);
		const old = createDataSource(config);
		old.setOptions({ migrations: [CreateAssociationTables1764316800000] });
		await old.initialize();
		await old.runMigrations();
		const insert = (namespace: string, type: string, data: string | null) =>
			old.query(
				`INSERT INTO association_events (namespace, type, label_id, label_key, first_record_id, second_record_id, data, actor, created_at)
         VALUES (${dialect === 'postgres' ? '$1, $2, $3, $4, $5, $6, $7, $8, $9' : '?, ?, ?, ?, ?, ?, ?, ?, ?'})`,
				[namespace, type, 'l-1', 'owner', 'c1', 'p1', data, null, '2026-01-01T00:00:00.000Z'],
			);
		const linkData = JSON.stringify({
			linkId: '1',
			firstObjectKey: 'contact',
			secondObjectKey: 'deal',
		});
		await insert('a', 'link.created', linkData);
		await insert('b', 'link.created', linkData);
		await insert('a', 'link.deleted', linkData);
		await old.destroy();

		const core = await openAssociations(config, 'a');
		const events = (await core.history.history({ order: 'oldest' })).items;
		expect(
			events.map((e) => [e.id, e.position, e.type, e.firstObjectKey, e.secondObjectKey]),
		).toEqual([
			[1, 1, 'link.created', 'contact', 'deal'],
			[3, 2, 'link.deleted', 'contact', 'deal'],
		]);
		expect(events[0].data).toEqual(JSON.parse(linkData));
		const rows = await rawQuery(
			config,
			'SELECT data, created_at FROM association_events ORDER BY id',
		);
		expect(rows.map((row) => [row.data, row.created_at])).toEqual(
			Array(3).fill([linkData, '2026-01-01T00:00:00.000Z']),
		);
		// new events continue after the numbered ones
		await core.labels.create(owner);
		expect((await core.history.since({ after: 2 })).events.map((e) => e.position)).toEqual([3]);
		const b = await openAssociations(config, 'b');
		expect(await b.history.horizon()).toBe(1);
	});

	it('down() removes the positions again and keeps every event row', async () => {
		const config = await freshStore(dialect);
		const core = await openAssociations(config, 'a');
		await core.labels.create(owner);
		await closeAllStores();
		const dataSource = createDataSource(config);
		await dataSource.initialize();
		await dataSource.undoLastMigration({ transaction: 'all' });
		await dataSource.destroy();
		const rows = await rawQuery(config, 'SELECT * FROM association_events');
		expect(rows).toHaveLength(1);
		expect(Object.keys(rows[0]).sort()).toEqual(
			[
				'actor',
				'created_at',
				'data',
				'first_record_id',
				'id',
				'label_id',
				'label_key',
				'namespace',
				'second_record_id',
				'type',
			].sort(),
		);
		const tables = await rawQuery(
			config,
			dialect === 'sqlite'
				? "SELECT name FROM sqlite_master WHERE name = 'association_event_positions'"
				: "SELECT table_name FROM information_schema.tables WHERE table_name = 'association_event_positions'",
		);
		expect(tables).toEqual([]);
		// and up() again numbers the kept event
		const again = await openAssociations(config, 'a');
		expect((await again.history.history()).items.map((e) => [e.position, e.type])).toEqual([
			[1, 'label.created'],
		]);
	});
});
