import type { Associations, LabelDefinitions } from '../../core';
import { DIALECTS } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

describe.each(DIALECTS)('label definitions on %s', (dialect) => {
	const store = useStore(dialect);

	async function staging(): Promise<Associations> {
		const core = await store().open('staging');
		await core.labels.createMany(
			[
				{
					key: 'owner',
					firstObjectKey: 'contact',
					secondObjectKey: PROPERTY,
					firstLabel: 'Owner',
					firstLimit: 5,
				},
				{
					key: 'deal',
					firstObjectKey: 'contact',
					secondObjectKey: PROPERTY,
					firstLabel: 'Buyer',
					secondLabel: 'Seller',
				},
				{
					key: 'colleague',
					firstObjectKey: 'contact',
					secondObjectKey: 'contact',
					firstLabel: 'Colleague',
					firstLimit: 50,
				},
			],
			{ atomic: true },
		);
		return core;
	}

	const labelsOf = async (core: Associations) =>
		(await core.labels.list())
			.map((l) => [l.key, l.kind, l.firstLabel, l.secondLabel, l.firstLimit, l.secondLimit])
			.sort();

	it('exports a namespace as one document that imports into another as the same labels, and again as unchanged', async () => {
		const source = await staging();
		const exported = await source.exportDefinitions();
		expect(exported).toMatchObject({
			format: 'n8n-nodes-object-associations/label-definitions',
			version: 1,
			namespace: 'staging',
		});
		expect(exported.labels.map((label) => label.key)).toEqual(['colleague', 'deal', 'owner']);
		expect(exported.labels[2]).toEqual({
			key: 'owner',
			kind: 'single',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
			secondLabel: 'Owner',
			firstLimit: 5,
			secondLimit: 1000,
		});
		const production = await store().open('production');
		const first = await production.importDefinitions(JSON.parse(JSON.stringify(exported)));
		expect(first.map((r) => [r.key, r.action])).toEqual([
			['colleague', 'create'],
			['deal', 'create'],
			['owner', 'create'],
		]);
		expect(await labelsOf(production)).toEqual(await labelsOf(source));
		const again = await production.importDefinitions(exported);
		expect(again.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
	});

	it('renames and changes limits by key, recording both; a dry run lists the same changes and keeps nothing', async () => {
		const core = await staging();
		const document = await core.exportDefinitions();
		const owner = document.labels.find((label) => label.key === 'owner')!;
		Object.assign(owner, { firstLabel: 'Proprietor', secondLabel: 'Proprietor', firstLimit: 10 });
		const preview = await core.importDefinitions(document, { dryRun: true });
		expect(preview.find((r) => r.key === 'owner')).toEqual({
			index: 2,
			key: 'owner',
			action: 'update',
			changes: [
				{ field: 'firstLabel', from: 'Owner', to: 'Proprietor' },
				{ field: 'secondLabel', from: 'Owner', to: 'Proprietor' },
				{ field: 'firstLimit', from: 5, to: 10 },
			],
		});
		expect((await core.labels.get({ key: 'owner' })).firstLabel).toBe('Owner');
		const applied = await core.importDefinitions(document);
		expect(applied).toEqual(preview);
		expect(await core.labels.get({ key: 'owner' })).toMatchObject({
			firstLabel: 'Proprietor',
			firstLimit: 10,
		});
		const events = (await core.events()).filter((event) => event.type !== 'label.created');
		expect(events.map((event) => [event.type, event.labelKey, event.data?.to])).toEqual([
			['label.renamed', 'owner', { firstLabel: 'Proprietor', secondLabel: 'Proprietor' }],
			['label.limits_changed', 'owner', { firstLimit: 10, secondLimit: 1000 }],
		]);
	});

	it('refuses to change objects or single ↔ pair, naming the entry and field, and then imports nothing', async () => {
		const core = await staging();
		const document = await core.exportDefinitions();
		const fresh = { ...document.labels[0], key: 'brand_new' };
		const moved: LabelDefinitions = {
			...document,
			labels: [fresh, { ...document.labels[2], secondObjectKey: 'company' }],
		};
		await expectError(
			core.importDefinitions(moved),
			'IMMUTABLE',
			/labels\[1\] \("owner"\): the secondObjectKey of the existing label is "custom_objects\.property" and cannot become "company".*labels\[1\]\.secondObjectKey/,
		);
		const toPair = {
			...document,
			labels: [fresh, { ...document.labels[2], kind: 'pair' as const, secondLabel: 'Property' }],
		};
		await expectError(
			core.importDefinitions(toPair),
			'IMMUTABLE',
			/labels\[1\] \("owner"\): the kind of the existing label is "single" and cannot become "pair"/,
		);
		await expectError(core.importDefinitions(toPair, { dryRun: true }), 'IMMUTABLE');
		expect((await core.labels.list()).map((label) => label.key)).not.toContain('brand_new');
	});

	it('refuses a limit lower than current usage, naming the records; a lower limit usage allows is applied', async () => {
		const core = await staging();
		await core.links.linkMany(
			['p1', 'p2', 'p3'].map((p) => ({
				label: { key: 'owner' },
				firstRecordId: 'c1',
				secondRecordId: p,
			})),
			{ atomic: true },
		);
		const document = await core.exportDefinitions();
		const withOwnerLimit = (firstLimit: number) => ({
			...document,
			labels: document.labels.map((label) =>
				label.key === 'owner' ? { ...label, firstLimit } : label,
			),
		});
		await expectError(
			core.importDefinitions(withOwnerLimit(2)),
			'RECORD_LIMIT',
			/labels\[2\] \("owner"\): Cannot lower the "Owner" \(contact\) limit of label "owner" to 2: .*"c1" \(3\)/,
		);
		expect((await core.labels.get({ key: 'owner' })).firstLimit).toBe(5);
		await core.importDefinitions(withOwnerLimit(3));
		expect((await core.labels.get({ key: 'owner' })).firstLimit).toBe(3);
	});

	it('refuses a document that is not an export, repeats a key, or says the wrong kind', async () => {
		const core = await staging();
		const document = await core.exportDefinitions();
		await expectError(
			core.importDefinitions({ ...document, format: 'csv' }),
			'VALIDATION',
			/format must be "n8n-nodes-object-associations\/label-definitions"/,
		);
		await expectError(
			core.importDefinitions({ ...document, labels: [document.labels[0], document.labels[0]] }),
			'VALIDATION',
			/labels\[1\] repeats key "colleague" of labels\[0\]/,
		);
		await expectError(
			core.importDefinitions({ ...document, labels: [{ ...document.labels[2], kind: 'pair' }] }),
			'VALIDATION',
			/labels\[0\] \("owner"\): kind is "pair", but its names make it a single label/,
		);
		await expectError(
			core.importDefinitions({ ...document, labels: [{ ...document.labels[2], firstLimit: 0 }] }),
			'VALIDATION',
			/labels\[0\]\.firstLimit must be at least 1/,
		);
	});
});
