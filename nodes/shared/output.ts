import type { IDataObject } from 'n8n-workflow';

import type {
	AssociationEvent,
	AssociationLabel,
	BusiestRecord,
	LabelRef,
	LabelUsage,
	Link,
	RelatedRecord,
} from '../../core';

/** A label as output fields. */
export const labelJson = (label: AssociationLabel): IDataObject => ({
	id: label.id,
	key: label.key,
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

/** A link as output fields (a link that does not exist has no id or creation time). */
export const linkJson = (
	link: Omit<Link, 'id' | 'createdAt'> & Partial<Pick<Link, 'id' | 'createdAt'>>,
): IDataObject => ({
	labelKey: link.labelKey,
	labelId: link.labelId,
	firstObjectKey: link.firstObjectKey,
	firstRecordId: link.firstRecordId,
	secondObjectKey: link.secondObjectKey,
	secondRecordId: link.secondRecordId,
	...(link.id !== undefined ? { linkId: link.id } : {}),
	...(link.createdAt !== undefined ? { linkedAt: link.createdAt } : {}),
});

export const relatedJson = (record: RelatedRecord): IDataObject => ({
	objectKey: record.objectKey,
	recordId: record.recordId,
	label: record.label,
	labelKey: record.labelKey,
	labelId: record.labelId,
	side: record.side,
	linkId: record.linkId,
	linkedAt: record.linkedAt,
});

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
