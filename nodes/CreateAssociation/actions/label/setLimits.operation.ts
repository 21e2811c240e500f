import {
	updateDisplayOptions,
	NodeOperationError,
	type IDataObject,
	type INodeProperties,
} from 'n8n-workflow';

import type { SetLimitsInput } from '../../../../core';
import { labelLocator, perRecordLimitField } from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { labelJson } from '../../../shared/output';
import { readLabel } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label whose per-record limits change',
	}),
	{
		displayName: 'Limits',
		name: 'limits',
		type: 'collection',
		placeholder: 'Add limit',
		default: {},
		description:
			'Lowering a limit is refused while a record already has more links than the new limit (the error lists those records)',
		options: [perRecordLimitField('first'), perRecordLimitField('second')],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['setLimits'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const label = readLabel(this, 'label', itemIndex);
	const limits = this.getNodeParameter('limits', itemIndex, {}) as IDataObject;
	const input: SetLimitsInput = {};
	if (limits.firstLimit !== undefined) input.firstLimit = limits.firstLimit as number;
	if (limits.secondLimit !== undefined) input.secondLimit = limits.secondLimit as number;
	if (input.firstLimit === undefined && input.secondLimit === undefined) {
		throw new NodeOperationError(this.getNode(), `No limit to change for item ${itemIndex}.`, {
			itemIndex,
			description: 'Add "First Side Limit", "Second Side Limit" or both under Limits.',
		});
	}
	const changed = await associations.labels.setLimits(label, input);
	return labelJson(changed);
});
