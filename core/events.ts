import type { NewEvent } from './store/repository';
import type { AssociationLabel, LabelEventType, Link, LinkEventType } from './types';

export const labelEvent = (
	type: LabelEventType,
	label: AssociationLabel,
	data: Record<string, unknown>,
): NewEvent => ({
	type,
	labelId: label.id,
	labelKey: label.key,
	firstObjectKey: label.firstObjectKey,
	secondObjectKey: label.secondObjectKey,
	data,
});

export const linkEvent = (type: LinkEventType, link: Link): NewEvent => ({
	type,
	labelId: link.labelId,
	labelKey: link.labelKey,
	firstObjectKey: link.firstObjectKey,
	secondObjectKey: link.secondObjectKey,
	firstRecordId: link.firstRecordId,
	secondRecordId: link.secondRecordId,
	// The object keys are the event's own columns; readEventRow adds them to the data it returns.
	data: { linkId: link.id },
});
