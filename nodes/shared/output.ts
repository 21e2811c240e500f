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

/** A label's name worked out once per label: a batch of 100,000 items names a few labels. */
function cachedLabelNames(): (label: AssociationLabel) => string {
	const names = new Map<string, string>();
	return (label) => {
		let name = names.get(label.id);
		if (name === undefined) names.set(label.id, (name = labelName(label)));
		return name;
	};
}

/**
 * Adds a link's output fields to `json`, field by field (one object per item, however many n8n keeps). With
 * its label known, the label's name and each record's role follow the key: with Buyer (contact) / Seller
 * (property) the contact is the "Buyer" and the property the "Seller". A link that does not exist (Unlink's
 * not_linked) has no id or creation time.
 */
function addLinkFields(
	json: IDataObject,
	link: KnownLink,
	label: AssociationLabel | undefined,
	nameOf: (label: AssociationLabel) => string,
): IDataObject {
	if (label) json.label = nameOf(label);
	json.labelKey = link.labelKey;
	json.labelId = link.labelId;
	json.firstObjectKey = link.firstObjectKey;
	json.firstRecordId = link.firstRecordId;
	if (label) json.firstRecordRole = label.firstLabel;
	json.secondObjectKey = link.secondObjectKey;
	json.secondRecordId = link.secondRecordId;
	if (label) json.secondRecordRole = label.secondLabel;
	if (link.id !== undefined) json.linkId = link.id;
	if (link.createdAt !== undefined) json.linkedAt = link.createdAt;
	return json;
}

/** A link as output fields (see addLinkFields). */
export const linkJson = (link: KnownLink, labels?: LabelsById): IDataObject =>
	addLinkFields({}, link, labels?.get(link.labelId), labelName);

/**
 * A Link / Unlink result as output fields: its status, whether it was done (`created` / `deleted`), then
 * linkJson's fields. Made for a whole batch: each label's name is worked out once.
 */
export function linkResultJson(done: 'created' | 'deleted', labels: LabelsById) {
	const nameOf = cachedLabelNames();
	return (status: string, link: KnownLink): IDataObject =>
		addLinkFields({ status, [done]: status === done }, link, labels.get(link.labelId), nameOf);
}

/**
 * A related record as output fields. `relatedRecordRole` is the name the related record goes by (its
 * side's name), `queriedRecordRole` the queried record's: a contact linked to a property through Buyer
 * (contact) / Seller (property) sees the property with relatedRecordRole "Seller" and queriedRecordRole
 * "Buyer". `side` (which side of the label the related record is on) is left out for symmetric labels,
 * where both sides are the same.
 */
function relatedFields(
	record: RelatedRecord,
	label: AssociationLabel | undefined,
	nameOf: (label: AssociationLabel) => string,
): IDataObject {
	const json: IDataObject = {
		objectKey: record.objectKey,
		recordId: record.recordId,
		label: label ? nameOf(label) : record.label,
		labelKey: record.labelKey,
		relatedRecordRole: record.label,
	};
	if (label) json.queriedRecordRole = roleOf(label, otherSide(record.side));
	if (!label?.symmetric) json.side = record.side;
	json.labelId = record.labelId;
	json.linkId = record.linkId;
	json.linkedAt = record.linkedAt;
	return json;
}

/** A related record as output fields (see relatedFields). */
export const relatedJson = (record: RelatedRecord, labels?: LabelsById): IDataObject =>
	relatedFields(record, labels?.get(record.labelId), labelName);

/** relatedJson for many records: each label's name worked out once. */
export function relatedJsonOf(labels: LabelsById) {
	const nameOf = cachedLabelNames();
	return (record: RelatedRecord): IDataObject =>
		relatedFields(record, labels.get(record.labelId), nameOf);
}

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
