import type { Associations, ReachedRecord } from '../../core';
import { DIALECTS } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

const LISTING = 'custom_objects.listing';

/** depth, object, record and the path as "labelKey:role>record" hops: what a user reads in the output. */
const summary = (record: ReachedRecord) => ({
	depth: record.depth,
	record: `${record.objectKey}/${record.recordId}`,
	from: `${record.from.objectKey}/${record.from.recordId}`,
	path: record.path.map((hop) => `${hop.labelKey}:${hop.label}>${hop.recordId}`).join(' '),
});

describe.each(DIALECTS)('traversal on %s', (dialect) => {
	const store = useStore(dialect);

	/** contact → Owner → property → Listing → listing, plus a contact–contact colleague ring. */
	async function realEstate(): Promise<Associations> {
		const core = await store().open();
		await core.labels.createMany(
			[
				{
					key: 'owner',
					firstObjectKey: 'contact',
					secondObjectKey: PROPERTY,
					firstLabel: 'Owner',
					secondLabel: 'Owned Property',
				},
				{
					key: 'listed_as',
					firstObjectKey: LISTING,
					secondObjectKey: PROPERTY,
					firstLabel: 'Listing',
					secondLabel: 'Listed Property',
				},
				{
					key: 'colleague',
					firstObjectKey: 'contact',
					secondObjectKey: 'contact',
					firstLabel: 'Colleague',
				},
			],
			{ atomic: true },
		);
		await core.links.linkMany(
			[
				{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
				{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p2' },
				{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p2' },
				{ label: { key: 'listed_as' }, firstRecordId: 'l1', secondRecordId: 'p1' },
				{ label: { key: 'listed_as' }, firstRecordId: 'l2', secondRecordId: 'p2' },
				{ label: { key: 'listed_as' }, firstRecordId: 'l3', secondRecordId: 'p2' },
				{ label: { key: 'colleague' }, firstRecordId: 'c1', secondRecordId: 'c2' },
				{ label: { key: 'colleague' }, firstRecordId: 'c2', secondRecordId: 'c3' },
				{ label: { key: 'colleague' }, firstRecordId: 'c3', secondRecordId: 'c1' },
			],
			{ atomic: true },
		);
		return core;
	}

	it('follows contact → Owner → property → Listing → listing with depth, roles and path', async () => {
		const core = await realEstate();
		const page = await core.traverse({
			start: [{ objectKey: 'contact', recordId: 'c1' }],
			steps: [{ label: { key: 'owner' } }, { label: { key: 'listed_as' }, objectKey: LISTING }],
		});
		expect(page.nextCursor).toBeNull();
		expect(page.items.map(summary)).toEqual([
			{ depth: 1, record: `${PROPERTY}/p1`, from: 'contact/c1', path: 'owner:Owned Property>p1' },
			{ depth: 1, record: `${PROPERTY}/p2`, from: 'contact/c1', path: 'owner:Owned Property>p2' },
			{
				depth: 2,
				record: `${LISTING}/l1`,
				from: 'contact/c1',
				path: 'owner:Owned Property>p1 listed_as:Listing>l1',
			},
			{
				depth: 2,
				record: `${LISTING}/l2`,
				from: 'contact/c1',
				path: 'owner:Owned Property>p2 listed_as:Listing>l2',
			},
			{
				depth: 2,
				record: `${LISTING}/l3`,
				from: 'contact/c1',
				path: 'owner:Owned Property>p2 listed_as:Listing>l3',
			},
		]);
		expect(page.items[0].path[0].linkId).toMatch(/^\d+$/);
	});

	it('is cycle-safe: a ring of colleagues reaches each record once, at its smallest depth, never the start', async () => {
		const core = await realEstate();
		const page = await core.traverse({
			start: [{ objectKey: 'contact', recordId: 'c1' }],
			steps: [
				{ label: { key: 'colleague' } },
				{ label: { key: 'colleague' } },
				{ label: { key: 'colleague' } },
				{},
				{},
			],
		});
		expect(page.items.map(summary)).toEqual([
			{ depth: 1, record: 'contact/c2', from: 'contact/c1', path: 'colleague:Colleague>c2' },
			{ depth: 1, record: 'contact/c3', from: 'contact/c1', path: 'colleague:Colleague>c3' },
		]);
	});

	it('any label (an empty step) follows every label of the reached objects; a shared record is reached once, through the first path', async () => {
		const core = await realEstate();
		const page = await core.traverse({
			start: [
				{ objectKey: 'contact', recordId: 'c2' },
				{ objectKey: 'contact', recordId: 'c1' },
			],
			steps: [{ objectKey: PROPERTY }, {}],
		});
		expect(page.items.map(summary)).toEqual([
			{ depth: 1, record: `${PROPERTY}/p1`, from: 'contact/c1', path: 'owner:Owned Property>p1' },
			// p2 is linked to c2 and to c1: the path from c2 (the first start record) wins.
			{ depth: 1, record: `${PROPERTY}/p2`, from: 'contact/c2', path: 'owner:Owned Property>p2' },
			{
				depth: 2,
				record: `${LISTING}/l1`,
				from: 'contact/c1',
				path: 'owner:Owned Property>p1 listed_as:Listing>l1',
			},
			{
				depth: 2,
				record: `${LISTING}/l2`,
				from: 'contact/c2',
				path: 'owner:Owned Property>p2 listed_as:Listing>l2',
			},
			{
				depth: 2,
				record: `${LISTING}/l3`,
				from: 'contact/c2',
				path: 'owner:Owned Property>p2 listed_as:Listing>l3',
			},
		]);
	});

	it('pages in a stable order with a cap and a cursor, without repeats or gaps', async () => {
		const core = await realEstate();
		const query = {
			start: [{ objectKey: 'contact', recordId: 'c1' }],
			steps: [{}, {}],
		};
		const whole = (await core.traverse(query)).items.map(summary);
		expect(whole.map((r) => r.record)).toEqual([
			'contact/c2',
			'contact/c3',
			`${PROPERTY}/p1`,
			`${PROPERTY}/p2`,
			`${LISTING}/l1`,
			`${LISTING}/l2`,
			`${LISTING}/l3`,
		]);
		const pages: ReturnType<typeof summary>[][] = [];
		let cursor: string | undefined;
		do {
			const page = await core.traverse({ ...query, limit: 3, ...(cursor ? { cursor } : {}) });
			pages.push(page.items.map(summary));
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
		expect(pages.flat()).toEqual(whole);
		await expectError(
			core.traverse({ ...query, cursor: 'not-a-cursor' }),
			'VALIDATION',
			/Invalid cursor "not-a-cursor".*nextCursor/,
		);
	});

	it('a same-object pair label is followed from both of its sides', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'manager',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Manager',
			secondLabel: 'Report',
		});
		await core.links.linkMany([
			{ label: { key: 'manager' }, firstRecordId: 'boss', secondRecordId: 'mid' },
			{ label: { key: 'manager' }, firstRecordId: 'mid', secondRecordId: 'dev' },
		]);
		const page = await core.traverse({
			start: [{ objectKey: 'contact', recordId: 'mid' }],
			steps: [{ label: { key: 'manager' } }],
		});
		expect(page.items.map(summary)).toEqual([
			{ depth: 1, record: 'contact/boss', from: 'contact/mid', path: 'manager:Manager>boss' },
			{ depth: 1, record: 'contact/dev', from: 'contact/mid', path: 'manager:Report>dev' },
		]);
	});

	it('refuses steps that cannot continue, naming the step and how to fix it', async () => {
		const core = await realEstate();
		const start = [{ objectKey: 'contact', recordId: 'c1' }];
		await expectError(
			core.traverse({ start, steps: [{ label: { key: 'listed_as' } }] }),
			'VALIDATION',
			/steps\[0\]\.label \(key "listed_as"\) links custom_objects\.listing and custom_objects\.property, but this step starts from contact/,
		);
		await expectError(
			core.traverse({ start, steps: [{ label: { key: 'owner' } }, { objectKey: 'company' }] }),
			'VALIDATION',
			/steps\[1\] cannot reach company from custom_objects\.property through any label/,
		);
		await expectError(
			core.traverse({ start, steps: [{ label: { key: 'nope' } }] }),
			'NOT_FOUND',
			/key "nope"/,
		);
		await expectError(
			core.traverse({ start, steps: [{}, {}, {}, {}, {}, {}] }),
			'VALIDATION',
			/steps may hold at most 5 steps/,
		);
		await expectError(
			core.traverse({ start: [], steps: [{}] }),
			'VALIDATION',
			/start needs at least one record/,
		);
		await expectError(
			core.traverse({ start, steps: [{ label: 'owner' }] } as never),
			'VALIDATION',
			/steps\[0\]\.label must be \{ key \} or \{ id \}/,
		);
	});

	it('returns nothing (not an error) when a start record has no links', async () => {
		const core = await realEstate();
		const page = await core.traverse({
			start: [{ objectKey: 'contact', recordId: 'lonely' }],
			steps: [{}, {}],
		});
		expect(page).toEqual({ items: [], nextCursor: null });
	});
});
