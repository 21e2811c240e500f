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
		allowNew: true,
	}),
	objectKeyLocator({
		name: 'secondObjectKey',
		displayName: 'Second Object',
		description:
			"The object on the label's second side, e.g. custom_objects.pets. May be the same as the first object.",
		allowNew: true,
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
	{
		displayName: 'Preview Only',
		name: 'previewOnly',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		description:
			'Whether to only show how the label(s) would read from each side and what creating them would do (key, conflicts, limits), without saving anything',
	},
	{
		displayName:
			'Each output item has a "preview": how a record of each object shows a linked record under this label, and the limits in words. Turn on Preview Only to read it before saving.',
		name: 'previewNotice',
		type: 'notice',
		default: '',
	},
	optionsCollection([
		{
			displayName: 'Allow Duplicate Names',
			name: 'allowDuplicateNames',
			type: 'boolean',
			default: false,
			description:
				'Whether to create the label even if another label of the same two objects already has the same names (normally refused, as users could not tell them apart)',
		},
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
 * Preview Only runs the same call as a dry run: every rule, nothing saved.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const previewOnly = this.getNodeParameter('previewOnly', 0, false) as boolean;
	return await executeBatch(this, items, {
		read: (itemIndex) => [readDefinition(this, itemIndex)],
		call: async (inputs, options) =>
			await associations.labels.createMany(inputs, { ...options, dryRun: previewOnly }),
		toJson: (result) => ({
			saved: !previewOnly,
			created: result.created,
			...labelJson(result.label),
			preview: { ...result.preview },
		}),
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
	if (options.allowDuplicateNames === true) input.allowDuplicateNames = true;
	return input;
}
