import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Associations, CreateLabelInput } from '../../../../core';
import { executeBatch } from '../../../shared/batch';
import {
	objectKeyLocator,
	perRecordLimitField,
	optionsCollection,
} from '../../../shared/descriptions';
import { labelJson } from '../../../shared/output';
import { readLocator } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'firstObjectKey',
		displayName: 'First Object',
		description: "The object on the label's first side, e.g. contact",
	}),
	objectKeyLocator({
		name: 'secondObjectKey',
		displayName: 'Second Object',
		description:
			"The object on the label's second side, e.g. custom_objects.pets. May be the same as the first object.",
	}),
	{
		displayName: 'Label Type',
		name: 'labelType',
		type: 'options',
		default: 'single',
		options: [
			{ name: 'Pair', value: 'pair', description: 'A name for each side, e.g. Buyer and Seller' },
			{ name: 'Single', value: 'single', description: 'One name on both sides, e.g. Owner' },
		],
	},
	{
		displayName: 'Label Name',
		name: 'labelName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Owner',
		description: 'The name shown on both sides',
		displayOptions: { show: { labelType: ['single'] } },
	},
	{
		displayName: 'First Side Name',
		name: 'firstLabel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Buyer',
		description: "The role of the first object's record",
		displayOptions: { show: { labelType: ['pair'] } },
	},
	{
		displayName: 'Second Side Name',
		name: 'secondLabel',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Seller',
		description: "The role of the second object's record",
		displayOptions: { show: { labelType: ['pair'] } },
	},
	optionsCollection([
		perRecordLimitField('first'),
		{
			displayName: 'Internal Key',
			name: 'key',
			type: 'string',
			default: '',
			placeholder: 'e.g. property_owner',
			description:
				'Immutable snake_case key that workflows use to reference the label. Leave empty to derive it from the name(s): "Primary Company" becomes primary_company.',
		},
		perRecordLimitField('second'),
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['create'] } }, properties);

/**
 * All items in one createMany call: one transaction, in item order. Without Continue On Fail a failing item
 * stops the node and creates nothing; a label that already exists with the same definition is not a failure.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeBatch(this, items, {
		read: (itemIndex) => [readDefinition(this, itemIndex)],
		call: async (inputs, options) => await associations.labels.createMany(inputs, options),
		toJson: (result) => ({ created: result.created, ...labelJson(result.label) }),
	});
}

function readDefinition(context: IExecuteFunctions, itemIndex: number): CreateLabelInput {
	const labelType = context.getNodeParameter('labelType', itemIndex) as string;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const input: CreateLabelInput = {
		firstObjectKey: readLocator(context, 'firstObjectKey', itemIndex, 'First Object'),
		secondObjectKey: readLocator(context, 'secondObjectKey', itemIndex, 'Second Object'),
		firstLabel:
			labelType === 'pair'
				? (context.getNodeParameter('firstLabel', itemIndex) as string)
				: (context.getNodeParameter('labelName', itemIndex) as string),
	};
	if (labelType === 'pair')
		input.secondLabel = context.getNodeParameter('secondLabel', itemIndex) as string;
	if (typeof options.key === 'string' && options.key.trim() !== '') input.key = options.key.trim();
	if (options.firstLimit !== undefined) input.firstLimit = options.firstLimit as number;
	if (options.secondLimit !== undefined) input.secondLimit = options.secondLimit as number;
	return input;
}
