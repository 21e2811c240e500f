/**
 * Batches bound as tables: columns with one value in every row are bound once, statements are split by
 * rows and by bound text, and what the statements store is the same either way.
 */
import {
	columnsAsTable,
	rowsAsTable,
	statementRanges,
} from '../../core/store/repositories/sql-batch';
import { BATCH_ROWS, STATEMENT_BYTES } from '../../core/store/repositories/sql-batch';
import { DIALECTS, rawQuery } from '../support/stores';
import { useStore } from './fixtures';

describe('statementRanges', () => {
	const ranges = (count: number, bytes: (i: number) => number) => [
		...statementRanges(count, bytes),
	];

	it('covers every row once, in order, with at most BATCH_ROWS rows per statement', () => {
		const out = ranges(BATCH_ROWS * 2 + 5, () => 10);
		expect(out).toEqual([
			[0, BATCH_ROWS],
			[BATCH_ROWS, BATCH_ROWS * 2],
			[BATCH_ROWS * 2, BATCH_ROWS * 2 + 5],
		]);
	});

	it('ends a statement at the row that reaches STATEMENT_BYTES', () => {
		const rowBytes = 1_000;
		const perStatement = Math.ceil(STATEMENT_BYTES / rowBytes);
		const out = ranges(perStatement * 3, () => rowBytes);
		expect(out).toEqual([
			[0, perStatement],
			[perStatement, perStatement * 2],
			[perStatement * 2, perStatement * 3],
		]);
	});

	it('gives a row larger than the limit a statement of its own', () => {
		expect(ranges(3, (i) => (i === 1 ? STATEMENT_BYTES * 2 : 10))).toEqual([
			[0, 2],
			[2, 3],
		]);
	});

	it('yields nothing for no rows', () => {
		expect(ranges(0, () => 10)).toEqual([]);
	});
});

describe.each(DIALECTS)('rows bound as a table on %s', (dialect) => {
	const store = useStore(dialect);

	/** The bound table read back through the store's database, in row order. */
	async function readBack(table: { sql: string; params: unknown[] }, columns: string[]) {
		await (await store().open()).labels.list(); // creates the database's schema and pool
		const list = columns.map((column) => `v.${column}`).join(', ');
		return rawQuery(
			store().config,
			`SELECT ${list}, v.ord FROM ${table.sql} v ORDER BY v.ord`,
			table.params,
		);
	}

	const columns = ['label_id', 'record_id', 'note'];

	it('compact: binds a label shared by every row once, and reads back nulls, in order', async () => {
		const rows = [
			['label-1', 'r1', null],
			['label-1', 'r2', 'x'],
			['label-1', 'r3', null],
		];
		const table = rowsAsTable(dialect, columns, rows, { ordinal: true, compact: true });
		// The shared label is bound once: the bound rows only hold what differs.
		expect(table.params.filter((param) => param === 'label-1')).toEqual(['label-1']);
		const read = await readBack(table, columns);
		expect(read.map((row) => [row.label_id, row.record_id, row.note])).toEqual(rows);
		expect(read.map((row) => Number(row.ord))).toEqual([0, 1, 2]);
	});

	it('without compact (joins), binds the rows as they are: no label becomes a plain parameter', () => {
		const table = rowsAsTable(dialect, columns, [
			['label-1', 'r1', 'n'],
			['label-1', 'r2', 'n'],
		]);
		expect(table.params).not.toContain('label-1');
		expect(table.params).toHaveLength(dialect === 'sqlite' ? 1 : columns.length);
	});

	it('compact: reads back a column null in every row, rows all alike, and a single row', async () => {
		const nullNotes = [
			['a', 'r1', null],
			['b', 'r2', null],
		];
		const same = [
			['a', 'r1', 'n'],
			['a', 'r1', 'n'],
		];
		for (const rows of [nullNotes, same, [['only', 'row', null]]]) {
			const table = rowsAsTable(dialect, columns, rows, { ordinal: true, compact: true });
			const read = await readBack(table, columns);
			expect(read.map((row) => [row.label_id, row.record_id, row.note])).toEqual(rows);
		}
	});

	it('compact: reads a few distinct values per column (a dictionary) given column by column', async () => {
		const table = columnsAsTable(
			dialect,
			columns,
			[
				['l', 'l', 'l'],
				['r1', 'r2', 'r3'],
				['n', null, 'n'],
			],
			{ ordinal: true, compact: true },
		);
		const read = await readBack(table, columns);
		expect(read.map((row) => [row.label_id, row.record_id, row.note])).toEqual([
			['l', 'r1', 'n'],
			['l', 'r2', null],
			['l', 'r3', 'n'],
		]);
	});
});

describe.each(DIALECTS)('a batch of long record ids on %s', (dialect) => {
	const store = useStore(dialect);

	it('stores every link and one event per link, at consecutive positions in item order', async () => {
		const core = await store().open();
		await core.labels.create({
			key: 'owns',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		// 255-character ids: far fewer rows than BATCH_ROWS fill a statement's bound text.
		const id = (prefix: string, i: number) => `${prefix}${i}`.padEnd(255, '-');
		const count = 1_500;
		const items = Array.from({ length: count }, (_, i) => ({
			label: { key: 'owns' },
			firstRecordId: id('c', i % 10),
			secondRecordId: id('k', i),
		}));
		const results = await core.links.linkMany(items, { atomic: true });
		expect(results.every((result) => result.status === 'created')).toBe(true);

		const [{ n }] = await rawQuery<{ n: unknown }>(
			store().config,
			'SELECT COUNT(*) AS n FROM association_links',
		);
		expect(Number(n)).toBe(count);
		const events = await rawQuery<{ position: unknown; second_record_id: string; data: string }>(
			store().config,
			`SELECT position, second_record_id, data FROM association_events
       WHERE type = 'link.created' ORDER BY position`,
		);
		expect(events).toHaveLength(count);
		const first = Number(events[0].position);
		events.forEach((event, i) => {
			expect(Number(event.position)).toBe(first + i);
			expect(event.second_record_id).toBe(id('k', i));
			const created = results[i];
			expect(JSON.parse(event.data)).toEqual({
				linkId: created.status === 'created' ? created.link.id : undefined,
			});
		});
	});
});
