/**
 * Issue 9 (hardening), cases 1–3 and 5: text the store would not keep byte for byte, inputs of the wrong
 * shape, and derived label keys that no longer collide across object pairs. Both dialects.
 */
import { AssociationError, openAssociations } from '../../core';
import { derivedKeyCandidates } from '../../core/derived-key';
import { LinkSqlRepository } from '../../core/store/repositories';
import { DIALECTS, rawQuery } from '../support/stores';
import { expectError, useStore } from './fixtures';

const PETS = 'custom_objects.pets';
const owner = { key: 'owner' };

describe.each(DIALECTS)('hardening on %s', (dialect) => {
	const store = useStore(dialect);
	const count = async (table: string) =>
		Number(
			(await rawQuery<{ n: unknown }>(store().config, `SELECT COUNT(*) AS n FROM ${table}`))[0].n,
		);
	const counts = async () => ({
		labels: await count('association_labels'),
		links: await count('association_links'),
		events: await count('association_events'),
	});

	async function withOwner() {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		return core;
	}

	describe('1. NUL in record ids', () => {
		it.each(['a\u0000b', '\u0000', 'x\u0000'])(
			'%j is a VALIDATION error naming the field, and nothing is written',
			async (id) => {
				const core = await withOwner();
				const before = await counts();
				const error = await expectError(
					core.links.link({ label: owner, firstRecordId: id, secondRecordId: 'co1' }),
					'VALIDATION',
					/firstRecordId must not contain the NUL character \(U\+0000/,
				);
				expect(error.details.index).toBe(0);
				const results = await core.links.linkMany([
					{ label: owner, firstRecordId: 'c1', secondRecordId: 'co1' },
					{ label: owner, firstRecordId: 'c2', secondRecordId: id },
				]);
				expect(results[0]).toMatchObject({ status: 'created' });
				expect(results[1]).toMatchObject({
					index: 1,
					status: 'error',
					error: {
						code: 'VALIDATION',
						message: expect.stringMatching(
							/^Invalid link: secondRecordId must not contain the NUL/,
						),
					},
				});
				expect(await counts()).toEqual({ ...before, links: 1, events: before.events + 1 });
			},
		);

		it('the real "a" links afterwards; unlinking "x\\u0000y" is refused and keeps the link of "x"', async () => {
			const core = await withOwner();
			await expectError(
				core.links.link({ label: owner, firstRecordId: 'a\u0000b', secondRecordId: 'co1' }),
				'VALIDATION',
			);
			expect(
				await core.links.link({ label: owner, firstRecordId: 'a', secondRecordId: 'co1' }),
			).toMatchObject({ status: 'created', link: { firstRecordId: 'a' } });
			await core.links.link({ label: owner, firstRecordId: 'x', secondRecordId: 'co1' });
			await expectError(
				core.links.unlink({ label: owner, firstRecordId: 'x\u0000y', secondRecordId: 'co1' }),
				'VALIDATION',
				/firstRecordId must not contain the NUL/,
			);
			await expectError(
				core.links.unlinkRecord({ objectKey: 'contact', recordId: 'x\u0000' }),
				'VALIDATION',
			);
			expect((await core.related.list({ objectKey: 'company', recordId: 'co1' })).items).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ recordId: 'a' }),
					expect.objectContaining({ recordId: 'x' }),
				]),
			);
			expect(await count('association_links')).toBe(2);
		});

		it('queries with a NUL id are VALIDATION errors too, not STORE', async () => {
			const core = await withOwner();
			await expectError(
				core.related.list({ objectKey: 'contact', recordId: 'a\u0000' }),
				'VALIDATION',
				/recordId must not contain the NUL/,
			);
			await expectError(
				core.related.count({ objectKey: 'contact', recordId: '\u0000' }),
				'VALIDATION',
			);
			await expectError(
				core.related.labelsBetween({
					first: { objectKey: 'contact', recordId: 'a' },
					second: { objectKey: 'company', recordId: 'b\u0000' },
				}),
				'VALIDATION',
				/second\.recordId must not contain the NUL/,
			);
			await expectError(core.labels.list({ search: 'ow\u0000' }), 'VALIDATION', /search/);
		});
	});

	describe('2. lone surrogates', () => {
		it.each(['x\ud800y', '\udfff', '😀'.slice(0, 1), '😀'.slice(1)])(
			'record id %j is refused as malformed Unicode',
			async (id) => {
				const core = await withOwner();
				const before = await counts();
				await expectError(
					core.links.link({ label: owner, firstRecordId: 'c1', secondRecordId: id }),
					'VALIDATION',
					/secondRecordId must be well-formed Unicode text: it contains half of a surrogate pair/,
				);
				expect(await counts()).toEqual(before);
			},
		);

		it('whole emoji are kept byte for byte, and lengths count characters as PostgreSQL does', async () => {
			const core = await withOwner();
			// 255 four-byte characters on both sides: the longest key PostgreSQL's unique index must hold.
			const id = '😀'.repeat(255);
			const other = '🏢'.repeat(255);
			const { link } = await core.links.link({
				label: owner,
				firstRecordId: id,
				secondRecordId: other,
			});
			expect(link.firstRecordId).toBe(id);
			const [row] = await rawQuery<{ first_record_id: string; second_record_id: string }>(
				store().config,
				'SELECT first_record_id, second_record_id FROM association_links',
			);
			expect(row).toEqual({ first_record_id: id, second_record_id: other });
			expect(
				await core.links.link({ label: owner, firstRecordId: id, secondRecordId: other }),
			).toMatchObject({ status: 'already_linked', link: { id: link.id } });
			await expectError(
				core.links.link({ label: owner, firstRecordId: `${id}😀`, secondRecordId: 'co1' }),
				'VALIDATION',
				/at most 255 characters \(it has 256\)/,
			);
		});

		it('display names: lone surrogates and control characters are refused, not replaced', async () => {
			const core = await store().open();
			const base = { firstObjectKey: 'contact', secondObjectKey: 'company' };
			await expectError(
				core.labels.create({ ...base, firstLabel: 'Own\ud83der' }),
				'VALIDATION',
				/firstLabel must be well-formed Unicode text/,
			);
			await expectError(
				core.labels.create({ ...base, firstLabel: 'Own\u0000er' }),
				'VALIDATION',
				/firstLabel must not contain the NUL/,
			);
			await expectError(
				core.labels.create({ ...base, firstLabel: 'Own\ter' }),
				'VALIDATION',
				/firstLabel must not contain control characters \(found U\+0009/,
			);
			const { label } = await core.labels.create({ ...base, firstLabel: '🏠 Owner 🐶' });
			await expectError(
				core.labels.rename({ key: label.key }, { firstLabel: 'x\udc00' }),
				'VALIDATION',
				/firstLabel must be well-formed/,
			);
			const [row] = await rawQuery<{ first_label: string }>(
				store().config,
				'SELECT first_label FROM association_labels',
			);
			expect(row.first_label).toBe('🏠 Owner 🐶');
			expect(await count('association_labels')).toBe(1);
		});

		it('namespaces and actors follow the same rule', async () => {
			await expectError(store().open('acme\u0000'), 'VALIDATION', /namespace/);
			await expectError(
				store().open('acme', { workflowId: 'w\ud800' }),
				'VALIDATION',
				/actor.*workflowId must be well-formed/,
			);
		});
	});

	describe('3. untyped failures are VALIDATION errors', () => {
		it.each([null, 'abc', {}, 5, undefined])(
			'batch calls given %j say a list is expected',
			async (value) => {
				const core = await withOwner();
				const before = await counts();
				const calls = [
					() => core.labels.createMany(value as never),
					() => core.links.linkMany(value as never),
					() => core.links.unlinkMany(value as never),
					() => core.links.unlinkRecords(value as never),
				];
				for (const call of calls)
					await expectError(call(), 'VALIDATION', /expected a list \(an array\)/);
				expect(await counts()).toEqual(before);
			},
		);

		it('options that are not { atomic } and label refs that are not objects', async () => {
			const core = await withOwner();
			await expectError(core.links.linkMany([], 'yes' as never), 'VALIDATION', /batch options/);
			await expectError(
				core.links.linkMany([], { atomic: 'yes' } as never),
				'VALIDATION',
				/atomic must be true or false/,
			);
			await expectError(core.labels.get(null as never), 'VALIDATION', /label reference/);
			await expectError(
				core.labels.rename(owner, null as never),
				'VALIDATION',
				/expected an object/,
			);
			await expectError(core.related.list(null as never), 'VALIDATION', /expected an object/);
			await expectError(core.events(5 as never), 'VALIDATION', /expected an object/);
			expect(
				await core.links.linkMany([null, 'x', 3] as never).then((r) => r.map((x) => x.status)),
			).toEqual(['error', 'error', 'error']);
		});

		it('a well-formed cursor past BIGINT range, or one not made by the core, is VALIDATION', async () => {
			const core = await withOwner();
			const cursor = (after: unknown) =>
				Buffer.from(JSON.stringify({ after })).toString('base64url');
			for (const bad of [
				cursor('9223372036854775808'),
				cursor('99999999999999999999999'),
				cursor('007'),
				`${cursor('7')}=`,
				cursor(7),
				'not a cursor',
			]) {
				await expectError(
					core.related.list({ objectKey: 'contact', recordId: 'c1', cursor: bad }),
					'VALIDATION',
					/Invalid cursor/,
				);
			}
			expect(
				await core.related.list({
					objectKey: 'contact',
					recordId: 'c1',
					cursor: cursor('9223372036854775807'),
				}),
			).toEqual({ items: [], nextCursor: null });
			await expectError(core.events({ afterId: 2 ** 63 }), 'VALIDATION', /afterId/);
			await expectError(core.labels.list({ offset: 1e300 }), 'VALIDATION', /offset/);
		});

		it('a malformed store configuration is VALIDATION, before anything is opened', async () => {
			await expectError(
				openAssociations(null as never, 'acme'),
				'VALIDATION',
				/store configuration/,
			);
			await expectError(
				openAssociations({ type: 'mysql' } as never, 'acme'),
				'VALIDATION',
				/"sqlite" or "postgres"/,
			);
			await expectError(
				openAssociations({ type: 'sqlite', path: 'a\u0000b' }, 'acme'),
				'VALIDATION',
				/path must not contain the NUL/,
			);
		});

		it('every refusal is an AssociationError', async () => {
			const core = await withOwner();
			const caught = await core.links.linkMany(null as never).catch((error: unknown) => error);
			expect(caught).toBeInstanceOf(AssociationError);
		});
	});

	it('a stored link that does not come back under its planned key is a STORE error and rolls back, never undefined', async () => {
		const core = await withOwner();
		const before = await counts();
		// What the SQLite driver did to "a\u0000b": the row came back as "a", so the result slot stayed empty.
		const insert = LinkSqlRepository.prototype.insert;
		const spy = jest
			.spyOn(LinkSqlRepository.prototype, 'insert')
			.mockImplementation(async function (this: LinkSqlRepository, ...args) {
				const rows = await insert.apply(this, args);
				return rows.map((row) => ({ ...row, firstRecordId: row.firstRecordId.slice(0, 1) }));
			});
		try {
			await expectError(
				core.links.link({ label: owner, firstRecordId: 'ab', secondRecordId: 'co1' }),
				'STORE',
				/returned no result for this link/,
			);
			const results = await core.links
				.linkMany([{ label: owner, firstRecordId: 'ab', secondRecordId: 'co1' }])
				.catch((error: AssociationError) => error.code);
			expect(results).toBe('STORE');
		} finally {
			spy.mockRestore();
		}
		expect(await counts()).toEqual(before);
	});

	describe('5. derived keys are unique without the user', () => {
		const owner = (secondObjectKey: string, firstObjectKey = 'contact') => ({
			firstObjectKey,
			secondObjectKey,
			firstLabel: 'Owner',
		});

		it('"Owner" on contact ↔ company and on contact ↔ pets: owner, then owner_contact_pets', async () => {
			const core = await store().open();
			const first = await core.labels.create(owner('company'));
			const second = await core.labels.create(owner(PETS));
			const third = await core.labels.create(owner('opportunity'));
			expect([first.label.key, second.label.key, third.label.key]).toEqual([
				'owner',
				'owner_contact_pets',
				'owner_contact_opportunity',
			]);
			// Re-running the same setup changes nothing, whichever key each label got.
			for (const [definition, label] of [
				[owner('company'), first.label],
				[owner(PETS), second.label],
				[owner('opportunity'), third.label],
			] as const) {
				expect(await core.labels.create(definition)).toEqual({ label, created: false });
			}
			// …also when the definition names the sides the other way round.
			expect(await core.labels.create(owner('contact', PETS))).toEqual({
				label: second.label,
				created: false,
			});
			expect(await count('association_labels')).toBe(3);
			expect(await count('association_events')).toBe(3);
		});

		it('a different definition on the same pair gets the next key; an explicit taken key stays a CONFLICT', async () => {
			const core = await store().open();
			await core.labels.create(owner(PETS));
			// The same names on the same pair are refused as a duplicate unless allowed (issue 16).
			await expectError(
				core.labels.create({ ...owner(PETS), firstLimit: 1 }),
				'CONFLICT',
				/Label "owner" \(contact ↔ custom_objects\.pets, "Owner"\) already has these names/,
			);
			const allowed = { ...owner(PETS), allowDuplicateNames: true };
			const limited = await core.labels.create({ ...allowed, firstLimit: 1 });
			expect(limited.label.key).toBe('owner_contact_pets');
			const again = await core.labels.create({ ...allowed, firstLimit: 2 });
			expect(again.label.key).toBe('owner_contact_pets_2');
			await expectError(
				core.labels.create({ ...owner('company'), key: 'owner' }),
				'CONFLICT',
				/A different label already uses key "owner"/,
			);
		});

		it('workers creating "Owner" for different pairs at once all succeed, with distinct keys', async () => {
			// Each pair twice: the second of a pair waits for the first (pair lock) and finds its label.
			const cores = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => store().open()));
			const pairs = ['company', PETS, 'opportunity', 'custom_objects.cars'];
			pairs.push(...pairs);
			const created = await Promise.all(
				cores.map((core, i) => core.labels.create(owner(pairs[i]))),
			);
			// Whoever commits first gets "owner"; the others the key of their pair.
			const keys = created.map((result) => result.label.key);
			expect(keys.slice(0, 4).filter((key) => key === 'owner')).toHaveLength(1);
			keys.forEach((key, i) =>
				expect(['owner', `owner_contact_${pairs[i].split('.').pop()}`]).toContain(key),
			);
			keys.slice(0, 4).forEach((key, i) => expect(keys[i + 4]).toBe(key));
			expect(created.filter((result) => result.created)).toHaveLength(4);
			expect(await count('association_labels')).toBe(4);
		});

		it('one batch: the second "Owner" sees the first', async () => {
			const core = await store().open();
			const results = await core.labels.createMany([owner('company'), owner(PETS), owner(PETS)]);
			expect(
				results.map((r) => (r.status === 'error' ? r.error.code : [r.status, r.label.key])),
			).toEqual([
				['created', 'owner'],
				['created', 'owner_contact_pets'],
				['unchanged', 'owner_contact_pets'],
			]);
		});

		it('emoji-only names derive a readable key from the object keys', async () => {
			const core = await store().open();
			const a = await core.labels.create({ ...owner(PETS), firstLabel: '🐶' });
			const b = await core.labels.create({ ...owner('company'), firstLabel: '🏢' });
			const c = await core.labels.create({ ...owner('company'), firstLabel: '⭐' });
			const d = await core.labels.create({
				firstObjectKey: 'contact',
				secondObjectKey: 'contact',
				firstLabel: '❤️',
			});
			expect([a.label.key, b.label.key, c.label.key, d.label.key]).toEqual([
				'contact_pets',
				'contact_company',
				'contact_company_2',
				'contact',
			]);
			expect((await core.labels.create({ ...owner(PETS), firstLabel: '🐶' })).created).toBe(false);
		});
	});
});

describe('derived key candidates', () => {
	it('stay valid label keys of at most 100 characters', () => {
		const long = `custom_objects.${'x'.repeat(85)}`;
		const keys = derivedKeyCandidates(
			{
				firstObjectKey: long,
				secondObjectKey: long,
				firstLabel: 'N'.repeat(100),
				secondLabel: 'M',
			},
			20,
		);
		expect(keys).toHaveLength(20);
		for (const key of keys) {
			expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
			expect(key.length).toBeLessThanOrEqual(100);
		}
		expect(new Set(keys).size).toBe(20);
	});
});
