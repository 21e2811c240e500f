import type { IDataObject } from 'n8n-workflow';

import {
	labelName,
	otherSide,
	roleOf,
	type AssociationEvent,
	type AssociationLabel,
	type BusiestRecord,
	type LabelRef,
	type LabelUsage,
	type Link,
	type RelatedRecord,
} from '../../core';
import type { LabelsById } from './label-names';

/** A label as output fields: its name as people read it next to its key, then its definition. */
export const labelJson = (label: AssociationLabel): IDataObject => ({
	id: label.id,
	key: label.key,
	name: labelName(label),
	kind: label.kind,
	firstObjectKey: label.firstObjectKey,
	secondObjectKey: label.secondObjectKey,
	firstLabel: label.firstLabel,
	secondLabel: label.secondLabel,
	firstLimit: label.firstLimit,
	secondLimit: label.secondLimit,
	symmetric: label.symmetric,
	namespace: label.namespace,
	createdAt: label.createdAt,
	updatedAt: label.updatedAt,
});

/** A link, or (Unlink's not_linked) the link that does not exist: no id or creation time. */
type KnownLink = Omit<Link, 'id' | 'createdAt'> & Partial<Pick<Link, 'id' | 'createdAt'>>;

/**
 * A link as output fields (a link that does not exist has no id or creation time). With its label known,
 * the label's name and each record's role follow the key: with Buyer (contact) / Seller (property) the
 * contact is the "Buyer" and the property the "Seller".
 */
export const linkJson = (link: KnownLink, labels?: LabelsById): IDataObject => {
	const label = labels?.get(link.labelId);
	return {
		...(label ? { label: labelName(label) } : {}),
		labelKey: link.labelKey,
		labelId: link.labelId,
		firstObjectKey: link.firstObjectKey,
		firstRecordId: link.firstRecordId,
		...(label ? { firstRecordRole: label.firstLabel } : {}),
		secondObjectKey: link.secondObjectKey,
		secondRecordId: link.secondRecordId,
		...(label ? { secondRecordRole: label.secondLabel } : {}),
		...(link.id !== undefined ? { linkId: link.id } : {}),
		...(link.createdAt !== undefined ? { linkedAt: link.createdAt } : {}),
	};
};

/**
 * A Link / Unlink result as output fields: its status, whether it was done (`created` / `deleted`), then
 * linkJson. Made for a whole batch: each label's name is worked out once, and an existing link under a
 * known label is one object literal, the lightest object for the (up to 100,000) items n8n keeps.
 */
export function linkResultJson(done: 'created' | 'deleted', labels: LabelsById) {
	const names = new Map<string, string>();
	return (status: string, link: KnownLink): IDataObject => {
		const label = labels.get(link.labelId);
		if (!label || link.id === undefined || link.createdAt === undefined)
			return { status, [done]: status === done, ...linkJson(link, labels) };
		let name = names.get(label.id);
		if (name === undefined) names.set(label.id, (name = labelName(label)));
		const { labelKey, labelId, firstObjectKey, firstRecordId, secondObjectKey, secondRecordId } =
			link;
		const { firstLabel: firstRecordRole, secondLabel: secondRecordRole } = label;
		const { id: linkId, createdAt: linkedAt } = link;
		return done === 'created'
			? {
					status,
					created: status === done,
					label: name,
					labelKey,
					labelId,
					firstObjectKey,
					firstRecordId,
					firstRecordRole,
					secondObjectKey,
					secondRecordId,
					secondRecordRole,
					linkId,
					linkedAt,
				}
			: {
					status,
					deleted: status === done,
					label: name,
					labelKey,
					labelId,
					firstObjectKey,
					firstRecordId,
					firstRecordRole,
					secondObjectKey,
					secondRecordId,
					secondRecordRole,
					linkId,
					linkedAt,
				};
	};
}

/**
 * relatedJson for many records: each label's name and roles worked out once, and each record's fields in one
 * object literal.
 */
export function relatedJsonOf(labels: LabelsById) {
	const names = new Map<string, string>();
	return (record: RelatedRecord): IDataObject => {
		const label = labels.get(record.labelId);
		if (!label) return relatedJson(record);
		let name = names.get(label.id);
		if (name === undefined) names.set(label.id, (name = labelName(label)));
		const { objectKey, recordId, labelKey, side, labelId, linkId, linkedAt } = record;
		const relatedRecordRole = record.label;
		const queriedRecordRole = roleOf(label, otherSide(side));
		return label.symmetric
			? {
					objectKey,
					recordId,
					label: name,
					labelKey,
					relatedRecordRole,
					queriedRecordRole,
					labelId,
					linkId,
					linkedAt,
				}
			: {
					objectKey,
					recordId,
					label: name,
					labelKey,
					relatedRecordRole,
					queriedRecordRole,
					side,
					labelId,
					linkId,
					linkedAt,
				};
	};
}

/**
 * A related record as output fields. `relatedRecordRole` is the name the related record goes by (its
 * side's name), `queriedRecordRole` the queried record's: a contact linked to a property through Buyer
 * (contact) / Seller (property) sees the property with relatedRecordRole "Seller" and queriedRecordRole
 * "Buyer". `side` (which side of the label the related record is on) is left out for symmetric labels,
 * where both sides are the same.
 */
export const relatedJson = (record: RelatedRecord, labels?: LabelsById): IDataObject => {
	const label = labels?.get(record.labelId);
	return {
		objectKey: record.objectKey,
		recordId: record.recordId,
		label: label ? labelName(label) : record.label,
		labelKey: record.labelKey,
		relatedRecordRole: record.label,
		...(label ? { queriedRecordRole: roleOf(label, otherSide(record.side)) } : {}),
		...(label?.symmetric ? {} : { side: record.side }),
		labelId: record.labelId,
		linkId: record.linkId,
		linkedAt: record.linkedAt,
	};
};

/** A related record inside a group: what the group does not already say. */
const groupedRecordJson = (record: RelatedRecord): IDataObject => ({
	recordId: record.recordId,
	linkId: record.linkId,
	linkedAt: record.linkedAt,
});

/**
 * A record's related records as HighLevel's Related Objects view shows them: grouped by object, then by
 * label and role, with a count per group. Groups are ordered by object key, then label name, then role.
 */
export function groupedRelatedJson(
	objectKey: string,
	recordId: string,
	related: RelatedRecord[],
	labels?: LabelsById,
): IDataObject {
	const groups = new Map<string, { head: IDataObject; records: RelatedRecord[] }>();
	for (const record of related) {
		const key = `${record.objectKey}\u0000${record.labelId}\u0000${record.side}`;
		let group = groups.get(key);
		if (!group) {
			const head = relatedJson(record, labels);
			for (const field of ['recordId', 'linkId', 'linkedAt']) delete head[field];
			group = { head, records: [] };
			groups.set(key, group);
		}
		group.records.push(record);
	}
	const sortKey = (head: IDataObject) =>
		`${head.objectKey as string}\u0000${head.label as string}\u0000${head.relatedRecordRole as string}`;
	return {
		objectKey,
		recordId,
		count: related.length,
		groups: [...groups.values()]
			.sort((a, b) => sortKey(a.head).localeCompare(sortKey(b.head)))
			.map(({ head, records }) => ({
				...head,
				count: records.length,
				records: records.map(groupedRecordJson),
			})),
	};
}

/** A label reference as output fields: labelKey or labelId. */
export const labelRefFields = (ref: LabelRef): IDataObject =>
	'key' in ref ? { labelKey: ref.key } : { labelId: ref.id };

const busiestJson = (record: BusiestRecord | null): IDataObject | null =>
	record ? { ...record } : null;

/** How a label is used, as output fields: links, busiest record per side, newest link. */
export const usageJson = (usage: LabelUsage): IDataObject => ({
	links: usage.links,
	unused: usage.links === 0,
	busiestFirstSide: busiestJson(usage.busiest.first),
	busiestSecondSide: busiestJson(usage.busiest.second),
	lastLinkedAt: usage.lastLinkedAt,
});

/** An association event as output fields: what happened, to which label and records, who did it, when. */
export const eventJson = (event: AssociationEvent): IDataObject => {
	const data = event.data ?? {};
	const link = event.type.startsWith('link.');
	return {
		type: event.type,
		eventId: event.id,
		position: event.position,
		namespace: event.namespace,
		labelKey: event.labelKey,
		labelId: event.labelId,
		firstLabel: event.firstLabel,
		secondLabel: event.secondLabel,
		firstObjectKey: event.firstObjectKey,
		secondObjectKey: event.secondObjectKey,
		...(link
			? {
					firstRecordId: event.firstRecordId,
					secondRecordId: event.secondRecordId,
					linkId: data.linkId === undefined ? null : String(data.linkId),
				}
			: {}),
		...(data.from !== undefined
			? { from: data.from as IDataObject, to: data.to as IDataObject }
			: {}),
		...(data.mergedFrom !== undefined
			? { mergedFrom: String(data.mergedFrom), mergedInto: String(data.mergedInto) }
			: {}),
		actor: {
			workflowId: event.actor?.workflowId ?? null,
			executionId: event.actor?.executionId ?? null,
			nodeName: event.actor?.nodeName ?? null,
		},
		occurredAt: event.createdAt,
	};
};
