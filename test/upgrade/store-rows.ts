/** A store's rows as stored (raw SQL, no core code), and a summary of them in users' terms. */
import type { StoreConfig } from '../../core';
import { rawQuery } from '../support/stores';

export const USER_TABLES = [
	'association_labels',
	'association_links',
	'association_events',
] as const;
export type UserTable = (typeof USER_TABLES)[number];
export type Row = Record<string, unknown>;
export type StoreRows = Record<UserTable, Row[]>;

export async function readRows(config: StoreConfig): Promise<StoreRows> {
	const rows = {} as StoreRows;
	for (const table of USER_TABLES)
		rows[table] = await rawQuery(config, `SELECT * FROM ${table} ORDER BY id`);
	return rows;
}

/** Only the given columns of each row: a later schema may add columns, never change these. */
export function project(rows: StoreRows, columns: Record<UserTable, string[]>): StoreRows {
	const out = {} as StoreRows;
	for (const table of USER_TABLES)
		out[table] = rows[table].map((row) =>
			Object.fromEntries(columns[table].map((column) => [column, row[column]])),
		);
	return out;
}

export const columnsOf = (rows: StoreRows) =>
	Object.fromEntries(
		USER_TABLES.map((table) => [table, Object.keys(rows[table][0] ?? {})]),
	) as Record<UserTable, string[]>;

export interface NamespaceSummary {
	/** key → "first ↔ second: First name / Second name, limits a / b" */
	labels: Record<string, string>;
	/** label key → number of links */
	links: Record<string, number>;
	/** event type → count */
	events: Record<string, number>;
}

const count = (counts: Record<string, number>, key: string) => {
	counts[key] = (counts[key] ?? 0) + 1;
};

/** What the rows mean, without ids or timestamps: equal for the SQLite file and the PostgreSQL dump. */
export function summarize(rows: StoreRows): {
	rows: Record<UserTable, number>;
	namespaces: Record<string, NamespaceSummary>;
} {
	const namespaces: Record<string, NamespaceSummary> = {};
	const of = (namespace: string) =>
		(namespaces[namespace] ??= { labels: {}, links: {}, events: {} });
	const keyOfId = new Map<string, string>();
	for (const label of rows.association_labels) {
		keyOfId.set(String(label.id), String(label.key));
		of(String(label.namespace)).labels[String(label.key)] =
			`${label.first_object_key} ↔ ${label.second_object_key}: ${label.first_label} / ${label.second_label}, limits ${label.first_limit} / ${label.second_limit}`;
	}
	for (const link of rows.association_links)
		count(of(String(link.namespace)).links, keyOfId.get(String(link.label_id)) ?? '?');
	for (const event of rows.association_events)
		count(of(String(event.namespace)).events, String(event.type));
	const sorted = <T>(record: Record<string, T>) =>
		Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
	return {
		rows: Object.fromEntries(USER_TABLES.map((table) => [table, rows[table].length])) as Record<
			UserTable,
			number
		>,
		namespaces: sorted(
			Object.fromEntries(
				Object.entries(namespaces).map(([name, summary]) => [
					name,
					{
						labels: sorted(summary.labels),
						links: sorted(summary.links),
						events: sorted(summary.events),
					},
				]),
			),
		),
	};
}
