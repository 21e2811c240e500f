import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type INodeProperties,
} from 'n8n-workflow';

import {
	EVENT_TYPES,
	MAX_PAGE_SIZE,
	type AssociationEvent,
	type HistoryQueryInput,
} from '../../../../core';
import {
	labelLocator,
	objectKeyLocator,
	optionsCollection,
	recordIdField,
	returnAllAndLimit,
} from '../../../shared/descriptions';
import {
	eventTypesField,
	onlyLabelsField,
	readEventTypes,
	readOnlyLabels,
} from '../../../shared/event-parameters';
import { eventJson } from '../../../shared/output';
import { eachItemOperation } from '../../../shared/execute';
import { locatorValue, readLabel, readLocator, readRecordId } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'History Of',
		name: 'historyOf',
		type: 'options',
		noDataExpression: true,
		default: 'record',
		options: [
			{
				name: 'A Record',
				value: 'record',
				description: 'The links made and removed for one record',
			},
			{
				name: 'A Label',
				value: 'label',
				description: 'Everything that happened to one label and its links',
			},
			{
				name: 'The Namespace',
				value: 'namespace',
				description: "Every change in the credential's namespace",
			},
		],
	},
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Object',
		description: 'The object of the record, e.g. contact',
		displayOptions: { show: { historyOf: ['record'] } },
	}),
	{
		...recordIdField({
			name: 'recordId',
			displayName: 'Record ID',
			placeholder: 'e.g. {{ $json.recordId }}',
			description: 'ID of the record whose history to get',
		}),
		displayOptions: { show: { historyOf: ['record'] } },
	},
	labelLocator({
		name: 'label',
		displayName: 'Label',
		description: 'The label whose history to get (a deleted label: type its key)',
		displayOptions: { show: { historyOf: ['label'] } },
	}),
	eventTypesField([...EVENT_TYPES], 'The kinds of change to list'),
	{ ...onlyLabelsField, displayOptions: { show: { historyOf: ['record', 'namespace'] } } },
	{
		displayName: 'Order',
		name: 'order',
		type: 'options',
		default: 'newest',
		options: [
			{ name: 'Newest First', value: 'newest' },
			{ name: 'Oldest First', value: 'oldest' },
		],
	},
	...returnAllAndLimit(100_000),
	optionsCollection([
		{
			...objectKeyLocator({
				name: 'involvingObject',
				displayName: 'Only Object',
				description: 'Only changes of labels and links that involve this object, e.g. contact',
				required: false,
			}),
			displayOptions: { show: { '/historyOf': ['namespace'] } },
		},
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['history'] } }, properties);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const historyOf = this.getNodeParameter('historyOf', itemIndex, 'record') as string;
	let types;
	try {
		types = readEventTypes(this.getNodeParameter('events', itemIndex, []));
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`${(error as Error).message} (item ${itemIndex})`,
			{
				itemIndex,
				description: 'Pick the kinds of change to list in "Events".',
			},
		);
	}
	const query: HistoryQueryInput = {
		types,
		order: this.getNodeParameter('order', itemIndex, 'newest') as 'newest' | 'oldest',
	};
	if (historyOf === 'record') {
		query.record = {
			objectKey: readLocator(this, 'objectKey', itemIndex, 'Object'),
			recordId: readRecordId(this, 'recordId', itemIndex, 'Record ID'),
		};
	}
	if (historyOf === 'label') query.labels = [readLabel(this, 'label', itemIndex)];
	else {
		const labels = readOnlyLabels(this.getNodeParameter('onlyLabels', itemIndex, {}));
		if (labels.length > 0) query.labels = labels;
	}
	if (historyOf === 'namespace') {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const objectKey = locatorValue(options.involvingObject);
		if (objectKey) query.objectKey = objectKey;
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);

	const events: AssociationEvent[] = [];
	let cursor: string | undefined;
	do {
		const page = await associations.history.history({
			...query,
			limit: Math.min(MAX_PAGE_SIZE, limit - events.length),
			...(cursor ? { cursor } : {}),
		});
		events.push(...page.items);
		cursor = page.nextCursor ?? undefined;
	} while (cursor && events.length < limit);
	return events.map(eventJson);
});
