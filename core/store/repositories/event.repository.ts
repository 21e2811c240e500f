import type { Actor, AssociationEvent, EventType } from '../../types';
import type { SqlExecutor } from '../executor';
import type { EventRepository, NewEvent } from '../repository';
import { inChunks, rowsAsTable } from './sql-batch';

const EVENT_COLUMNS = [
	'type',
	'label_id',
	'label_key',
	'first_record_id',
	'second_record_id',
	'data',
];

const parseJson = (value: unknown): Record<string, unknown> | null =>
	value === null || value === undefined
		? null
		: (JSON.parse(String(value)) as Record<string, unknown>);

export class EventSqlRepository implements EventRepository {
	constructor(private readonly sql: SqlExecutor) {}

	async append(
		namespace: string,
		actor: Actor | null,
		events: NewEvent[],
		createdAt: string,
	): Promise<void> {
		if (events.length === 0) return;
		const actorJson = actor ? JSON.stringify(actor) : null;
		await inChunks(this.sql, events, async (chunk) => {
			const batch = rowsAsTable(
				this.sql.dialect,
				EVENT_COLUMNS,
				chunk.map((event) => [
					event.type,
					event.labelId,
					event.labelKey,
					event.firstRecordId ?? null,
					event.secondRecordId ?? null,
					event.data ? JSON.stringify(event.data) : null,
				]),
			);
			await this.sql.run(
				`INSERT INTO association_events
           (namespace, type, label_id, label_key, first_record_id, second_record_id, data, actor, created_at)
         SELECT ?, ${EVENT_COLUMNS.map((column) => `v.${column}`).join(', ')}, ?, ? FROM ${batch.sql} v`,
				[namespace, actorJson, createdAt, ...batch.params],
			);
			return [];
		});
	}

	async list(
		namespace: string,
		afterId: number,
		limit: number,
		labelKey?: string,
	): Promise<AssociationEvent[]> {
		const byLabel = labelKey === undefined ? '' : 'AND label_key = ?';
		const rows = await this.sql.all(
			`SELECT id, namespace, type, label_id, label_key, first_record_id, second_record_id, data, actor, created_at
       FROM association_events WHERE namespace = ? AND id > ? ${byLabel} ORDER BY id LIMIT ?`,
			[namespace, afterId, ...(labelKey === undefined ? [] : [labelKey]), limit],
		);
		return rows.map((row) => ({
			id: Number(row.id),
			namespace: String(row.namespace),
			type: row.type as EventType,
			labelId: String(row.label_id),
			labelKey: String(row.label_key),
			firstRecordId: row.first_record_id === null ? null : String(row.first_record_id),
			secondRecordId: row.second_record_id === null ? null : String(row.second_record_id),
			data: parseJson(row.data),
			actor: parseJson(row.actor) as Actor | null,
			createdAt: String(row.created_at),
		}));
	}
}
