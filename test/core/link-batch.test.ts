import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, useStore } from './fixtures';

const owner = { key: 'owner' };
const item = (first: string, second: string) => ({
	label: owner,
	firstRecordId: first,
	secondRecordId: second,
});

/**
 * linkMany checks existence only where a record's committed counts say a link can exist: these batches
 * mix stored and new links near a record's limit, in shapes that take each path (few first-side records,
 * few second-side records, neither), and must answer exactly as a probe of every link would.
 */
describe.each(DIALECTS)('link batches near limits on %s', (dialect) => {
	const store = useStore(dialect);
	const stored = async () =>
		new Map(
			(
				await rawQuery<{ id: unknown; first_record_id: string; second_record_id: string }>(
					store().config,
					'SELECT id, first_record_id, second_record_id FROM association_links',
				)
			).map((row) => [`${row.first_record_id}-${row.second_record_id}`, String(row.id)]),
		);

	it.each([
		['few first-side records', (i: number) => ['c1', `p${i}`], 0],
		['few second-side records', (i: number) => [`c${i}`, 'p1'], 0],
		['many records on both sides (every link probed)', (i: number) => ['c1', `p${i}`], 12],
	] as const)(
		'%s: stored links are already_linked, new ones fill the limit, the rest are refused',
		async (_shape, pair, n) => {
			const core = await store().open();
			await core.labels.create({
				key: 'owner',
				firstObjectKey: 'contact',
				secondObjectKey: PROPERTY,
				firstLabel: 'Owner',
				firstLimit: 5,
				secondLimit: 5,
			});
			const [a, b, c, d, e, f, g] = [1, 2, 3, 4, 5, 6, 7].map((i) =>
				item(...(pair(i) as unknown as [string, string])),
			);
			await core.links.linkMany([a, b, c]);
			const before = await stored();
			const others = Array.from({ length: n }, (_, i) => item(`x${i}`, `y${i}`));
			const results = await core.links.linkMany([b, d, ...others, a, e, f, d, c, f, g]);
			expect(results.map((r) => r.status)).toEqual([
				'already_linked',
				'created',
				...others.map(() => 'created'),
				'already_linked',
				'created',
				'error',
				'already_linked',
				'already_linked',
				'error',
				'error',
			]);
			const after = await stored();
			const key = (x: { firstRecordId: string; secondRecordId: string }) =>
				`${x.firstRecordId}-${x.secondRecordId}`;
			const linkOf = (index: number) => (results[index] as { link: { id: string } }).link;
			expect(linkOf(0).id).toBe(before.get(key(b)));
			expect(linkOf(n + 2).id).toBe(before.get(key(a)));
			expect(linkOf(n + 6).id).toBe(before.get(key(c)));
			expect(linkOf(1).id).toBe(after.get(key(d)));
			expect(linkOf(n + 5)).toEqual(linkOf(1));
			expect(results[n + 4]).toMatchObject({
				index: n + 4,
				status: 'error',
				error: {
					code: 'RECORD_LIMIT',
					message: expect.stringContaining('already has 5 links through label "owner"'),
				},
			});
			expect(results[n + 7]).toMatchObject({ index: n + 7, status: 'error' });
			expect(after.size).toBe(3 + 2 + n);
			expect(after.has(key(f))).toBe(false);
			expect(after.has(key(g))).toBe(false);
			const events = await core.events({ limit: 100 });
			expect(
				events.filter((ev) => ev.type === 'link.created').map((ev) => ev.data?.linkId),
			).toEqual([
				...[a, b, c].map((x) => before.get(key(x))),
				...[d, ...others, e].map((x) => after.get(key(x))),
			]);
		},
	);

	it('a symmetric label finds a stored link given either way round, and counts both sides', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'peer',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Peer',
			firstLimit: 3,
		});
		const peer = (x: string, y: string) => ({
			label: { key: 'peer' },
			firstRecordId: x,
			secondRecordId: y,
		});
		// "a" sits on the first side of (a, b) and on the second of (0, a).
		await core.links.linkMany([peer('a', 'b'), peer('a', '0')]);
		const results = await core.links.linkMany([
			peer('b', 'a'),
			peer('a', 'e'),
			peer('a', 'f'),
			peer('e', 'a'),
			peer('g', 'a'),
		]);
		expect(results.map((r) => r.status)).toEqual([
			'already_linked',
			'created',
			'error',
			'already_linked',
			'error',
		]);
		expect(results[0]).toMatchObject({ link: { firstRecordId: 'a', secondRecordId: 'b' } });
		expect(results[2]).toMatchObject({
			error: { code: 'RECORD_LIMIT', message: expect.stringContaining('already has 3 links') },
		});
	});
});
