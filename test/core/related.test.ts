import { DIALECTS } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

describe.each(DIALECTS)('related records on %s', (dialect) => {
	const store = useStore(dialect);

	async function realEstate() {
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
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'deal' }, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: { key: 'deal' }, firstRecordId: 'c3', secondRecordId: 'p1' },
			{ label: { key: 'agent' }, firstRecordId: 'p1', secondRecordId: 'remax' },
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p2' },
		]);
		return core;
	}

	it('lists related records from both directions with the label as seen from the queried record', async () => {
		const core = await realEstate();
		const page = await core.related.list({ objectKey: PROPERTY, recordId: 'p1' });
		expect(page.nextCursor).toBeNull();
		expect(
			page.items.map((i) => ({
				objectKey: i.objectKey,
				recordId: i.recordId,
				label: i.label,
				labelKey: i.labelKey,
			})),
		).toEqual([
			{ objectKey: 'contact', recordId: 'c1', label: 'Owner', labelKey: 'owner' },
			{ objectKey: 'contact', recordId: 'c2', label: 'Buyer', labelKey: 'deal' },
			{ objectKey: 'contact', recordId: 'c3', label: 'Buyer', labelKey: 'deal' },
			{ objectKey: 'company', recordId: 'remax', label: 'Agency', labelKey: 'agent' },
		]);
		expect(page.items.every((i) => !Number.isNaN(Date.parse(i.linkedAt)))).toBe(true);
		const fromContact = await core.related.list({ objectKey: 'contact', recordId: 'c2' });
		expect(fromContact.items.map((i) => [i.objectKey, i.recordId, i.label])).toEqual([
			[PROPERTY, 'p1', 'Seller'],
		]);
	});

	it('filters by label keys and by related object key', async () => {
		const core = await realEstate();
		const deals = await core.related.list({
			objectKey: PROPERTY,
			recordId: 'p1',
			labels: [{ key: 'deal' }],
		});
		expect(deals.items.map((i) => i.recordId)).toEqual(['c2', 'c3']);
		const companies = await core.related.list({
			objectKey: PROPERTY,
			recordId: 'p1',
			relatedObjectKey: 'company',
		});
		expect(companies.items.map((i) => i.recordId)).toEqual(['remax']);
		expect(
			await core.related.count({
				objectKey: PROPERTY,
				recordId: 'p1',
				relatedObjectKey: 'contact',
			}),
		).toBe(3);
		await expectError(
			core.related.list({ objectKey: PROPERTY, recordId: 'p1', labels: [{ key: 'nope' }] }),
			'NOT_FOUND',
		);
	});

	it('pages with a cursor until every record was returned once', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.links.linkMany(
			Array.from({ length: 25 }, (_, i) => ({
				label: { key: 'owner' },
				firstRecordId: 'c1',
				secondRecordId: `p${i}`,
			})),
		);
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await core.related.list({
				objectKey: 'contact',
				recordId: 'c1',
				limit: 10,
				cursor,
			});
			seen.push(...page.items.map((i) => i.recordId));
			cursor = page.nextCursor ?? undefined;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `p${i}`).sort());
		await expectError(
			core.related.list({ objectKey: 'contact', recordId: 'c1', cursor: 'garbage' }),
			'VALIDATION',
			/Invalid cursor "garbage"/,
		);
		await expectError(
			core.related.list({ objectKey: 'contact', recordId: 'c1', limit: 5000 }),
			'VALIDATION',
			/limit/,
		);
	});

	it('finds which labels link two records, from the first record’s point of view', async () => {
		const core = await realEstate();
		await core.links.link({ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' });
		const between = await core.related.labelsBetween({
			first: { objectKey: PROPERTY, recordId: 'p1' },
			second: { objectKey: 'contact', recordId: 'c2' },
		});
		expect(
			between.map((l) => [l.labelKey, l.firstRecordLabel, l.secondRecordLabel]).sort(),
		).toEqual([
			['deal', 'Seller', 'Buyer'],
			['owner', 'Owner', 'Owner'],
		]);
		expect(
			await core.related.labelsBetween({
				first: { objectKey: 'contact', recordId: 'c9' },
				second: { objectKey: PROPERTY, recordId: 'p1' },
			}),
		).toEqual([]);
	});

	it('a record with no labels for its object has no related records', async () => {
		const core = await realEstate();
		expect(await core.related.list({ objectKey: 'opportunity', recordId: 'o1' })).toEqual({
			items: [],
			nextCursor: null,
		});
		expect(await core.related.count({ objectKey: 'opportunity', recordId: 'o1' })).toBe(0);
	});
});
