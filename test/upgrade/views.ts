/**
 * What a user can read from a store, per namespace: labels, each record's related records, events. Built
 * once from the stored rows (what must still be there) and once through the current code (what it reads).
 */
import { openAssociations, type StoreConfig } from '../../core';
import type { Row, StoreRows } from './store-rows';

export interface LabelView {
	id: string;
	key: string;
	firstObjectKey: string;
	secondObjectKey: string;
	firstLabel: string;
	secondLabel: string;
	firstLimit: number;
	secondLimit: number;
	createdAt: string;
	updatedAt: string;
}
export interface EventView {
	id: number;
	type: string;
	labelKey: string;
	firstRecordId: string | null;
	secondRecordId: string | null;
	data: unknown;
	actor: unknown;
	createdAt: string;
}
export interface RecordRef {
	objectKey: string;
	recordId: string;
}
export interface NamespaceView {
	labels: LabelView[];
	/** "objectKey|recordId" → sorted "labelKey|related objectKey|related recordId|linkId" */
	related: Record<string, string[]>;
	events: EventView[];
}
export type StoreView = Record<string, NamespaceView>;

export const recordKey = (record: RecordRef) => `${record.objectKey}|${record.recordId}`;
export const relatedKey = (labelKey: string, record: RecordRef, linkId: unknown) =>
	`${labelKey}|${record.objectKey}|${record.recordId}|${String(linkId)}`;

export const labelView = (label: LabelView): LabelView => ({
	id: label.id,
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

const parsed = (text: unknown) =>
	text === null || text === undefined ? null : JSON.parse(String(text));
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** The view the rows promise. */
export function expectedView(rows: StoreRows): StoreView {
	const view: StoreView = {};
	const of = (namespace: unknown) =>
		(view[String(namespace)] ??= { labels: [], related: {}, events: [] });
	const labels = new Map<string, Row>();
	for (const row of rows.association_labels) {
		labels.set(String(row.id), row);
		of(row.namespace).labels.push({
			id: String(row.id),
			key: String(row.key),
			firstObjectKey: String(row.first_object_key),
			secondObjectKey: String(row.second_object_key),
			firstLabel: String(row.first_label),
			secondLabel: String(row.second_label),
			firstLimit: Number(row.first_limit),
			secondLimit: Number(row.second_limit),
			createdAt: String(row.created_at),
			updatedAt: String(row.updated_at),
		});
	}
	for (const link of rows.association_links) {
		const label = labels.get(String(link.label_id))!;
		const first = {
			objectKey: String(label.first_object_key),
			recordId: String(link.first_record_id),
		};
		const second = {
			objectKey: String(label.second_object_key),
			recordId: String(link.second_record_id),
		};
		const related = of(link.namespace).related;
		(related[recordKey(first)] ??= []).push(relatedKey(String(label.key), second, link.id));
		(related[recordKey(second)] ??= []).push(relatedKey(String(label.key), first, link.id));
	}
	for (const row of rows.association_events)
		of(row.namespace).events.push({
			id: Number(row.id),
			type: String(row.type),
			labelKey: String(row.label_key),
			firstRecordId: text(row.first_record_id),
			secondRecordId: text(row.second_record_id),
			data: parsed(row.data),
			actor: parsed(row.actor),
			createdAt: String(row.created_at),
		});
	for (const namespace of Object.values(view)) {
		namespace.labels.sort((a, b) => a.key.localeCompare(b.key));
		for (const list of Object.values(namespace.related)) list.sort();
	}
	return view;
}

/** The records of a view, as "objectKey|recordId" → ref. */
export const recordsOf = (namespace: NamespaceView): RecordRef[] =>
	Object.keys(namespace.related).map((key) => {
		const [objectKey, ...rest] = key.split('|');
		return { objectKey, recordId: rest.join('|') };
	});

/** The same view read through the current core (which runs the migrations on first open). */
export async function viewThroughCore(
	config: StoreConfig,
	expected: StoreView,
): Promise<StoreView> {
	const view: StoreView = {};
	for (const [name, namespace] of Object.entries(expected)) {
		const core = await openAssociations(config, name);
		const labels = (await core.labels.list({ limit: 1000 })).map(labelView);
		const related: Record<string, string[]> = {};
		for (const record of recordsOf(namespace)) {
			const page = await core.related.list({ ...record, limit: 1000 });
			related[recordKey(record)] = page.items
				.map((item) => relatedKey(item.labelKey, item, item.linkId))
				.sort();
		}
		const events = (await core.events({ limit: 1000 })).map((event) => ({
			id: event.id,
			type: event.type,
			labelKey: event.labelKey,
			firstRecordId: event.firstRecordId,
			secondRecordId: event.secondRecordId,
			data: event.data,
			actor: event.actor,
			createdAt: event.createdAt,
		}));
		view[name] = { labels: labels.sort((a, b) => a.key.localeCompare(b.key)), related, events };
	}
	return view;
}
