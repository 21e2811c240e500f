import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import type { CountQueryInput } from '../../../../core';
import {
	labelLocator,
	objectKeyLocator,
	recordIdField,
	optionsCollection,
} from '../../../shared/descriptions';
import type { ParameterSource } from '../../../shared/execution-parameters';
import { locatorValue, readLabelList, readLocator, readRecordId } from '../../../shared/parameters';

/** The record to look from and the optional filters, shared by Get Related and Count. */
export function recordParameters(operation: 'getRelated' | 'count'): INodeProperties[] {
	return updateDisplayOptions({ show: { operation: [operation] } }, [
		objectKeyLocator({
			name: 'objectKey',
			displayName: 'Object',
			description: 'The object of the record to look from, e.g. contact',
		}),
		recordIdField({
			name: 'recordId',
			displayName: 'Record ID',
			placeholder: 'e.g. {{ $json.recordId }}',
			description: 'ID of the record to look from (usually an expression, evaluated per item)',
		}),
		{
			displayName: 'Only Labels',
			name: 'onlyLabels',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add label',
			default: {},
			description:
				'Only records linked under these labels. Leave empty for every label of the object.',
			options: [
				{
					displayName: 'Labels',
					name: 'labels',
					values: [
						labelLocator({
							name: 'label',
							displayName: 'Label',
							description: 'A label of the object',
						}),
					],
				},
			],
		},
		optionsCollection([
			objectKeyLocator({
				name: 'relatedObjectKey',
				displayName: 'Related Object',
				description: 'Only related records of this object, e.g. custom_objects.pets',
				required: false,
			}),
		]),
	]);
}

/** The query for one item: record, labels and related object. */
export function readRecordQuery(context: ParameterSource, itemIndex: number): CountQueryInput {
	const objectKey = readLocator(context, 'objectKey', itemIndex, 'Object');
	const recordId = readRecordId(context, 'recordId', itemIndex, 'Record ID');
	const labels = readLabelList(context, 'onlyLabels', itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const relatedObjectKey = locatorValue(options.relatedObjectKey);
	return {
		objectKey,
		recordId,
		...(labels.length > 0 ? { labels } : {}),
		...(relatedObjectKey ? { relatedObjectKey } : {}),
	};
}
