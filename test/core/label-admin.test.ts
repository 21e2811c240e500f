/**
 * Issue 16: what an admin sees before saving a label (the preview), how each label is used, and the
 * guard against a second label that reads the same. Both dialects.
 */
import { previewLabel } from '../../core';
import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

const label = (overrides: Record<string, unknown>) => ({
	firstObjectKey: 'contact',
	secondObjectKey: 'company',
	firstLabel: 'Owner',
	secondLabel: 'Owner',
	firstLimit: 1000,
	secondLimit: 1000,
	symmetric: false,
	...overrides,
});

describe('the relationship preview', () => {
	it('single label between two objects', () => {
		expect(previewLabel(label({}))).toEqual({
			fromFirst: 'On a contact, a linked company appears as "Owner".',
			fromSecond: 'On a company, a linked contact appears as "Owner".',
			limits:
				'A contact links to at most 1,000 companies through this label; a company to at most 1,000 contacts.',
			text: 'On a contact, a linked company appears as "Owner". On a company, a linked contact appears as "Owner". A contact links to at most 1,000 companies through this label; a company to at most 1,000 contacts.',
		});
	});

	it("pair label between two objects: each record shows the other under the other side's name", () => {
		const preview = previewLabel(
			label({
				secondObjectKey: PROPERTY,
				firstLabel: 'Buyer',
				secondLabel: 'Seller',
				firstLimit: 1,
			}),
		);
		expect(preview.fromFirst).toBe('On a contact, a linked property record appears as "Seller".');
		expect(preview.fromSecond).toBe('On a property record, a linked contact appears as "Buyer".');
		expect(preview.limits).toBe(
			'A contact links to at most 1 property record through this label; a property record to at most 1,000 contacts.',
		);
	});

	it('single label between records of one object: no direction, one limit', () => {
		const preview = previewLabel(
			label({
				secondObjectKey: 'contact',
				firstLabel: 'Spouse',
				secondLabel: 'Spouse',
				firstLimit: 1,
				secondLimit: 1,
				symmetric: true,
			}),
		);
		expect(preview).toMatchObject({
			fromFirst: 'On a contact, a linked contact appears as "Spouse".',
			fromSecond:
				'The link has no direction: linking A to B is the same as linking B to A, and both contacts see each other as "Spouse".',
			limits: 'A contact has at most 1 "Spouse" link.',
		});
	});

	it('pair label between records of one object: each side named', () => {
		const preview = previewLabel(
			label({
				firstObjectKey: 'opportunity',
				secondObjectKey: 'opportunity',
				firstLabel: 'Parent',
				secondLabel: 'Child',
				firstLimit: 50,
				secondLimit: 1,
			}),
		);
		expect(preview).toMatchObject({
			fromFirst:
				'On the opportunity on the "Parent" side, the linked opportunity appears as "Child".',
			fromSecond:
				'On the opportunity on the "Child" side, the linked opportunity appears as "Parent".',
			limits:
				'An opportunity on the "Parent" side links to at most 50 opportunities; on the "Child" side, to at most 1.',
		});
	});
});

describe.each(DIALECTS)('label administration on %s', (dialect) => {
	const store = useStore(dialect);
	const count = async (table: string) =>
		Number((await rawQuery(store().config, `SELECT COUNT(*) AS n FROM ${table}`))[0].n);

	it('a dry run reports what creation would do, with the preview, and keeps nothing', async () => {
		const core = await store().open();
		await core.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		const before = [await count('association_labels'), await count('association_events')];
		const results = await core.labels.createMany(
			[
				{ firstObjectKey: 'contact', secondObjectKey: 'company', firstLabel: 'Owner' },
				{ firstObjectKey: 'contact', secondObjectKey: PROPERTY, firstLabel: 'Owner' },
				{
					firstObjectKey: 'contact',
					secondObjectKey: 'company',
					firstLabel: 'Owner',
					firstLimit: 5,
				},
			],
			{ dryRun: true },
		);
		expect(
			results.map((r) => (r.status === 'error' ? r.error.code : [r.status, r.label.key])),
		).toEqual([['unchanged', 'owner'], ['created', 'owner_contact_property'], 'CONFLICT']);
		expect(results[1]).toMatchObject({
			preview: { fromFirst: 'On a contact, a linked property record appears as "Owner".' },
		});
		expect([await count('association_labels'), await count('association_events')]).toEqual(before);
		expect((await core.labels.list()).map((l) => l.key)).toEqual(['owner']);
	});

	it('refuses a second label with the same names on the same pair, either way round, unless allowed', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		const duplicate = await expectError(
			core.labels.create({
				key: 'seller_buyer',
				firstObjectKey: PROPERTY,
				secondObjectKey: 'contact',
				firstLabel: 'Seller',
				secondLabel: 'Buyer',
			}),
			'CONFLICT',
			/^Label "buyer_seller" \(contact "Buyer" ↔ custom_objects\.property "Seller"\) already has these names on custom_objects\.property ↔ contact, so a second one would read the same to users\. Use "buyer_seller"/,
		);
		expect(duplicate.details).toMatchObject({
			key: 'seller_buyer',
			existing: { key: 'buyer_seller' },
		});
		// Re-running the setup is not a duplicate: the same definition comes back unchanged.
		const again = await core.labels.create({
			key: 'buyer_seller',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		expect(again.created).toBe(false);
		// The same names on another pair are not a duplicate; on this pair they are when allowed.
		await core.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		const allowed = await core.labels.create({
			key: 'seller_buyer',
			firstObjectKey: PROPERTY,
			secondObjectKey: 'contact',
			firstLabel: 'Seller',
			secondLabel: 'Buyer',
			allowDuplicateNames: true,
		});
		expect(allowed.created).toBe(true);
		expect(await count('association_labels')).toBe(3);
	});

	it('lists labels with their usage: links, busiest record per side against its limit, newest link', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'buyer',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			firstLimit: 4,
		});
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
			firstLimit: 5,
		});
		await core.labels.create({
			key: 'unused',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		const buyer = { key: 'buyer' };
		const spouse = { key: 'spouse' };
		const linked = await core.links.linkMany([
			{ label: buyer, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: buyer, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: buyer, firstRecordId: 'c1', secondRecordId: 'p3' },
			{ label: buyer, firstRecordId: 'c2', secondRecordId: 'p1' },
			// c9 sits on the first side once and on the second side twice: three links of one record.
			{ label: spouse, firstRecordId: 'c9', secondRecordId: 'c1' },
			{ label: spouse, firstRecordId: 'c2', secondRecordId: 'c9' },
			{ label: spouse, firstRecordId: 'c9', secondRecordId: 'c3' },
		]);
		const newest = linked.reduce(
			(max, r) => (r.status === 'created' && r.link.createdAt > max ? r.link.createdAt : max),
			'',
		);
		const labels = await core.labels.listWithUsage();
		expect(labels.map((l) => [l.key, l.usage])).toEqual([
			[
				'buyer',
				{
					links: 4,
					busiest: {
						first: { recordId: 'c1', links: 3, limit: 4, shareOfLimit: 0.75 },
						second: { recordId: 'p1', links: 2, limit: 1000, shareOfLimit: 0.002 },
					},
					lastLinkedAt: newest,
				},
			],
			[
				'spouse',
				{
					links: 3,
					busiest: {
						first: { recordId: 'c9', links: 3, limit: 5, shareOfLimit: 0.6 },
						second: null,
					},
					lastLinkedAt: newest,
				},
			],
			['unused', { links: 0, busiest: { first: null, second: null }, lastLinkedAt: null }],
		]);
		expect((await core.labels.list({ unusedOnly: true })).map((l) => l.key)).toEqual(['unused']);
		await core.links.unlinkRecord({ objectKey: 'contact', recordId: 'c9' });
		expect((await core.labels.listWithUsage({ unusedOnly: true })).map((l) => l.key)).toEqual([
			'spouse',
			'unused',
		]);
	});
});
