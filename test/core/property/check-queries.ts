/** Checks of a query's result: nothing changed, and every item it returns is what is stored. */
import type { Outcome } from './check';
import type { Operation } from './operations';
import { linkRow } from './stored-rows';

type QueryOperation = Extract<
	Operation,
	{ op: 'relatedList' | 'relatedCount' | 'labelsBetween' | 'events' }
>;

export async function checkQuery(
	operation: QueryOperation,
	{ raw, result, unchanged }: Outcome,
): Promise<string> {
	switch (operation.op) {
		case 'relatedList': {
			unchanged();
			const page = result as {
				items: Array<{ recordId: string; linkId: string; labelId: string; side: string }>;
				nextCursor: string | null;
			};
			const recordId = String((operation.query as { recordId: unknown }).recordId);
			for (const item of page.items) {
				const row = await linkRow(raw, item.linkId);
				expect(row).toBeDefined();
				expect(String(row.label_id)).toBe(item.labelId);
				const [mine, theirs] =
					item.side === 'first'
						? [row.second_record_id, row.first_record_id]
						: [row.first_record_id, row.second_record_id];
				expect([mine, theirs]).toEqual([recordId, item.recordId]);
			}
			expect(page.nextCursor === null || typeof page.nextCursor === 'string').toBe(true);
			return 'ok';
		}
		case 'relatedCount':
			unchanged();
			expect(Number.isInteger(result)).toBe(true);
			expect(result as number).toBeGreaterThanOrEqual(0);
			return 'ok';
		case 'labelsBetween':
			unchanged();
			for (const item of result as Array<{ linkId: string; labelId: string }>) {
				const row = await linkRow(raw, item.linkId);
				expect(String(row?.label_id)).toBe(item.labelId);
			}
			return 'ok';
		case 'events': {
			unchanged();
			const events = result as Array<{
				id: number;
				namespace: string;
				type: string;
				labelId: string;
				labelKey: string;
				firstRecordId: string | null;
				secondRecordId: string | null;
				actor: unknown;
			}>;
			for (const event of events) {
				const [row] = await raw.all(
					`SELECT namespace, type, label_id, label_key, first_record_id, second_record_id, actor
					FROM association_events WHERE id = ?`,
					[event.id],
				);
				expect({
					...row,
					label_id: String(row.label_id),
					actor: row.actor === null ? null : JSON.parse(String(row.actor)),
				}).toEqual({
					namespace: event.namespace,
					type: event.type,
					label_id: event.labelId,
					label_key: event.labelKey,
					first_record_id: event.firstRecordId,
					second_record_id: event.secondRecordId,
					actor: event.actor,
				});
			}
			expect(events.map((event) => event.id)).toEqual(
				[...events.map((event) => event.id)].sort((a, b) => a - b),
			);
			return 'ok';
		}
	}
}
