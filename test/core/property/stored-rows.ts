/** The store, read back raw: its rows as SQL sees them, to compare with what the core returns. */
import { Client } from 'pg';

import type { AssociationLabel, Link, StoreConfig } from '../../../core';

export type Row = Record<string, unknown>;

export interface Raw {
	all(sql: string, params?: unknown[]): Promise<Row[]>;
	close(): Promise<void>;
}

export async function rawConnection(config: StoreConfig): Promise<Raw> {
	if (config.type === 'postgres') {
		const client = new Client({ ...config });
		await client.connect();
		return {
			all: async (sql, params = []) => {
				let n = 0;
				return (
					await client.query(
						sql.replace(/\?/g, () => `$${++n}`),
						params,
					)
				).rows as Row[];
			},
			close: () => client.end(),
		};
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sqlite3 = require('sqlite3') as typeof import('sqlite3');
	const db = new sqlite3.Database(config.path);
	return {
		all: (sql, params = []) =>
			new Promise((resolve, reject) =>
				db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
			),
		close: () => new Promise((resolve) => db.close(() => resolve())),
	};
}

export interface Fingerprint {
	labels: number;
	links: number;
	events: number;
	lastEvent: string;
}

export const fingerprint = async (raw: Raw): Promise<Fingerprint> => {
	const [row] = await raw.all(`SELECT
		(SELECT COUNT(*) FROM association_labels) AS labels,
		(SELECT COUNT(*) FROM association_links) AS links,
		(SELECT COUNT(*) FROM association_events) AS events,
		(SELECT MAX(id) FROM association_events) AS last_event`);
	return {
		labels: Number(row.labels),
		links: Number(row.links),
		events: Number(row.events),
		lastEvent: String(row.last_event),
	};
};

export const labelRow = async (raw: Raw, id: string) =>
	(
		await raw.all(
			`SELECT id, namespace, key, first_object_key, second_object_key, first_label, second_label,
				first_limit, second_limit, created_at, updated_at FROM association_labels WHERE id = ?`,
			[id],
		)
	)[0];

export const linkRow = async (raw: Raw, id: string) =>
	(
		await raw.all(
			'SELECT id, namespace, label_id, first_record_id, second_record_id, created_at FROM association_links WHERE id = ?',
			[id],
		)
	)[0];

export async function expectStoredLabel(raw: Raw, label: AssociationLabel): Promise<void> {
	const row = await labelRow(raw, label.id);
	expect(row).toBeDefined();
	expect({
		id: String(row.id),
		namespace: row.namespace,
		key: row.key,
		firstObjectKey: row.first_object_key,
		secondObjectKey: row.second_object_key,
		firstLabel: row.first_label,
		secondLabel: row.second_label,
		firstLimit: Number(row.first_limit),
		secondLimit: Number(row.second_limit),
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	}).toEqual({
		id: label.id,
		namespace: label.namespace,
		key: label.key,
		firstObjectKey: label.firstObjectKey,
		secondObjectKey: label.secondObjectKey,
		firstLabel: label.firstLabel,
		secondLabel: label.secondLabel,
		firstLimit: label.firstLimit,
		secondLimit: label.secondLimit,
		createdAt: label.createdAt,
		updatedAt: label.updatedAt,
	});
	expect(label.key).toMatch(/^[a-z][a-z0-9_]{0,99}$/);
}

export async function expectStoredLink(raw: Raw, link: Link): Promise<void> {
	const row = await linkRow(raw, link.id);
	expect(row).toBeDefined();
	expect([String(row.label_id), row.first_record_id, row.second_record_id, row.created_at]).toEqual(
		[link.labelId, link.firstRecordId, link.secondRecordId, link.createdAt],
	);
	const label = await labelRow(raw, link.labelId);
	expect([label.key, label.first_object_key, label.second_object_key]).toEqual([
		link.labelKey,
		link.firstObjectKey,
		link.secondObjectKey,
	]);
}
