import { DIALECTS, rawQuery } from '../support/stores';
import { PROPERTY, expectError, useStore } from './fixtures';

const owner = { key: 'owner' };

describe.each(DIALECTS)('links on %s', (dialect) => {
	const store = useStore(dialect);
	const linkRows = () =>
		rawQuery<{ first_record_id: string; second_record_id: string }>(
			store().config,
			'SELECT first_record_id, second_record_id FROM association_links ORDER BY first_record_id, second_record_id',
		);

	async function withOwnerLabel(limits: { firstLimit?: number; secondLimit?: number } = {}) {
		const core = await store().open();
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Owner',
			...limits,
		});
		return core;
	}

	it('rule 1: links are many-to-many', async () => {
		const core = await withOwnerLabel();
		const results = await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p2' },
		]);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created']);
		expect(await linkRows()).toEqual([
			{ first_record_id: 'c1', second_record_id: 'p1' },
			{ first_record_id: 'c1', second_record_id: 'p2' },
			{ first_record_id: 'c2', second_record_id: 'p1' },
			{ first_record_id: 'c2', second_record_id: 'p2' },
		]);
	});

	it('several labels may link the same two records', async () => {
		const core = await withOwnerLabel();
		await core.labels.create({
			key: 'buyer',
			firstObjectKey: 'contact',
			secondObjectKey: PROPERTY,
			firstLabel: 'Buyer',
			secondLabel: 'Sold to',
		});
		await core.links.link({ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' });
		await core.links.link({ label: { key: 'buyer' }, firstRecordId: 'c1', secondRecordId: 'p1' });
		const between = await core.related.labelsBetween({
			first: { objectKey: 'contact', recordId: 'c1' },
			second: { objectKey: PROPERTY, recordId: 'p1' },
		});
		expect(
			between.map((l) => [l.labelKey, l.firstRecordLabel, l.secondRecordLabel]).sort(),
		).toEqual([
			['buyer', 'Buyer', 'Sold to'],
			['owner', 'Owner', 'Owner'],
		]);
	});

	it('rule 3: linking needs an existing label and records of its objects', async () => {
		const core = await withOwnerLabel();
		await expectError(
			core.links.link({ label: { key: 'missing' }, firstRecordId: 'c1', secondRecordId: 'p1' }),
			'NOT_FOUND',
			/No association label with key "missing"/,
		);
		const wrong = await expectError(
			core.links.link({
				label: owner,
				firstRecordId: 'c1',
				secondRecordId: 'c2',
				firstObjectKey: 'contact',
				secondObjectKey: 'contact',
			}),
			'VALIDATION',
			/Label "owner" links contact records to custom_objects\.property records, but the records given are contact and contact\. /,
		);
		expect(wrong.details.index).toBe(0);
		expect(await linkRows()).toEqual([]);
	});

	it('object keys given the other way round are put in the label order', async () => {
		const core = await withOwnerLabel();
		const result = await core.links.link({
			label: owner,
			firstRecordId: 'p9',
			secondRecordId: 'c9',
			firstObjectKey: PROPERTY,
			secondObjectKey: 'contact',
		});
		expect(result.link).toMatchObject({
			firstObjectKey: 'contact',
			firstRecordId: 'c9',
			secondRecordId: 'p9',
		});
		expect(await linkRows()).toEqual([{ first_record_id: 'c9', second_record_id: 'p9' }]);
	});

	it('rule 4: linking is idempotent: an existing link is reported, never duplicated, never an error', async () => {
		const core = await withOwnerLabel();
		const first = await core.links.link({
			label: owner,
			firstRecordId: 'c1',
			secondRecordId: 'p1',
		});
		const again = await core.links.link({
			label: owner,
			firstRecordId: 'c1',
			secondRecordId: 'p1',
		});
		expect(first.status).toBe('created');
		expect(again).toMatchObject({
			status: 'already_linked',
			link: { id: first.link.id, createdAt: first.link.createdAt },
		});
		const batch = await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' },
		]);
		expect(batch.map((r) => r.status)).toEqual(['already_linked', 'created', 'already_linked']);
		expect(await linkRows()).toHaveLength(2);
	});

	it('rule 5: a record links to at most N records through a label from its side; N+1 fails clearly', async () => {
		const core = await withOwnerLabel({ firstLimit: 2 });
		const results = await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p3' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p3' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
		]);
		expect(results.map((r) => r.status)).toEqual([
			'created',
			'created',
			'error',
			'created',
			'already_linked',
		]);
		expect(results[2]).toMatchObject({
			status: 'error',
			error: {
				code: 'RECORD_LIMIT',
				message: expect.stringMatching(
					/^contact record "c1" already has 2 links through label "owner" \("Owner"; limit 2 per record\): to custom_objects\.property "p1" and "p2"\. Unlink one/,
				),
			},
		});
		// the limit also holds across calls
		await expectError(
			core.links.link({ label: owner, firstRecordId: 'c1', secondRecordId: 'p4' }),
			'RECORD_LIMIT',
		);
		expect((await linkRows()).filter((row) => row.first_record_id === 'c1')).toHaveLength(2);
	});

	it('rule 5: a limit of 1 makes "each contact has one primary company"', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'primary',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Primary contact',
			secondLabel: 'Primary company',
			firstLimit: 1,
		});
		await core.links.link({
			label: { key: 'primary' },
			firstRecordId: 'c1',
			secondRecordId: 'acme',
		});
		await expectError(
			core.links.link({ label: { key: 'primary' }, firstRecordId: 'c1', secondRecordId: 'globex' }),
			'RECORD_LIMIT',
			/limit 1 per record/,
		);
		// the company side is unlimited
		await core.links.link({
			label: { key: 'primary' },
			firstRecordId: 'c2',
			secondRecordId: 'acme',
		});
		expect(await core.related.count({ objectKey: 'company', recordId: 'acme' })).toBe(2);
	});

	it('rule 5 on the second side counts links of the second record', async () => {
		const core = await withOwnerLabel({ secondLimit: 1 });
		const results = await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' },
		]);
		expect(results[1]).toMatchObject({
			status: 'error',
			error: {
				code: 'RECORD_LIMIT',
				message: expect.stringContaining('custom_objects.property record "p1"'),
			},
		});
	});

	it('rule 6: same-object single labels are symmetric: stored once, found from both records', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		});
		const ab = await core.links.link({
			label: { key: 'spouse' },
			firstRecordId: 'bob',
			secondRecordId: 'alice',
		});
		const ba = await core.links.link({
			label: { key: 'spouse' },
			firstRecordId: 'alice',
			secondRecordId: 'bob',
		});
		expect(ab.status).toBe('created');
		expect(ba).toMatchObject({ status: 'already_linked', link: { id: ab.link.id } });
		expect(await linkRows()).toEqual([{ first_record_id: 'alice', second_record_id: 'bob' }]);
		const fromBob = await core.related.list({ objectKey: 'contact', recordId: 'bob' });
		const fromAlice = await core.related.list({ objectKey: 'contact', recordId: 'alice' });
		expect(fromBob.items.map((i) => [i.recordId, i.label])).toEqual([['alice', 'Spouse']]);
		expect(fromAlice.items.map((i) => [i.recordId, i.label])).toEqual([['bob', 'Spouse']]);
		await expectError(
			core.links.link({ label: { key: 'spouse' }, firstRecordId: 'bob', secondRecordId: 'bob' }),
			'VALIDATION',
			/cannot be linked to itself/,
		);
	});

	it('rule 6: a symmetric label counts a record on either side against its one limit', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'sibling',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Sibling',
			firstLimit: 2,
		});
		const results = await core.links.linkMany([
			{ label: { key: 'sibling' }, firstRecordId: 'm', secondRecordId: 'a' }, // stored a–m: m second
			{ label: { key: 'sibling' }, firstRecordId: 'm', secondRecordId: 'z' }, // stored m–z: m first
			{ label: { key: 'sibling' }, firstRecordId: 'b', secondRecordId: 'm' }, // third for m
		]);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'error']);
		expect(await core.related.count({ objectKey: 'contact', recordId: 'm' })).toBe(2);
	});

	it('rule 6: same-object pairs are directional: A parent of B differs from B parent of A', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'parent_child',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Parent',
			secondLabel: 'Child',
		});
		const results = await core.links.linkMany([
			{ label: { key: 'parent_child' }, firstRecordId: 'ann', secondRecordId: 'ben' },
			{ label: { key: 'parent_child' }, firstRecordId: 'ben', secondRecordId: 'ann' },
		]);
		expect(results.map((r) => r.status)).toEqual(['created', 'created']);
		const fromAnn = await core.related.list({ objectKey: 'contact', recordId: 'ann' });
		expect(fromAnn.items.map((i) => [i.recordId, i.label, i.side])).toEqual([
			['ben', 'Child', 'second'],
			['ben', 'Parent', 'first'],
		]);
	});

	it('rule 9: unlink one link; unlink all links of a record, optionally for one label', async () => {
		const core = await withOwnerLabel();
		await core.labels.create({
			key: 'tenant',
			firstObjectKey: PROPERTY,
			secondObjectKey: 'contact',
			firstLabel: 'Rented',
			secondLabel: 'Tenant',
		});
		await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' },
			{ label: { key: 'tenant' }, firstRecordId: 'p3', secondRecordId: 'c1' },
		]);
		expect(
			await core.links.unlink({ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' }),
		).toMatchObject({ status: 'deleted' });
		expect(
			await core.links.unlink({ label: owner, firstRecordId: 'c2', secondRecordId: 'p1' }),
		).toMatchObject({ status: 'not_linked' });
		const onlyOwner = await core.links.unlinkRecord({
			objectKey: 'contact',
			recordId: 'c1',
			labels: [owner],
		});
		expect(onlyOwner.deleted).toBe(2);
		expect(await core.related.count({ objectKey: 'contact', recordId: 'c1' })).toBe(1);
		const all = await core.links.unlinkRecord({ objectKey: 'contact', recordId: 'c1' });
		expect(all.links.map((l) => [l.labelKey, l.firstRecordId, l.secondRecordId])).toEqual([
			['tenant', 'p3', 'c1'],
		]);
		expect(await linkRows()).toEqual([]);
		await expectError(
			core.links.unlinkRecord({ objectKey: 'company', recordId: 'x', labels: [owner] }),
			'VALIDATION',
			/links contact and custom_objects\.property, not company/,
		);
	});

	it('rule 9 in batches: unlinking all links of many records is one transaction with a result per record', async () => {
		const core = await withOwnerLabel();
		await core.labels.create({
			key: 'spouse',
			firstObjectKey: 'contact',
			secondObjectKey: 'contact',
			firstLabel: 'Spouse',
		});
		await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p2' },
			{ label: owner, firstRecordId: 'c2', secondRecordId: 'p2' },
			{ label: { key: 'spouse' }, firstRecordId: 'c1', secondRecordId: 'c3' },
			{ label: { key: 'spouse' }, firstRecordId: 'c4', secondRecordId: 'c2' },
		]);
		const { Store } = await import('../../core/store/store');
		const write = jest.spyOn(Store.prototype, 'write');
		const results = await core.links.unlinkRecords([
			{ objectKey: 'contact', recordId: 'c1' },
			{ objectKey: PROPERTY, recordId: 'p1' },
			{ objectKey: 'contact', recordId: 'c2', labels: [{ key: 'spouse' }] },
			{ objectKey: 'contact', recordId: 'c9', labels: [{ key: 'nope' }] },
		]);
		const transactions = write.mock.calls.length;
		write.mockRestore();
		expect(transactions).toBe(1);
		expect(results.map((r) => (r.status === 'unlinked' ? r.deleted : r.error.code))).toEqual([
			3,
			0,
			1,
			'NOT_FOUND',
		]);
		expect(
			results[0].status === 'unlinked' &&
				results[0].links.map((l) => [l.labelKey, l.firstRecordId, l.secondRecordId]).sort(),
		).toEqual([
			['owner', 'c1', 'p1'],
			['owner', 'c1', 'p2'],
			['spouse', 'c1', 'c3'],
		]);
		expect(await linkRows()).toEqual([{ first_record_id: 'c2', second_record_id: 'p2' }]);
		const deletedEvents = await rawQuery(
			store().config,
			"SELECT COUNT(*) AS n FROM association_events WHERE type = 'link.deleted'",
		);
		expect(Number(deletedEvents[0].n)).toBe(4);
		const atomic = await expectError(
			core.links.unlinkRecords(
				[
					{ objectKey: 'contact', recordId: 'c2' },
					{ objectKey: 'Bad', recordId: 'x' },
				],
				{ atomic: true },
			),
			'VALIDATION',
			/^Invalid record: objectKey must be a lowercase identifier/,
		);
		expect(atomic.details.index).toBe(1);
		expect(await linkRows()).toHaveLength(1);
	});

	it('rule 10: bad items get typed errors and change nothing; atomic batches write nothing at all', async () => {
		const core = await withOwnerLabel();
		const results = await core.links.linkMany([
			{ label: owner, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: '', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 'x'.repeat(256), secondRecordId: 'p1' },
			{ label: { key: 'Owner' }, firstRecordId: 'c1', secondRecordId: 'p1' },
			{ label: owner, firstRecordId: 42, secondRecordId: 'p1' },
		] as never);
		expect(results.map((r) => (r.status === 'error' ? r.error.code : r.status))).toEqual([
			'created',
			'VALIDATION',
			'VALIDATION',
			'VALIDATION',
			'created',
		]);
		expect(results[1]).toMatchObject({
			error: { message: expect.stringContaining('firstRecordId must not be empty') },
		});
		expect(results[2]).toMatchObject({
			error: { message: expect.stringContaining('firstRecordId must be at most 255 characters') },
		});
		expect(results[3]).toMatchObject({
			error: { message: expect.stringContaining('label.key must be snake_case') },
		});
		expect(await linkRows()).toEqual([
			{ first_record_id: '42', second_record_id: 'p1' },
			{ first_record_id: 'c1', second_record_id: 'p1' },
		]);

		const atomic = await expectError(
			core.links.linkMany(
				[
					{ label: owner, firstRecordId: 'c5', secondRecordId: 'p5' },
					{ label: { key: 'nope' }, firstRecordId: 'c6', secondRecordId: 'p6' },
				],
				{ atomic: true },
			),
			'NOT_FOUND',
		);
		expect(atomic.details.index).toBe(1);
		expect(await linkRows()).toHaveLength(2);
		const events = await rawQuery(
			store().config,
			"SELECT COUNT(*) AS n FROM association_events WHERE type = 'link.created'",
		);
		expect(Number(events[0].n)).toBe(2);
	});

	it('batch validation keeps every rule of the schema, item by item, however large the batch', async () => {
		const core = await withOwnerLabel();
		const good = { label: owner, firstRecordId: 'c1', secondRecordId: 'p1' };
		const results = await core.links.linkMany([
			good,
			{ ...good, firstRecordId: ' c1' },
			{ ...good, firstRecordId: 1.5 },
			{ ...good, secondRecordId: Number.MAX_SAFE_INTEGER + 10 },
			{ ...good, firstObjectKey: 'Contact' },
			{ ...good, label: { key: 'owner', extra: 1 } },
			{ ...good, note: 'x' },
			null,
		] as never);
		const messages = results.map((r) => (r.status === 'error' ? r.error.message : r.status));
		expect(messages[0]).toBe('created');
		expect(messages[1]).toMatch(/firstRecordId must not start or end with spaces/);
		expect(messages[2]).toMatch(/firstRecordId must be a record id \(text or an integer\)/);
		expect(messages[3]).toMatch(
			/secondRecordId must be an integer a JavaScript number holds exactly; send a larger id as text/,
		);
		expect(messages[4]).toMatch(/firstObjectKey must be a lowercase identifier/);
		expect(messages[5]).toMatch(/unknown field\(s\) "extra" in label/);
		expect(messages[6]).toMatch(/unknown field\(s\) "note"/);
		expect(messages[7]).toMatch(/^Invalid link: /);
		expect(results[7].index).toBe(7);
		expect(await linkRows()).toHaveLength(1);
	});

	it('a 10,000-pair batch is a few set-based statements per BATCH_ROWS rows in one transaction', async () => {
		const core = await withOwnerLabel();
		const { BATCH_ROWS } = await import('../../core/store/repositories/sql-batch');
		const { Store } = await import('../../core/store/store');
		const { SqliteExecutor, PostgresExecutor } = await import('../../core/store/executor');
		const executor = (dialect === 'sqlite' ? SqliteExecutor : PostgresExecutor).prototype;
		const all = jest.spyOn(executor, 'all');
		const run = jest.spyOn(executor, 'run');
		const write = jest.spyOn(Store.prototype, 'write');
		const pairs = Array.from({ length: 10_000 }, (_, i) => ({
			label: owner,
			firstRecordId: `c${i % 100}`,
			secondRecordId: `p${Math.floor(i / 100)}`,
		}));
		const started = process.hrtime.bigint();
		const results = await core.links.linkMany(pairs);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const statements = all.mock.calls.length + run.mock.calls.length;
		const transactions = write.mock.calls.length;
		all.mockRestore();
		run.mockRestore();
		write.mockRestore();
		expect(results.every((r) => r.status === 'created')).toBe(true);
		expect(transactions).toBe(1);
		// Label lookup, one count per side, the counter and the transaction; the links and their events per chunk.
		expect(statements).toBeLessThanOrEqual(6 + 2 * Math.ceil(10_000 / BATCH_ROWS));
		expect(
			Number((await rawQuery(store().config, 'SELECT COUNT(*) AS n FROM association_links'))[0].n),
		).toBe(10_000);
		process.stdout.write(
			`[${dialect}] 10,000-pair batch: ${statements} statements, ${(10_000 / seconds).toFixed(0)} links/s\n`,
		);
	});
});
