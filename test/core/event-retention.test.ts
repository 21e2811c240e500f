import { closeAllStores, openAssociations } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { PROPERTY, expectError } from './fixtures';

const DAY = 24 * 60 * 60 * 1000;

afterAll(() => closeAllStores());

describe.each(DIALECTS)('event retention on %s', (dialect) => {
	async function storeWithOldEvents(oldCount: number) {
		const config = await freshStore(dialect);
		const core = await openAssociations(config, 'acme');
		await core.labels.create({
			key: 'buyer',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
		});
		await core.links.linkMany(
			Array.from({ length: oldCount - 1 }, (_, i) => ({
				label: { key: 'buyer' },
				firstRecordId: `old-${i}`,
				secondRecordId: `p-${i % 10}`, // at most 1,000 links per property
			})),
		);
		// these events happened 40 days ago
		const longAgo = new Date(Date.now() - 40 * DAY).toISOString();
		await rawQuery(config, 'UPDATE association_events SET created_at = ?', [longAgo]);
		const other = await openAssociations(config, 'other');
		await other.labels.create({
			key: 'x',
			firstObjectKey: 'a',
			secondObjectKey: 'b',
			firstLabel: 'X',
		});
		await rawQuery(
			config,
			"UPDATE association_events SET created_at = ? WHERE namespace = 'other'",
			[longAgo],
		);
		return { config, core };
	}

	it('prunes old events in bounded batches while writers keep linking, and keeps the rest', async () => {
		const { config, core } = await storeWithOldEvents(2500);
		const writer = await openAssociations(config, 'acme', { nodeName: 'writer' });
		const writes = Array.from({ length: 20 }, (_, i) =>
			writer.links.link({
				label: { key: 'buyer' },
				firstRecordId: `new-${i}`,
				secondRecordId: 'p2',
			}),
		);
		const before = new Date(Date.now() - 30 * DAY).toISOString();
		const firstCall = core.history.prune({ before, batchSize: 1000, maxBatches: 2 });
		const results = await Promise.all(writes);
		expect(results.every((r) => r.status === 'created')).toBe(true); // no writer failed or was refused
		expect(await firstCall).toBe(2000); // bounded: two batches of 1,000
		expect(await core.history.prune({ before, batchSize: 1000 })).toBe(500);
		expect(await core.history.prune({ before, batchSize: 1000 })).toBe(0);

		const left = await rawQuery<{ namespace: string; n: unknown }>(
			config,
			'SELECT namespace, COUNT(*) AS n FROM association_events GROUP BY namespace ORDER BY namespace',
		);
		// acme keeps exactly the 20 new events; the other namespace's old event is not acme's to prune
		expect(left.map((row) => [row.namespace, Number(row.n)])).toEqual([
			['acme', 20],
			['other', 1],
		]);
		const kept = (await core.history.history({ limit: 100 })).items;
		expect(kept.every((e) => e.firstRecordId?.startsWith('new-'))).toBe(true);
	});

	it('a cursor survives pruning: it continues exactly, or reports what was pruned unread', async () => {
		const { core } = await storeWithOldEvents(10);
		const upToDate = await core.history.horizon(); // a trigger that read everything
		const behind = 4; // a trigger that was off for weeks
		await core.links.link({
			label: { key: 'buyer' },
			firstRecordId: 'fresh',
			secondRecordId: 'p3',
		});
		await core.history.prune({ before: new Date(Date.now() - 30 * DAY).toISOString() });

		const next = await core.history.since({ after: upToDate });
		expect(next.events.map((e) => [e.position, e.firstRecordId])).toEqual([[11, 'fresh']]);
		expect(next.pruned).toBe(0);

		const late = await core.history.since({ after: behind });
		expect(late.events.map((e) => e.position)).toEqual([11]);
		expect(late.pruned).toBe(6); // positions 5..10 are gone
		// positions are never reused after pruning
		await core.links.link({
			label: { key: 'buyer' },
			firstRecordId: 'fresher',
			secondRecordId: 'p3',
		});
		expect((await core.history.since({ after: 11 })).events.map((e) => e.position)).toEqual([12]);
	});

	it('refuses a retention time that is not a date, naming the format', async () => {
		const { core } = await storeWithOldEvents(2);
		await expectError(core.history.prune({ before: 'last month' }), 'VALIDATION', /ISO date-time/);
	});
});
