/**
 * The trigger's cursor: positions in commit order mean a reader resuming "after p, up to the committed
 * counter" can neither skip an event (one committed late) nor read one twice.
 */
import { closeAllStores, openAssociations, type Associations } from '../../core';
import { openStore } from '../../core/store/connections';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';
import { PROPERTY } from './fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withLabel(core: Associations) {
	await core.labels.create({
		key: 'buyer',
		firstObjectKey: 'contact',
		secondObjectKey: PROPERTY,
		firstLabel: 'Buyer',
	});
}

afterAll(() => closeAllStores());

describe('a transaction that commits late on PostgreSQL', () => {
	it('is neither skipped nor overtaken: later writers wait, the reader sees both once, in commit order', async () => {
		const config = await freshStore('postgres');
		const core = await openAssociations(config, 'acme', { nodeName: 'Quick link' });
		await withLabel(core);
		const start = await core.history.horizon();

		// T1, a long batch: its event row is written (id and position taken), then it stalls before COMMIT.
		const store = await openStore(config);
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		let written!: () => void;
		const t1HasWritten = new Promise<void>((resolve) => (written = resolve));
		const t1 = store.write(async (repo) => {
			await repo.events.append(
				'acme',
				{ nodeName: 'Long batch' },
				[
					{
						type: 'link.created',
						labelId: 'l-late',
						labelKey: 'buyer',
						firstObjectKey: 'contact',
						secondObjectKey: PROPERTY,
						firstRecordId: 'c-late',
						secondRecordId: 'p-late',
					},
				],
				new Date().toISOString(),
			);
			await repo.events.flush();
			written();
			await gate;
		});
		await t1HasWritten;
		const t1Row = await rawQuery(
			config,
			"SELECT id FROM association_events WHERE first_record_id = 'c-late'",
		);
		expect(t1Row).toEqual([]); // not committed: invisible to others

		// T2 starts after T1 wrote and would commit first if nothing stopped it.
		const t2 = core.links.link({
			label: { key: 'buyer' },
			firstRecordId: 'c-quick',
			secondRecordId: 'p1',
		});
		const state = await Promise.race([
			t2.then(() => 'committed'),
			sleep(700).then(() => 'waiting'),
		]);
		expect(state).toBe('waiting');

		// The trigger polls meanwhile: nothing new is final yet, the cursor does not move past T1.
		const during = await core.history.since({ after: start });
		expect(during).toEqual({ events: [], cursor: start, more: false, pruned: 0 });

		release();
		await t1;
		await t2;
		const after = await core.history.since({ after: during.cursor });
		expect(after.events.map((e) => [e.position, e.firstRecordId, e.actor?.nodeName])).toEqual([
			[start + 1, 'c-late', 'Long batch'],
			[start + 2, 'c-quick', 'Quick link'],
		]);
		expect(after.cursor).toBe(start + 2);
		expect((await core.history.since({ after: after.cursor })).events).toEqual([]);
	});
});

describe.each(DIALECTS)('a reader polling while writers run concurrently on %s', (dialect) => {
	it('reads every committed event exactly once, in position order', async () => {
		const config = await freshStore(dialect);
		const core = await openAssociations(config, 'acme');
		await withLabel(core);
		const writers = Array.from({ length: 6 }, (_, w) =>
			(async () => {
				const writer = await openAssociations(config, 'acme', { nodeName: `writer ${w}` });
				for (let round = 0; round < 8; round++) {
					const size = 1 + ((w + round) % 4) * 20;
					await writer.links.linkMany(
						Array.from({ length: size }, (_, i) => ({
							label: { key: 'buyer' },
							firstRecordId: `c-${w}-${round}-${i}`,
							secondRecordId: `p-${i}`,
						})),
					);
				}
			})(),
		);
		let done = false;
		const all = Promise.all(writers).finally(() => (done = true));
		const read: number[] = [];
		let cursor = await core.history.horizon();
		const begin = cursor;
		let readWhileWriting = 0;
		for (let polls = 0; polls < 2000; polls++) {
			const finished = done;
			const batch = await core.history.since({ after: cursor, limit: 37 });
			read.push(...batch.events.map((e) => e.position));
			if (!finished && batch.events.length > 0) readWhileWriting++;
			cursor = batch.cursor;
			if (finished && !batch.more) break;
			await sleep(5);
		}
		await all;
		expect(readWhileWriting).toBeGreaterThan(1); // the reader really ran between the writers' commits
		const stored = await rawQuery<{ n: unknown }>(
			config,
			'SELECT COUNT(*) AS n FROM association_events',
		);
		const total = Number(stored[0].n);
		expect(read.length).toBe(total - begin);
		expect(read).toEqual(Array.from({ length: total - begin }, (_, i) => begin + 1 + i));
	});
});
