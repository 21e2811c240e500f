import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { labelLocator } from '../../../shared/descriptions';
import { eachItem } from '../../../shared/execute';
import { labelJson } from '../../../shared/output';
import { readLabel } from '../../../shared/parameters';

export const description: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label to get, with the number of links that use it',
		displayOptions: { show: { operation: ['get'] } },
	}),
];

export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await eachItem(this, items, async (itemIndex) => {
		const { label, links } = await associations.labels.usage(readLabel(this, 'label', itemIndex));
		return [{ json: { ...labelJson(label), links }, pairedItem: { item: itemIndex } }];
	});
}
