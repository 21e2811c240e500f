import { updateDisplayOptions, NodeOperationError, type INodeProperties } from 'n8n-workflow';

import type { RenameLabelInput } from '../../../../core';
import { labelLocator } from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { labelJson } from '../../../shared/output';
import { readLabel } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label to rename. Its internal key and objects never change.',
	}),
	{
		displayName: 'New First Side Name',
		name: 'firstLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Owner',
		description:
			'New display name of the first side. For a single label (one name on both sides) this renames both sides. Leave empty to keep the current name.',
	},
	{
		displayName: 'New Second Side Name',
		name: 'secondLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Seller',
		description: 'New display name of the second side. Leave empty to keep the current name.',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['rename'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const label = readLabel(this, 'label', itemIndex);
	const input: RenameLabelInput = {};
	const firstLabel = (this.getNodeParameter('firstLabel', itemIndex, '') as string).trim();
	const secondLabel = (this.getNodeParameter('secondLabel', itemIndex, '') as string).trim();
	if (firstLabel) input.firstLabel = firstLabel;
	if (secondLabel) input.secondLabel = secondLabel;
	if (!firstLabel && !secondLabel) {
		throw new NodeOperationError(this.getNode(), `Nothing to rename for item ${itemIndex}.`, {
			itemIndex,
			description: 'Fill in "New First Side Name", "New Second Side Name" or both.',
		});
	}
	const renamed = await associations.labels.rename(label, input);
	return labelJson(renamed);
});
