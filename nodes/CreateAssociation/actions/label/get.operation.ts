import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { labelLocator } from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { labelJson } from '../../../shared/output';
import { readLabel } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label to get, with the number of links that use it',
	}),
];

export const description = updateDisplayOptions({ show: { operation: ['get'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const { label, links } = await associations.labels.usage(readLabel(this, 'label', itemIndex));
	return { ...labelJson(label), links };
});
