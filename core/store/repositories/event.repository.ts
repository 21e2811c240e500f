import { linkEvent } from '../../events';
import type { Actor, AssociationEvent, Link, LinkEventType } from '../../types';
import type { SqlExecutor } from '../executor';
import type { EventQuery, EventRepository, NewEvent } from '../repository';
import { boundBytes, columnsAsTable, placeholders, statementRanges } from './sql-batch';
import { readEventRow } from './event-row';

/** The event table's columns written per event, each with the event's value for it. */
const EVENT_CELLS: [column: string, cell: (event: NewEvent) => string | null][] = [
	['type', (event) => event.type],
	['label_id', (event) => event.labelId],
	['label_key', (event) => event.labelKey],
	['first_object_key', (event) => event.firstObjectKey],
	['second_object_key', (event) => event.secondObjectKey],
	['first_record_id', (event) => event.firstRecordId ?? null],
	['second_record_id', (event) => event.secondRecordId ?? null],
	['data', (event) => (event.data ? JSON.stringify(event.data) : null)],
];
const EVENT_COLUMNS = EVENT_CELLS.map(([column]) => column);
const DATA = EVENT_COLUMNS.indexOf('data');

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

	/**
	 * The entry's events at positions after `position`, as rows built one statement's worth at a time; a
	 * row's position is the statement's first position plus its ordinal.
	 */
	private async insert(entry: Pending, position: number): Promise<void> {
		const actorJson = entry.actor ? JSON.stringify(entry.actor) : null;
		// Each statement's cells, collected while its rows are measured (an event is built once).
		let values: (string | null)[][] = EVENT_CELLS.map(() => []);
		const collect = (index: number): number => {
			const event = entry.event(index);
			for (let c = 0; c < EVENT_CELLS.length; c++) values[c].push(EVENT_CELLS[c][1](event));
			// The type and the label's four columns are bound by dictionary (rowsAsTable): about two bytes
			// each of SQLite's JSON, which also escapes the data's quotes.
			const data = values[DATA][values[DATA].length - 1];
			return boundBytes(this.sql.dialect, [event.firstRecordId, event.secondRecordId, data], 12);
		};
		for (const [start] of statementRanges(entry.count, collect)) {
			const batch = columnsAsTable(this.sql.dialect, EVENT_COLUMNS, values, {
				ordinal: true,
				compact: true,
			});
			await this.sql.run(
				`INSERT INTO association_events
           (namespace, actor, created_at, position, ${EVENT_COLUMNS.join(', ')})
         SELECT ?, ?, ?, ? + v.ord, ${EVENT_COLUMNS.map((column) => `v.${column}`).join(', ')}
         FROM ${batch.sql} v ORDER BY v.ord`,
				[entry.namespace, actorJson, entry.createdAt, position + start + 1, ...batch.params],
			);
			values = EVENT_CELLS.map(() => []);
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
