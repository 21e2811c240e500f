import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { objectKeyLocator } from '../../../shared/descriptions';
import { labelName, type LabelBetween, type LabelsBetweenInput } from '../../../../core';
import { readAll, type LabelsById } from '../../../shared/label-names';
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
export const execute = batchedReadOperation<
	LabelsBetweenInput,
	{ labels: LabelBetween[]; byId: LabelsById }
>({
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
	query: async (associations, inputs) => {
		const outcomes = await associations.related.labelsBetweenMany(inputs);
		const byId = await readAll(associations);
		return outcomes.map((outcome) =>
			outcome.ok ? { ok: true, value: { labels: outcome.value, byId } } : outcome,
		);
	},
	toJson: ({ labels, byId }, { first, second }) => ({
		firstObjectKey: first.objectKey,
		firstRecordId: String(first.recordId),
		secondObjectKey: second.objectKey,
		secondRecordId: String(second.recordId),
		linked: labels.length > 0,
		labels: labels.map((between) => {
			const label = byId.get(between.labelId);
			return { ...(label ? { label: labelName(label) } : {}), ...between };
		}),
	}),
});
