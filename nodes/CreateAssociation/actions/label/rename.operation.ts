import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Associations, RenameLabelInput } from '../../../../core';
import { labelLocator } from '../../../shared/descriptions';
import { eachItem } from '../../../shared/execute';
import { labelJson } from '../../../shared/output';
import { readLabel } from '../../../shared/parameters';

const show = { show: { operation: ['rename'] } };

export const description: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label to rename. Its internal key and objects never change.',
		displayOptions: show,
	}),
	{
		displayName: 'New First Side Name',
		name: 'firstLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Owner',
		description:
			'New display name of the first side. For a single label (one name on both sides) this renames both sides. Leave empty to keep the current name.',
		displayOptions: show,
	},
	{
		displayName: 'New Second Side Name',
		name: 'secondLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Seller',
		description: 'New display name of the second side. Leave empty to keep the current name.',
		displayOptions: show,
	},
];

export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await eachItem(this, items, async (itemIndex) => {
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
		return [{ json: labelJson(renamed), pairedItem: { item: itemIndex } }];
	});
}
