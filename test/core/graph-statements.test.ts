/** Traverse and merge are set-based: the statements they send do not grow with the number of records. */
import type { Associations } from '../../core';
import { DIALECTS } from '../support/stores';
import { PROPERTY, useStore } from './fixtures';

describe.each(DIALECTS)('statements of traverse and merge on %s', (dialect) => {
	const store = useStore(dialect);

	/** How many statements `work` sends through the store's executor. */
	async function statementsOf(work: () => Promise<unknown>): Promise<number> {
		const { SqliteExecutor, PostgresExecutor } = await import('../../core/store/executor');
		const executor = (dialect === 'sqlite' ? SqliteExecutor : PostgresExecutor).prototype;
		const all = jest.spyOn(executor, 'all');
		const run = jest.spyOn(executor, 'run');
		try {
			await work();
			return all.mock.calls.length + run.mock.calls.length;
		} finally {
			all.mockRestore();
			run.mockRestore();
		}
	}

	/** n contacts, each owning two properties, each property listed once. */
	async function world(n: number): Promise<Associations> {
		const core = await store().open();
		await core.labels.createMany(
			[
				{ key: 'owner', firstObjectKey: 'contact', secondObjectKey: PROPERTY, firstLabel: 'Owner' },
				{
					key: 'listed_as',
					firstObjectKey: 'custom_objects.listing',
					secondObjectKey: PROPERTY,
					firstLabel: 'Listing',
					secondLabel: 'Listed',
				},
			],
			{ atomic: true },
		);
		const links = [];
		for (let i = 0; i < n; i++) {
			for (const p of [`p${i}a`, `p${i}b`]) {
				links.push({ label: { key: 'owner' }, firstRecordId: `c${i}`, secondRecordId: p });
				links.push({ label: { key: 'listed_as' }, firstRecordId: `l-${p}`, secondRecordId: p });
			}
		}
		await core.links.linkMany(links, { atomic: true });
		return core;
	}

	it('a traversal from 200 records sends as many statements as one from 3, and reaches every record', async () => {
		const core = await world(300);
		const traverse = (n: number) =>
			core.traverse({
				start: Array.from({ length: n }, (_, i) => ({ objectKey: 'contact', recordId: `c${i}` })),
				steps: [{ label: { key: 'owner' } }, { label: { key: 'listed_as' } }],
				limit: 1000,
			});
		const few = await statementsOf(() => traverse(3));
		let reached = 0;
		const many = await statementsOf(async () => (reached = (await traverse(200)).items.length));
		expect(reached).toBe(800);
		expect(many).toBe(few);
		expect(many).toBeLessThanOrEqual(5);
	});

	it('200 merges in one call send as many statements as 2', async () => {
		const core = await world(400);
		const merges = (from: number, n: number) =>
			Array.from({ length: n }, (_, i) => ({
				objectKey: 'contact',
				survivorId: `c${from + 2 * i}`,
				duplicateId: `c${from + 2 * i + 1}`,
			}));
		const few = await statementsOf(() => core.mergeRecords(merges(0, 2), { atomic: true }));
		let moved = 0;
		const many = await statementsOf(async () => {
			const results = await core.mergeRecords(merges(4, 198), { atomic: true });
			moved = results.reduce((sum, r) => sum + (r.status === 'merged' ? r.moved.length : 0), 0);
		});
		expect(moved).toBe(2 * 198);
		expect(many).toBe(few);
	});
});
