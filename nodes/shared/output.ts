import type { IDataObject } from 'n8n-workflow';

import type { AssociationLabel, LabelRef, Link, RelatedRecord } from '../../core';

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
