import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { labelLocator } from '../../../shared/descriptions';
import { eachItem } from '../../../shared/execute';
import { readLabel } from '../../../shared/parameters';

const show = { show: { operation: ['delete'] } };

export const description: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label to delete. Refused while any link uses it.',
		displayOptions: show,
	}),
	{
		displayName: 'Confirmation',
		name: 'confirmation',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'DELETE',
		description: 'Type DELETE (in capitals) to confirm. Deleting a label cannot be undone.',
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
		const confirmation = this.getNodeParameter('confirmation', itemIndex, '') as string;
		const result = await associations.labels.delete(label, confirmation);
		return [{ json: { ...result }, pairedItem: { item: itemIndex } }];
	});
}
