import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { DELETE_CONFIRMATION } from '../../../../core';
import { labelLocator } from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { readLabel } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	{
		displayName: `Deleting a label cannot be undone. To confirm, type ${DELETE_CONFIRMATION} in capitals in the Confirmation field. A label that links still use is refused: the list shows each label's link count.`,
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description:
			'The label to delete. Refused while any link uses it (the list shows how many links use each label).',
		showLinkCount: true,
	}),
	{
		displayName: 'Confirmation',
		name: 'confirmation',
		type: 'string',
		default: '',
		required: true,
		placeholder: `Type ${DELETE_CONFIRMATION} to confirm`,
		hint: `Exactly ${DELETE_CONFIRMATION}, in capitals: "delete" or "Delete" is refused`,
		description: `Type ${DELETE_CONFIRMATION} (in capitals) to confirm. Deleting a label cannot be undone.`,
	},
];

export const description = updateDisplayOptions({ show: { operation: ['delete'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const label = readLabel(this, 'label', itemIndex);
	const confirmation = this.getNodeParameter('confirmation', itemIndex, '') as string;
	const result = await associations.labels.delete(label, confirmation);
	return { ...result };
});
