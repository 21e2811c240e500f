import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { objectKeyLocator } from '../../../shared/descriptions';
import { labelName } from '../../../../core';
import { eachItemOperation } from '../../../shared/execute';
import { labelsById } from '../../../shared/label-names';
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

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const first = {
		objectKey: readLocator(this, 'firstObjectKey', itemIndex, 'First Object'),
		recordId: readRecordId(this, 'firstRecordId', itemIndex, 'First Record ID'),
	};
	const second = {
		objectKey: readLocator(this, 'secondObjectKey', itemIndex, 'Second Object'),
		recordId: readRecordId(this, 'secondRecordId', itemIndex, 'Second Record ID'),
	};
	const labels = await associations.related.labelsBetween({ first, second });
	const byId = labels.length > 0 ? await labelsById(this, associations) : undefined;
	return {
		firstObjectKey: first.objectKey,
		firstRecordId: String(first.recordId),
		secondObjectKey: second.objectKey,
		secondRecordId: String(second.recordId),
		linked: labels.length > 0,
		labels: labels.map((between) => {
			const label = byId?.get(between.labelId);
			return { ...(label ? { label: labelName(label) } : {}), ...between };
		}),
	};
});
