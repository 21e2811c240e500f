import type { Actor, AssociationEvent, EventType } from '../../types';

const parseJson = (value: unknown): Record<string, unknown> | null =>
	value === null || value === undefined
		? null
		: (JSON.parse(String(value)) as Record<string, unknown>);

const text = (value: unknown): string | null =>
	value === null || value === undefined ? null : String(value);

/** Display names from the event's own data, for a label that no longer exists. */
function namesFromData(data: Record<string, unknown> | null): [string | null, string | null] {
	const source = (data?.label ?? data?.to) as Record<string, unknown> | undefined;
	return [text(source?.firstLabel), text(source?.secondLabel)];
}

/**
 * A link event's data as returned: its link id plus its object keys. Link events store only the id (the
 * keys are columns); older rows carry all three. Either way in the order they were written before.
 */
function linkEventData(
	data: Record<string, unknown> | null,
	row: Record<string, unknown>,
): Record<string, unknown> | null {
	if (data === null || !String(row.type).startsWith('link.') || 'firstObjectKey' in data)
		return data;
	const { linkId, ...rest } = data;
	return {
		linkId,
		firstObjectKey: text(row.first_object_key),
		secondObjectKey: text(row.second_object_key),
		...rest,
	};
}

/** One row of SELECT_EVENTS as an AssociationEvent. */
export function readEventRow(row: Record<string, unknown>): AssociationEvent {
	const data = linkEventData(parseJson(row.data), row);
	const [firstLabel, secondLabel] =
		row.first_label === null || row.first_label === undefined
			? namesFromData(data)
			: [text(row.first_label), text(row.second_label)];
	return {
		id: Number(row.id),
		position: Number(row.position),
		namespace: String(row.namespace),
		type: row.type as EventType,
		labelId: String(row.label_id),
		labelKey: String(row.label_key),
		firstLabel,
		secondLabel,
		firstObjectKey: text(row.first_object_key),
		secondObjectKey: text(row.second_object_key),
		firstRecordId: text(row.first_record_id),
		secondRecordId: text(row.second_record_id),
		data,
		actor: parseJson(row.actor) as Actor | null,
		createdAt: String(row.created_at),
	};
}
