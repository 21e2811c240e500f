import type { Associations } from '../../core';
import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

describe.each(DIALECTS)('merging records on %s', (dialect) => {
	const store = useStore(dialect);

	/** Stored links as "label:first-second", sorted: what a user would find in the table. */
	const storedLinks = async () =>
		(
			await rawQuery<{ k: string; f: string; s: string }>(
				store().config,
				`SELECT l.key AS k, a.first_record_id AS f, a.second_record_id AS s
         FROM association_links a JOIN association_labels l ON l.id = a.label_id`,
			)
		)
			.map((row) => `${row.k}:${row.f}-${row.s}`)
			.sort();

	async function crm(ownerLimit = 1000): Promise<Associations> {
		const core = await store().open();
		await core.labels.createMany(
			[
				{
					key: 'owner',
					firstObjectKey: 'contact',
					secondObjectKey: PROPERTY,
					firstLabel: 'Owner',
					firstLimit: ownerLimit,
				},
				{
					key: 'colleague',
					firstObjectKey: 'contact',
					secondObjectKey: 'contact',
					firstLabel: 'Colleague',
				},
				{
					key: 'manager',
					firstObjectKey: 'contact',
					secondObjectKey: 'contact',
					firstLabel: 'Manager',
					secondLabel: 'Report',
				},
			],
			{ atomic: true },
		);
		return core;
	}

	it('moves every link of the duplicate to the survivor under the same label and side, drops what it has, and records the move', async () => {
		const core = await crm();
		const linked = await core.links.linkMany(
			[
				{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p2' },
				{ label: { key: 'manager' }, firstRecordId: 'boss', secondRecordId: 'B' },
				{ label: { key: 'colleague' }, firstRecordId: 'B', secondRecordId: 'Z' },
			],
			{ atomic: true },
		);
		const ids = linked.map((result) => (result.status === 'error' ? '' : result.link.id));
		const [result] = await core.mergeRecords(
			[{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' }],
			{ atomic: true },
		);
		expect(result.status).toBe('merged');
		if (result.status !== 'merged') return;
		expect(
			result.moved.map((link) => [link.id, link.labelKey, link.firstRecordId, link.secondRecordId]),
		).toEqual([
			[ids[2], 'owner', 'A', 'p2'],
			[ids[3], 'manager', 'boss', 'A'],
			[ids[4], 'colleague', 'A', 'Z'],
		]);
		expect(
			result.dropped.map((link) => [link.id, link.firstRecordId, link.secondRecordId]),
		).toEqual([[ids[1], 'B', 'p1']]);
		expect(result.refused).toEqual([]);
		expect(await storedLinks()).toEqual([
			'colleague:A-Z',
			'manager:boss-A',
			'owner:A-p1',
			'owner:A-p2',
		]);
		const events = (await core.events()).filter(
			(event) => event.type !== 'label.created' && event.type !== 'link.created',
		);
		expect(
			events.map((event) => [
				event.type,
				event.firstRecordId,
				event.secondRecordId,
				event.data?.mergedFrom,
				event.data?.mergedInto,
			]),
		).toEqual([
			['link.moved', 'A', 'p2', 'B', 'A'],
			['link.moved', 'boss', 'A', 'B', 'A'],
			['link.moved', 'A', 'Z', 'B', 'A'],
			['link.deleted', 'B', 'p1', 'B', 'A'],
		]);
		expect(events[0].data).toMatchObject({
			linkId: ids[2],
			previousFirstRecordId: 'B',
			previousSecondRecordId: 'p2',
		});
	});

	it('keeps symmetric links in stored order after the move (the smaller id first)', async () => {
		const core = await crm();
		await core.links.link({ label: { key: 'colleague' }, firstRecordId: 'B', secondRecordId: 'M' });
		await core.mergeRecords([{ objectKey: 'contact', survivorId: 'Z', duplicateId: 'B' }], {
			atomic: true,
		});
		expect(await storedLinks()).toEqual(['colleague:M-Z']);
		expect(
			(await core.related.list({ objectKey: 'contact', recordId: 'M' })).items.map(
				(i) => i.recordId,
			),
		).toEqual(['Z']);
	});

	it('a move that would link the survivor to itself is refused atomically, or reported and left on the duplicate', async () => {
		const core = await crm();
		await core.links.linkMany([
			{ label: { key: 'colleague' }, firstRecordId: 'A', secondRecordId: 'B' },
			{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p1' },
		]);
		const before = await storedLinks();
		const error = await expectError(
			core.mergeRecords([{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' }], {
				atomic: true,
			}),
			'VALIDATION',
			/Merging contact "B" into "A" would link "A" to itself through label "colleague".*Unlink the two records/,
		);
		expect(error.details.index).toBe(0);
		expect(await storedLinks()).toEqual(before);
		const [result] = await core.mergeRecords([
			{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' },
		]);
		if (result.status !== 'merged') throw new Error('expected a merge');
		expect(
			result.refused.map((r) => [
				r.link.labelKey,
				r.link.firstRecordId,
				r.link.secondRecordId,
				r.error.code,
			]),
		).toEqual([['colleague', 'A', 'B', 'VALIDATION']]);
		expect(await storedLinks()).toEqual(['colleague:A-B', 'owner:A-p1']);
	});

	it("a move past the survivor's per-record limit is refused atomically, or the links beyond it stay on the duplicate", async () => {
		const core = await crm(2);
		await core.links.linkMany(
			[
				{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p2' },
				{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p3' },
			],
			{ atomic: true },
		);
		await expectError(
			core.mergeRecords([{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' }], {
				atomic: true,
			}),
			'RECORD_LIMIT',
			/would give "A" more than 2 links through label "owner" \(limit 2 per record on the first side; it has 2\)/,
		);
		expect(await storedLinks()).toEqual(['owner:A-p1', 'owner:B-p2', 'owner:B-p3']);
		const [result] = await core.mergeRecords([
			{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' },
		]);
		if (result.status !== 'merged') throw new Error('expected a merge');
		expect(result.moved.map((link) => link.secondRecordId)).toEqual(['p2']);
		expect(result.refused.map((r) => [r.link.secondRecordId, r.error.code])).toEqual([
			['p3', 'RECORD_LIMIT'],
		]);
		expect(await storedLinks()).toEqual(['owner:A-p1', 'owner:A-p2', 'owner:B-p3']);
	});

	it('runs many merges in one transaction; two duplicates sharing a link give the survivor one', async () => {
		const core = await crm();
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'C', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'E', secondRecordId: 'p9' },
		]);
		const results = await core.mergeRecords(
			[
				{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' },
				{ objectKey: 'contact', survivorId: 'A', duplicateId: 'C' },
				{ objectKey: 'contact', survivorId: 'D', duplicateId: 'E' },
			],
			{ atomic: true },
		);
		expect(
			results.map((r) => (r.status === 'merged' ? [r.moved.length, r.dropped.length] : r.status)),
		).toEqual([
			[1, 0],
			[0, 1],
			[1, 0],
		]);
		expect(await storedLinks()).toEqual(['owner:A-p1', 'owner:D-p9']);
	});

	it('refuses a merge of a record into itself and a batch that merges a record away and keeps it', async () => {
		const core = await crm();
		const self = [{ objectKey: 'contact', survivorId: 'A', duplicateId: 'A' }];
		await expectError(
			core.mergeRecords(self, { atomic: true }),
			'VALIDATION',
			/survivorId and duplicateId are both "A"/,
		);
		const [result] = await core.mergeRecords(self);
		expect(result).toMatchObject({ status: 'error', error: { code: 'VALIDATION' } });
		await expectError(
			core.mergeRecords([
				{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' },
				{ objectKey: 'contact', survivorId: 'B', duplicateId: 'C' },
			]),
			'VALIDATION',
			/"B" is the survivor here but already the duplicate of merge 0.*one after the other/,
		);
		await expectError(
			core.mergeRecords([{ objectKey: 'Contact!', survivorId: 'A', duplicateId: 'B' }], {
				atomic: true,
			}),
			'VALIDATION',
			/objectKey must be a lowercase identifier/,
		);
	});

	it('a link between two duplicates of one batch is refused, not moved to two survivors', async () => {
		const core = await crm();
		await core.links.link({ label: { key: 'colleague' }, firstRecordId: 'B', secondRecordId: 'D' });
		const merges = [
			{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' },
			{ objectKey: 'contact', survivorId: 'C', duplicateId: 'D' },
		];
		await expectError(
			core.mergeRecords(merges, { atomic: true }),
			'VALIDATION',
			/joins contact "B" to another duplicate merged in the same batch.*one after the other/,
		);
		const [first, second] = await core.mergeRecords(merges);
		expect(first).toMatchObject({
			status: 'merged',
			moved: [],
			refused: [{ error: { code: 'VALIDATION' } }],
		});
		expect(second).toMatchObject({ status: 'merged', moved: [], refused: [] });
		expect(await storedLinks()).toEqual(['colleague:B-D']);
	});

	it('a concurrent merge and link on the same survivor never exceed its limit together', async () => {
		const core = await crm(3);
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'B', secondRecordId: 'p2' },
		]);
		const other = await store().open();
		const [merge, link] = await Promise.allSettled([
			core.mergeRecords([{ objectKey: 'contact', survivorId: 'A', duplicateId: 'B' }], {
				atomic: true,
			}),
			other.links.linkMany([
				{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p8' },
				{ label: { key: 'owner' }, firstRecordId: 'A', secondRecordId: 'p9' },
			]),
		]);
		expect(link.status).toBe('fulfilled');
		const stored = await storedLinks();
		expect(stored.filter((key) => key.startsWith('owner:A-'))).toHaveLength(3);
		if (merge.status === 'fulfilled')
			expect(stored).toEqual(['owner:A-p1', 'owner:A-p2', 'owner:A-p8']);
		else {
			expect((merge.reason as { code: string }).code).toBe('RECORD_LIMIT');
			expect(stored).toEqual(['owner:A-p1', 'owner:A-p8', 'owner:A-p9', 'owner:B-p2']);
		}
	});
});
