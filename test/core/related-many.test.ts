/**
 * Batched reads: related.listMany / countMany / labelsBetweenMany answer many queries in one read with a few
 * set-based statements, each query's answer equal to what list / count / labelsBetween give for it alone
 * (order, limit, cursor, filters), and an invalid query fails alone.
 */
import type { Associations, QueryOutcome, RelatedQueryInput } from '../../core';
import { LinkSqlRepository } from '../../core/store/repositories/link.repository';
import { DIALECTS } from '../support/stores';
import { PROPERTY, useStore } from './fixtures';

afterEach(() => jest.restoreAllMocks());

/** What the single-query form gives: its value, or its error. */
async function alone<T>(work: () => Promise<T>): Promise<QueryOutcome<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error };
	}
}

describe.each(DIALECTS)('batched related reads on %s', (dialect) => {
	const store = useStore(dialect);

	async function seeded(): Promise<Associations> {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.labels.create({
			key: 'deal',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		await core.labels.create({
			key: 'agent',
			firstObjectKey: PROPERTY,
			secondObjectKey: 'company',
			firstLabel: 'Listing',
			secondLabel: 'Agency',
		});
		await core.labels.create({
			key: 'friend',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Friend',
		});
		const links = [];
		for (let c = 0; c < 12; c++) {
			for (let p = 0; p < 8; p++) {
				if ((c + p) % 3 === 0)
					links.push({ label: { key: 'owner' }, firstRecordId: `c${c}`, secondRecordId: `p${p}` });
				if ((c * p) % 5 === 1)
					links.push({ label: { key: 'deal' }, firstRecordId: `c${c}`, secondRecordId: `p${p}` });
			}
			links.push({
				label: { key: 'friend' },
				firstRecordId: `c${c}`,
				secondRecordId: `c${(c + 1) % 12}`,
			});
		}
		for (let p = 0; p < 8; p++)
			links.push({ label: { key: 'agent' }, firstRecordId: `p${p}`, secondRecordId: `a${p % 2}` });
		await core.links.linkMany(links, { atomic: true });
		return core;
	}

	it('listMany gives each query exactly what list gives it alone, in one statement', async () => {
		const core = await seeded();
		const first = await core.related.list({ objectKey: PROPERTY, recordId: 'p1', limit: 2 });
		const queries: RelatedQueryInput[] = [
			{ objectKey: PROPERTY, recordId: 'p1' },
			{ objectKey: PROPERTY, recordId: 'p1', limit: 2 },
			{ objectKey: PROPERTY, recordId: 'p1', limit: 2, cursor: first.nextCursor! },
			{ objectKey: 'contact', recordId: 'c3' },
			{ objectKey: 'contact', recordId: 'c3', labels: [{ key: 'friend' }] },
			{ objectKey: 'contact', recordId: 'c4', relatedObjectKey: PROPERTY, limit: 1 },
			{ objectKey: 'company', recordId: 'a1' },
			{ objectKey: 'company', recordId: 'nobody' },
			{ objectKey: 'contact', recordId: 'c3', labels: [{ key: 'missing' }] },
			{ objectKey: 'Not A Key', recordId: 'c3' },
			{ objectKey: PROPERTY, recordId: 'p1', cursor: 'not-a-cursor' },
			{ objectKey: 'contact', recordId: 'c0', labels: [{ key: 'agent' }] },
			{ objectKey: 'contact', recordId: 'c11', limit: 1000 },
		];
		const expected = [];
		for (const query of queries) expected.push(await alone(() => core.related.list(query)));

		const single = jest.spyOn(LinkSqlRepository.prototype, 'scanRelated');
		const many = jest.spyOn(LinkSqlRepository.prototype, 'scanRelatedMany');
		const outcomes = await core.related.listMany(queries);
		expect(single).not.toHaveBeenCalled();
		expect(many).toHaveBeenCalledTimes(1);

		expect(outcomes).toEqual(expected);
		// The comparison is not vacuous: pages with items, a paged one, and per-query failures.
		expect(outcomes.map((o) => (o.ok ? o.value.items.length : (o.error as Error).name))).toEqual(
			expected.map((o) => (o.ok ? o.value.items.length : (o.error as Error).name)),
		);
		expect(outcomes[0].ok && outcomes[0].value.items.length).toBeGreaterThan(2);
		expect(outcomes[1].ok && outcomes[1].value.nextCursor).toEqual(expect.any(String));
		expect(
			outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : (o.error as { code: string }).code)),
		).toEqual(['NOT_FOUND', 'VALIDATION', 'VALIDATION', 'VALIDATION']);
	});

	it('paging every query with its cursor through listMany walks the same records as list', async () => {
		const core = await seeded();
		const records = ['c0', 'c1', 'c2', 'c3', 'c5', 'c7'];
		const walked = new Map<string, string[]>(records.map((r) => [r, []]));
		let pending = records.map((recordId) => ({
			recordId,
			cursor: undefined as string | undefined,
		}));
		while (pending.length > 0) {
			const outcomes = await core.related.listMany(
				pending.map(({ recordId, cursor }) => ({
					objectKey: 'contact',
					recordId,
					limit: 2,
					...(cursor ? { cursor } : {}),
				})),
			);
			const next = [];
			for (const [i, outcome] of outcomes.entries()) {
				if (!outcome.ok) throw outcome.error;
				walked.get(pending[i].recordId)!.push(...outcome.value.items.map((item) => item.linkId));
				if (outcome.value.nextCursor)
					next.push({ recordId: pending[i].recordId, cursor: outcome.value.nextCursor });
			}
			pending = next;
		}
		for (const recordId of records) {
			const all = await core.related.list({ objectKey: 'contact', recordId, limit: 1000 });
			expect(walked.get(recordId)).toEqual(all.items.map((item) => item.linkId));
			expect(all.items.length).toBeGreaterThan(0);
		}
	});

	it('countMany equals count for each query; labelsBetweenMany equals labelsBetween', async () => {
		const core = await seeded();
		const countQueries = [
			{ objectKey: PROPERTY, recordId: 'p1' },
			{ objectKey: 'contact', recordId: 'c3' },
			{ objectKey: 'contact', recordId: 'c3', labels: [{ key: 'friend' }] },
			{ objectKey: 'contact', recordId: 'c4', relatedObjectKey: PROPERTY },
			{ objectKey: 'company', recordId: 'nobody' },
			{ objectKey: 'contact', recordId: 'c3', labels: [{ key: 'missing' }] },
		];
		const expectedCounts = [];
		for (const query of countQueries)
			expectedCounts.push(await alone(() => core.related.count(query)));
		const counts = await core.related.countMany(countQueries);
		expect(counts).toEqual(expectedCounts);
		expect(counts.map((c) => (c.ok ? c.value : 'error'))).toEqual([
			...expectedCounts.slice(0, 5).map((c) => (c.ok ? c.value : 'x')),
			'error',
		]);
		expect(counts[1].ok && counts[1].value).toBeGreaterThan(2);

		const pairs = [
			{
				first: { objectKey: 'contact', recordId: 'c1' },
				second: { objectKey: PROPERTY, recordId: 'p2' },
			},
			{
				first: { objectKey: PROPERTY, recordId: 'p2' },
				second: { objectKey: 'contact', recordId: 'c1' },
			},
			{
				first: { objectKey: 'contact', recordId: 'c2' },
				second: { objectKey: 'contact', recordId: 'c1' },
			},
			{
				first: { objectKey: 'contact', recordId: 'c1' },
				second: { objectKey: 'contact', recordId: 'c2' },
			},
			{
				first: { objectKey: 'contact', recordId: 'c1' },
				second: { objectKey: 'company', recordId: 'a1' },
			},
			{
				first: { objectKey: 'BAD', recordId: 'c1' },
				second: { objectKey: 'company', recordId: 'a1' },
			},
		];
		const expectedBetween = [];
		for (const pair of pairs)
			expectedBetween.push(await alone(() => core.related.labelsBetween(pair)));
		const find = jest.spyOn(LinkSqlRepository.prototype, 'find');
		const between = await core.related.labelsBetweenMany(pairs);
		expect(find).toHaveBeenCalledTimes(1);
		expect(between).toEqual(expectedBetween);
		expect(between.filter((b) => b.ok && b.value.length > 0).length).toBeGreaterThanOrEqual(4);
	});

	it('empty batches read nothing', async () => {
		const core = await seeded();
		expect(await core.related.listMany([])).toEqual([]);
		expect(await core.related.countMany([])).toEqual([]);
		expect(await core.related.labelsBetweenMany([])).toEqual([]);
	});
});
