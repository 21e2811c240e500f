import type { AssociationLabel, Link } from './types';
import type { NewEvent } from './store/repository';

export const labelEvent = (
	type: 'label.created' | 'label.renamed' | 'label.limits_changed' | 'label.deleted',
	label: AssociationLabel,
	data: Record<string, unknown>,
): NewEvent => ({ type, labelId: label.id, labelKey: label.key, data });

export const linkEvent = (type: 'link.created' | 'link.deleted', link: Link): NewEvent => ({
	type,
	labelId: link.labelId,
	labelKey: link.labelKey,
	firstRecordId: link.firstRecordId,
	secondRecordId: link.secondRecordId,
	data: {
		linkId: link.id,
		firstObjectKey: link.firstObjectKey,
		secondObjectKey: link.secondObjectKey,
	},
});
