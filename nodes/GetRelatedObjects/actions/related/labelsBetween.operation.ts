import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { objectKeyLocator } from '../../../shared/descriptions';
import type { LabelBetween, LabelsBetweenInput } from '../../../../core';
import { batchedReadOperation } from '../../../shared/read-batch';
import { readLocator, readRecordId } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'firstObjectKey',
		displayName: 'First Object',
		description: 'The object of the first record, e.g. contact',
	}),
	{
		displayName: 'First Record ID',
		name: 'firstRecordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.contactId }}',
		description: 'ID of the first record; label names are given from its point of view',
	},
	objectKeyLocator({
		name: 'secondObjectKey',
		displayName: 'Second Object',
		description: 'The object of the second record, e.g. company',
	}),
	{
		displayName: 'Second Record ID',
		name: 'secondRecordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.companyId }}',
		description: 'ID of the second record',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['labelsBetween'] } },
	properties,
);

/** All items' pairs in one batch read (labelsBetweenMany), one output item per input item. */
export const execute = batchedReadOperation<LabelsBetweenInput, LabelBetween[]>({
	read: (parameters, itemIndex) => ({
		first: {
			objectKey: readLocator(parameters, 'firstObjectKey', itemIndex, 'First Object'),
			recordId: readRecordId(parameters, 'firstRecordId', itemIndex, 'First Record ID'),
		},
		second: {
			objectKey: readLocator(parameters, 'secondObjectKey', itemIndex, 'Second Object'),
			recordId: readRecordId(parameters, 'secondRecordId', itemIndex, 'Second Record ID'),
		},
	}),
	query: async (associations, inputs) => await associations.related.labelsBetweenMany(inputs),
	toJson: (labels, { first, second }) => ({
		firstObjectKey: first.objectKey,
		firstRecordId: String(first.recordId),
		secondObjectKey: second.objectKey,
		secondRecordId: String(second.recordId),
		linked: labels.length > 0,
		labels: labels.map((label) => ({ ...label })),
	}),
});
