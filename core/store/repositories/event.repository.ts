import { linkEvent } from '../../events';
import type { Actor, AssociationEvent, Link, LinkEventType } from '../../types';
import type { SqlExecutor } from '../executor';
import type { EventQuery, EventRepository, NewEvent } from '../repository';
import { BATCH_ROWS, placeholders, rowsAsTable } from './sql-batch';
import { readEventRow } from './event-row';

const EVENT_COLUMNS = [
	'position',
	'type',
	'label_id',
	'label_key',
	'first_object_key',
	'second_object_key',
	'first_record_id',
	'second_record_id',
	'data',
];

/** Queued events: `count` of them, built one statement's worth at a time by `event(i)`. */
interface Pending {
	namespace: string;
	actor: Actor | null;
	count: number;
	event: (index: number) => NewEvent;
	createdAt: string;
}

/** The event columns plus the label's current display names (null once the label is deleted). */
const SELECT_EVENTS = `SELECT e.id, e.position, e.namespace, e.type, e.label_id, e.label_key,
  e.first_object_key, e.second_object_key, e.first_record_id, e.second_record_id, e.data, e.actor,
  e.created_at, l.first_label, l.second_label
  FROM association_events e LEFT JOIN association_labels l ON l.id = e.label_id`;

export class EventSqlRepository implements EventRepository {
	private pending: Pending[] = [];

	constructor(private readonly sql: SqlExecutor) {}

	async append(
		namespace: string,
		actor: Actor | null,
		events: NewEvent[],
		createdAt: string,
	): Promise<void> {
		this.queue(namespace, actor, events.length, (index) => events[index], createdAt);
	}

	async appendLinks(
		namespace: string,
		actor: Actor | null,
		type: LinkEventType,
		links: Link[],
		createdAt: string,
	): Promise<void> {
		this.queue(namespace, actor, links.length, (index) => linkEvent(type, links[index]), createdAt);
	}

	private queue(
		namespace: string,
		actor: Actor | null,
		count: number,
		event: (index: number) => NewEvent,
		createdAt: string,
	): void {
		if (count > 0) this.pending.push({ namespace, actor, count, event, createdAt });
	}

	async flush(): Promise<void> {
		const pending = this.pending;
		this.pending = [];
		const namespaces = [...new Set(pending.map((entry) => entry.namespace))].sort();
		for (const namespace of namespaces) {
			const entries = pending.filter((entry) => entry.namespace === namespace);
			const count = entries.reduce((sum, entry) => sum + entry.count, 0);
			// The row lock taken here is held until commit: positions are handed out in commit order.
			const [row] = await this.sql.all<{ last_position: unknown }>(
				`INSERT INTO association_event_positions (namespace, last_position) VALUES (?, ?)
         ON CONFLICT (namespace) DO UPDATE
         SET last_position = association_event_positions.last_position + excluded.last_position
         RETURNING last_position`,
				[namespace, count],
			);
			let position = Number(row.last_position) - count;
			for (const entry of entries) {
				await this.insert(entry, position);
				position += entry.count;
			}
		}
	}

	/** The entry's events at positions after `position`, as rows built one statement's worth at a time. */
	private async insert(entry: Pending, position: number): Promise<void> {
		const actorJson = entry.actor ? JSON.stringify(entry.actor) : null;
		for (let start = 0; start < entry.count; start += BATCH_ROWS) {
			const rows: (string | null)[][] = [];
			for (let index = start; index < Math.min(entry.count, start + BATCH_ROWS); index++) {
				const event = entry.event(index);
				rows.push([
					String(++position),
					event.type,
					event.labelId,
					event.labelKey,
					event.firstObjectKey,
					event.secondObjectKey,
					event.firstRecordId ?? null,
					event.secondRecordId ?? null,
					event.data ? JSON.stringify(event.data) : null,
				]);
			}
			const batch = rowsAsTable(this.sql.dialect, EVENT_COLUMNS, rows);
			const values = EVENT_COLUMNS.map((column) =>
				column === 'position' ? 'CAST(v.position AS BIGINT)' : `v.${column}`,
			).join(', ');
			await this.sql.run(
				`INSERT INTO association_events
           (namespace, actor, created_at, ${EVENT_COLUMNS.join(', ')})
         SELECT ?, ?, ?, ${values} FROM ${batch.sql} v ORDER BY CAST(v.position AS BIGINT)`,
				[entry.namespace, actorJson, entry.createdAt, ...batch.params],
			);
		}
	}

	async horizon(namespace: string): Promise<number> {
		const rows = await this.sql.all<{ last_position: unknown }>(
			'SELECT last_position FROM association_event_positions WHERE namespace = ?',
			[namespace],
		);
		return rows.length === 0 ? 0 : Number(rows[0].last_position);
	}

	async oldestPosition(namespace: string): Promise<number | null> {
		const rows = await this.sql.all<{ position: unknown }>(
			'SELECT MIN(position) AS position FROM association_events WHERE namespace = ?',
			[namespace],
		);
		return rows[0]?.position === null || rows[0]?.position === undefined
			? null
			: Number(rows[0].position);
	}

	async find(query: EventQuery): Promise<AssociationEvent[]> {
		const where = ['e.namespace = ?'];
		const params: unknown[] = [query.namespace];
		const add = (condition: string, ...values: unknown[]) => {
			where.push(condition);
			params.push(...values);
		};
		if (query.after !== undefined) add('e.position > ?', query.after);
		if (query.before !== undefined) add('e.position < ?', query.before);
		if (query.upTo !== undefined) add('e.position <= ?', query.upTo);
		if (query.types?.length) add(`e.type IN (${placeholders(query.types.length)})`, ...query.types);
		if (query.labelKeys?.length)
			add(`e.label_key IN (${placeholders(query.labelKeys.length)})`, ...query.labelKeys);
		if (query.objectKey !== undefined)
			add('(e.first_object_key = ? OR e.second_object_key = ?)', query.objectKey, query.objectKey);
		if (query.record !== undefined) {
			const { objectKey, recordId } = query.record;
			add(
				'((e.first_record_id = ? AND e.first_object_key = ?) OR (e.second_record_id = ? AND e.second_object_key = ?))',
				recordId,
				objectKey,
				recordId,
				objectKey,
			);
		}
		const direction = query.order === 'desc' ? 'DESC' : 'ASC';
		const rows = await this.sql.all(
			`${SELECT_EVENTS} WHERE ${where.join(' AND ')} ORDER BY e.position ${direction} LIMIT ?`,
			[...params, query.limit],
		);
		return rows.map(readEventRow);
	}

	async prune(namespace: string, before: string, limit: number): Promise<number> {
		return this.sql.run(
			`DELETE FROM association_events WHERE id IN (
         SELECT id FROM association_events WHERE namespace = ? AND created_at < ?
         ORDER BY created_at LIMIT ?)`,
			[namespace, before, limit],
		);
	}

	/** The namespace's events after an id, oldest first (Associations.events()). */
	async list(
		namespace: string,
		afterId: number,
		limit: number,
		labelKey?: string,
	): Promise<AssociationEvent[]> {
		const byLabel = labelKey === undefined ? '' : 'AND e.label_key = ?';
		const rows = await this.sql.all(
			`${SELECT_EVENTS} WHERE e.namespace = ? AND e.id > ? ${byLabel} ORDER BY e.id LIMIT ?`,
			[namespace, afterId, ...(labelKey === undefined ? [] : [labelKey]), limit],
		);
		return rows.map(readEventRow);
	}
}
