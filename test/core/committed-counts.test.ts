import { LinkSqlRepository } from '../../core/store/repositories';
import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, useStore } from './fixtures';

const owner = (first: string, second: string) => ({
	label: { key: 'owner' },
	firstRecordId: first,
	secondRecordId: second,
});
const peer = (x: string, y: string) => ({
	label: { key: 'peer' },
	firstRecordId: x,
	secondRecordId: y,
});

/**
 * A batch that names more records than its label holds links gets every count from one read of the label's
 * side; otherwise record by record. Both must answer alike: stored links already_linked, limits counted from
 * committed links, the rest created.
 */
describe.each(DIALECTS)('committed counts on %s', (dialect) => {
	const store = useStore(dialect);
	let sideReads: jest.SpyInstance;
	beforeEach(() => {
		sideReads = jest.spyOn(LinkSqlRepository.prototype, 'sideCountsIfSmall');
	});
	afterEach(() => sideReads.mockRestore());

	/** What the side reads answered: 'whole' for a side read whole, 'by record' when the label was too big. */
	const sideReadAnswers = async () =>
		Promise.all(sideReads.mock.results.map(async (r) => ((await r.value) ? 'whole' : 'by record')));

	it.each([
		['a label smaller than the batch (its sides read whole)', 0, 'whole'],
		['a label larger than the batch (counted record by record)', 700, 'by record'],
	] as const)('%s: limits hold and stored links are found', async (_case, preloaded, answer) => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
			firstLimit: 5,
			secondLimit: 5,
		});
		await core.links.linkMany([
			owner('c1', 'p1'),
			owner('c1', 'p2'),
			owner('c1', 'p3'),
			owner('c2', 'shared'),
			owner('c3', 'shared'),
			owner('c4', 'shared'),
			owner('c5', 'shared'),
			...Array.from({ length: preloaded }, (_, i) => owner(`old${i}`, `oldp${i}`)),
		]);
		sideReads.mockClear();
		const others = Array.from({ length: 600 }, (_, i) => owner(`x${i}`, `y${i}`));
		const results = await core.links.linkMany([
			owner('c1', 'p1'),
			owner('c1', 'p4'),
			owner('c1', 'p5'),
			owner('c1', 'p6'),
			owner('c6', 'shared'),
			owner('c7', 'shared'),
			...others,
		]);

		expect(await sideReadAnswers()).toContain(answer);
		expect(await sideReadAnswers()).not.toContain(answer === 'whole' ? 'by record' : 'whole');
		expect(results.slice(0, 6).map((r) => r.status)).toEqual([
			'already_linked',
			'created',
			'created',
			'error',
			'created',
			'error',
		]);
		expect(results[3]).toMatchObject({
			error: { code: 'RECORD_LIMIT', message: expect.stringContaining('already has 5 links') },
		});
		expect(results[5]).toMatchObject({ error: { code: 'RECORD_LIMIT' } });
		expect(results.slice(6).every((r) => r.status === 'created')).toBe(true);
		const rows = await rawQuery<{ n: unknown }>(
			store().config,
			'SELECT COUNT(*) AS n FROM association_links',
		);
		expect(Number(rows[0].n)).toBe(7 + preloaded + 3 + 600);
	});

	it('a symmetric label read whole counts a record on both sides', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'peer',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Peer',
			firstLimit: 3,
		});
		// "a" sits on the first side of (a, b) and on the second of (0, a).
		await core.links.linkMany([peer('a', 'b'), peer('a', '0')]);
		sideReads.mockClear();
		const others = Array.from({ length: 600 }, (_, i) => peer(`x${i}`, `y${i}`));
		const results = await core.links.linkMany([
			peer('b', 'a'),
			peer('a', 'e'),
			peer('a', 'f'),
			peer('e', 'a'),
			...others,
		]);
		expect(await sideReadAnswers()).toEqual(['whole', 'whole']);
		expect(results.slice(0, 4).map((r) => r.status)).toEqual([
			'already_linked',
			'created',
			'error',
			'already_linked',
		]);
		expect(results[2]).toMatchObject({
			error: { code: 'RECORD_LIMIT', message: expect.stringContaining('already has 3 links') },
		});
	});

	it('reads a side larger than one page whole', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
			secondLimit: 2,
		});
		// 2,500 second-side records with one link each (more than one 2,000-row page), "y7" with two.
		await core.links.linkMany([
			...Array.from({ length: 2500 }, (_, i) => owner(`c${i}`, `y${i}`)),
			owner('extra', 'y7'),
		]);
		sideReads.mockClear();
		const results = await core.links.linkMany(
			Array.from({ length: 3000 }, (_, i) => owner(`n${i}`, `y${i}`)),
		);
		expect(await sideReadAnswers()).toContain('whole');
		expect(results.filter((r) => r.status === 'created')).toHaveLength(2999);
		expect(results[7]).toMatchObject({ status: 'error', error: { code: 'RECORD_LIMIT' } });
	});
});
