import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

describe.each(DIALECTS)('labels on %s', (dialect) => {
	const store = useStore(dialect);

	it('creates single and pair labels with the HighLevel shape and default limits', async () => {
		const core = await store().open();
		const owner = await core.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		expect(owner.created).toBe(true);
		expect(owner.label).toMatchObject({
			key: 'owner',
			kind: 'single',
			firstLabel: 'Owner',
			secondLabel: 'Owner',
			firstLimit: 1000,
			secondLimit: 1000,
			namespace: 'acme',
			symmetric: false,
		});
		const pair = await core.labels.create({
			key: 'property_buyer',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			firstLimit: 1,
		});
		expect(pair.label).toMatchObject({
			key: 'property_buyer',
			kind: 'pair',
			firstLimit: 1,
			secondLimit: 1000,
		});
		const rows = await rawQuery(
			store().config,
			'SELECT key, pair_key, first_limit FROM association_labels ORDER BY key',
		);
		expect(rows).toEqual([
			{ key: 'owner', pair_key: `contact|${PROPERTY}`, first_limit: 1000 },
			{ key: 'property_buyer', pair_key: `contact|${PROPERTY}`, first_limit: 1 },
		]);
	});

	it('derives the key from the display names when none is given', async () => {
		const core = await store().open();
		const { label } = await core.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Primary Company',
			secondLabel: 'Primary Contact',
		});
		expect(label.key).toBe('primary_company_primary_contact');
	});

	it('re-creating an identical label succeeds without change; a conflicting one is refused', async () => {
		const core = await store().open();
		const definition = {
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		};
		const first = await core.labels.create(definition);
		const again = await core.labels.create(definition);
		expect(again).toEqual({ label: first.label, created: false });
		await expectError(
			core.labels.create({ ...definition, firstLabel: 'Partner' }),
			'CONFLICT',
			/key "spouse".*choose another key/,
		);
		expect(await rawQuery(store().config, 'SELECT COUNT(*) AS n FROM association_labels')).toEqual([
			{ n: dialect === 'postgres' ? '1' : 1 },
		]);
	});

	it('creates many labels in one transaction, in order, with a result per item; atomic batches create nothing', async () => {
		const core = await store().open();
		const results = await core.labels.createMany([
			{ key: 'owner', firstObjectKey: 'contact', secondObjectKey: PROPERTY, firstLabel: 'Owner' },
			{ key: 'owner', firstObjectKey: 'contact', secondObjectKey: PROPERTY, firstLabel: 'Owner' },
			{ key: 'owner', firstObjectKey: 'contact', secondObjectKey: 'company', firstLabel: 'Owner' },
			{ firstObjectKey: 'Contact', secondObjectKey: PROPERTY, firstLabel: 'X' },
			{
				key: 'spouse',
				firstObjectKey: 'contact',
				secondObjectKey: 'contact',
				firstLabel: 'Spouse',
			},
		]);
		expect(results.map((r) => (r.status === 'error' ? r.error.code : r.status))).toEqual([
			'created',
			'unchanged',
			'CONFLICT',
			'VALIDATION',
			'created',
		]);
		expect(results[3]).toMatchObject({
			error: {
				message: expect.stringMatching(/^Invalid label definition: firstObjectKey/),
			},
		});
		const atomic = await expectError(
			core.labels.createMany(
				[
					{
						key: 'buyer',
						firstObjectKey: 'contact',
						secondObjectKey: PROPERTY,
						firstLabel: 'Buyer',
						secondLabel: 'Seller',
					},
					{
						key: 'spouse',
						firstObjectKey: 'contact',
						secondObjectKey: 'company',
						firstLabel: 'Spouse',
					},
				],
				{ atomic: true },
			),
			'CONFLICT',
		);
		expect(atomic.details.index).toBe(1);
		expect((await core.labels.list()).map((l) => l.key)).toEqual(['owner', 'spouse']);
		expect((await core.events()).map((e) => e.type)).toEqual(['label.created', 'label.created']);
	});

	it('rule 2: at most 10 labels per unordered object pair, the 11th names the pair and the limit', async () => {
		const core = await store().open();
		for (let i = 0; i < 5; i++)
			await core.labels.create({
				key: `a${i}`,
				firstObjectKey: 'contact',
				secondObjectKey: 'custom_objects.pets',
				firstLabel: `A${i}`,
			});
		for (let i = 0; i < 5; i++)
			await core.labels.create({
				key: `b${i}`,
				firstObjectKey: 'custom_objects.pets',
				secondObjectKey: 'contact',
				firstLabel: `B${i}`,
			});
		const error = await expectError(
			core.labels.create({
				key: 'eleventh',
				firstObjectKey: 'contact',
				secondObjectKey: 'custom_objects.pets',
				firstLabel: 'Eleventh',
			}),
			'LABEL_LIMIT',
			/contact ↔ custom_objects\.pets already has 10 labels, the limit is 10/,
		);
		expect(error.details).toMatchObject({ count: 10, limit: 10 });
		// another pair is not affected
		await expect(
			core.labels.create({
				key: 'other',
				firstObjectKey: 'contact',
				secondObjectKey: 'company',
				firstLabel: 'Other',
			}),
		).resolves.toMatchObject({ created: true });
	});

	it('validates object keys, keys and names with messages that say the rule', async () => {
		const core = await store().open();
		await expectError(
			core.labels.create({ firstObjectKey: 'Contact', secondObjectKey: PROPERTY, firstLabel: 'X' }),
			'VALIDATION',
			/firstObjectKey must be a lowercase identifier such as "contact"/,
		);
		await expectError(
			core.labels.create({
				key: 'Bad Key',
				firstObjectKey: 'contact',
				secondObjectKey: PROPERTY,
				firstLabel: 'X',
			}),
			'VALIDATION',
			/key must be snake_case/,
		);
		await expectError(
			core.labels.create({
				firstObjectKey: 'contact',
				secondObjectKey: PROPERTY,
				firstLabel: '  ',
			}),
			'VALIDATION',
			/firstLabel must not be empty/,
		);
		await expectError(
			core.labels.create({
				firstObjectKey: 'contact',
				secondObjectKey: PROPERTY,
				firstLabel: 'X',
				firstLimit: 1001,
			}),
			'VALIDATION',
			/firstLimit must be at most 1000/,
		);
		await expectError(
			core.labels.create({
				firstObjectKey: 'contact',
				secondObjectKey: PROPERTY,
				firstLabel: 'X',
				colour: 'red',
			} as never),
			'VALIDATION',
			/unknown field\(s\) "colour"/,
		);
		expect(await core.labels.list()).toEqual([]);
	});

	it('rule 7: rename changes display names only; key and object keys are immutable', async () => {
		const core = await store().open();
		const { label } = await core.labels.create({
			key: 'deal',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
		});
		const renamed = await core.labels.rename({ key: 'deal' }, { firstLabel: 'Purchaser' });
		expect(renamed).toMatchObject({
			id: label.id,
			key: 'deal',
			firstLabel: 'Purchaser',
			secondLabel: 'Seller',
		});
		await expectError(
			core.labels.rename({ key: 'deal' }, { key: 'other' }),
			'IMMUTABLE',
			/key of label "deal" cannot change/,
		);
		await expectError(
			core.labels.rename({ id: label.id }, { secondObjectKey: 'company' }),
			'IMMUTABLE',
			/secondObjectKey of label "deal" cannot change/,
		);
		expect(await core.labels.get({ key: 'deal' })).toMatchObject({
			firstLabel: 'Purchaser',
			secondObjectKey: PROPERTY,
		});
	});

	it('renaming a single label with one name keeps it single; a same-object single label cannot become a pair', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		expect(await core.labels.rename({ key: 'owner' }, { firstLabel: 'Proprietor' })).toMatchObject({
			kind: 'single',
			firstLabel: 'Proprietor',
			secondLabel: 'Proprietor',
		});
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		});
		await expectError(
			core.labels.rename({ key: 'spouse' }, { firstLabel: 'Husband', secondLabel: 'Wife' }),
			'IMMUTABLE',
			/cannot become a pair/,
		);
	});

	it('rule 7: a limit may be lowered only when no record exceeds it, and the error names those records', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p3' },
			{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' },
		]);
		const error = await expectError(
			core.labels.setLimits({ key: 'owner' }, { firstLimit: 2 }),
			'RECORD_LIMIT',
			/^Cannot lower the "Owner" \(contact\) limit of label "owner" to 2: these contact records already have more links through it: "c1" \(3\)\./,
		);
		expect(error.details.records).toEqual([{ recordId: 'c1', count: 3 }]);
		expect((await core.labels.get({ key: 'owner' })).firstLimit).toBe(1000);
		expect(
			await core.labels.setLimits({ key: 'owner' }, { firstLimit: 3, secondLimit: 2 }),
		).toMatchObject({ firstLimit: 3, secondLimit: 2 });
		await expectError(
			core.labels.setLimits({ key: 'owner' }, { secondLimit: 1 }),
			'RECORD_LIMIT',
			/"p1" \(2\)/,
		);
	});

	it('rule 8: delete needs the exact text DELETE and an unused label', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.links.linkMany([
			{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: { key: 'owner' }, firstRecordId: 'c2', secondRecordId: 'p1' },
		]);
		await expectError(
			core.labels.delete({ key: 'owner' }, 'delete'),
			'CONFIRMATION_REQUIRED',
			/type DELETE .* got "delete"/,
		);
		await expectError(core.labels.delete({ key: 'owner' }, undefined), 'CONFIRMATION_REQUIRED');
		const inUse = await expectError(
			core.labels.delete({ key: 'owner' }, 'DELETE'),
			'IN_USE',
			/^Label "owner" is still used by 2 links: contact "c1" – custom_objects\.property "p1", contact "c2" – custom_objects\.property "p1"\. Unlink them first/,
		);
		expect(inUse.details.links).toBe(2);
		await core.links.unlinkRecord({ objectKey: PROPERTY, recordId: 'p1' });
		const deleted = await core.labels.delete({ key: 'owner' }, 'DELETE');
		expect(deleted).toMatchObject({ deleted: true, key: 'owner' });
		await expectError(
			core.labels.get({ key: 'owner' }),
			'NOT_FOUND',
			/No association label with key "owner" in namespace "acme"/,
		);
		expect(await rawQuery(store().config, 'SELECT key FROM association_labels')).toEqual([]);
	});

	it('lists labels by object or pair, searches, reports usage and known objects', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		await core.labels.create({
			key: 'employer',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Employee',
			secondLabel: 'Employer',
		});
		await core.labels.create({
			key: 'pet_vet',
			firstObjectKey: 'custom_objects.pets',
			secondObjectKey: 'custom_objects.vets',
			firstLabel: 'Patient',
			secondLabel: 'Vet',
		});
		expect((await core.labels.list({ objectKey: 'contact' })).map((l) => l.key)).toEqual([
			'employer',
			'owner',
		]);
		expect(
			(await core.labels.list({ objectKey: PROPERTY, otherObjectKey: 'contact' })).map(
				(l) => l.key,
			),
		).toEqual(['owner']);
		expect((await core.labels.list({ search: 'VET' })).map((l) => l.key)).toEqual(['pet_vet']);
		expect((await core.labels.list({ search: '_' })).map((l) => l.key)).toEqual(['pet_vet']);
		await core.links.link({ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'p1' });
		expect(await core.labels.usage({ key: 'owner' })).toMatchObject({ links: 1 });
		expect(await core.labels.objectKeys()).toEqual([
			'company',
			'contact',
			'custom_objects.pets',
			'custom_objects.property',
			'custom_objects.vets',
			'opportunity',
		]);
	});

	it('namespaces never see each other', async () => {
		const a = await store().open('tenant_a');
		const b = await store().open('tenant_b');
		await a.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
		});
		expect(await b.labels.list()).toEqual([]);
		await expectError(b.labels.get({ key: 'owner' }), 'NOT_FOUND', /namespace "tenant_b"/);
		await expectError(
			b.links.link({ label: { key: 'owner' }, firstRecordId: 'c', secondRecordId: 'p' }),
			'NOT_FOUND',
		);
		const theirs = await b.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Boss',
		});
		expect(theirs.created).toBe(true);
		expect((await a.labels.get({ key: 'owner' })).secondObjectKey).toBe(PROPERTY);
		await expectError(a.labels.get({ id: theirs.label.id }), 'NOT_FOUND');
		await expectError(
			store().open('bad namespace!'),
			'VALIDATION',
			/Invalid namespace: "bad namespace!" may contain letters/,
		);
	});
});
