import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { MAX_PAGE_SIZE, type LabelWithUsage, type ListLabelsInput } from '../../../../core';
import {
	objectKeyLocator,
	returnAllAndLimit,
	optionsCollection,
} from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { labelJson, usageJson } from '../../../shared/output';
import { readLocator } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Object',
		description: 'Only labels with this object on either side. Leave empty for all labels.',
		required: false,
	}),
	...returnAllAndLimit(MAX_PAGE_SIZE),
	optionsCollection([
		{
			displayName: 'Unused Only',
			name: 'unusedOnly',
			type: 'boolean',
			default: false,
			description:
				'Whether to list only labels no link uses: the ones that can be deleted when cleaning up',
		},
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			placeholder: 'e.g. owner',
			description: 'Only labels whose key or a display name contains this text (case-insensitive)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['getMany'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const objectKey = readLocator(this, 'objectKey', itemIndex, 'Object', true);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filter: ListLabelsInput = {};
	if (objectKey) filter.objectKey = objectKey;
	if (typeof options.search === 'string' && options.search.trim() !== '')
		filter.search = options.search.trim();
	if (options.unusedOnly === true) filter.unusedOnly = true;

	const labels: LabelWithUsage[] = [];
	for (let offset = 0; labels.length < limit; ) {
		const size = Math.min(MAX_PAGE_SIZE, limit - labels.length);
		const page = await associations.labels.listWithUsage({ ...filter, limit: size, offset });
		labels.push(...page);
		if (page.length < size) break;
		offset += page.length;
	}
	return labels.map((label) => ({ ...labelJson(label), usage: usageJson(label.usage) }));
});
