import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { LinkInput, LinkResult, UnlinkResult } from '../../../../core';
import { renumber, type Entry } from '../../../shared/batch';
import { labelLocator, objectKeyLocator } from '../../../shared/descriptions';
import {
	describeFailure,
	errorItem,
	failureFromItem,
	toNodeError,
	type Failure,
} from '../../../shared/errors';
import { locatorValue, readLabel, readLabelList, readRecordId } from '../../../shared/parameters';

/** The parameters Link and Unlink share: labels, the two record IDs, and optional object keys. */
export function pairParameters(operation: 'link' | 'unlink'): INodeProperties[] {
	const show = { show: { operation: [operation] } };
	const verb = operation === 'link' ? 'link' : 'unlink';
	return [
		labelLocator({
			name: 'label',
			displayName: 'Label',
			description: `The label to ${verb} the two records under`,
			displayOptions: show,
		}),
		{
			displayName: 'Additional Labels',
			name: 'additionalLabels',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add label',
			default: {},
			description: `More labels to ${verb} the same two records under; each gives its own output item`,
			displayOptions: show,
			options: [
				{
					displayName: 'Labels',
					name: 'labels',
					values: [
						labelLocator({
							name: 'label',
							displayName: 'Label',
							description: `Another label to ${verb} the records under`,
						}),
					],
				},
			],
		},
		{
			displayName: 'First Record ID',
			name: 'firstRecordId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.contactId }}',
			description:
				"ID of the record on the label's first side (usually an expression, evaluated per item)",
			displayOptions: show,
		},
		{
			displayName: 'Second Record ID',
			name: 'secondRecordId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. {{ $json.petId }}',
			description: "ID of the record on the label's second side",
			displayOptions: show,
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: show,
			options: [
				objectKeyLocator({
					name: 'firstObjectKey',
					displayName: 'First Record Object',
					description:
						'The object of the first record. When given, it is checked against the label, and the two records are swapped if the label has them the other way round.',
					required: false,
				}),
				objectKeyLocator({
					name: 'secondObjectKey',
					displayName: 'Second Record Object',
					description: 'The object of the second record (checked like First Record Object)',
					required: false,
				}),
			],
		},
	];
}

export interface Collected {
	entries: Array<Entry<LinkInput>>;
	/** Items whose parameters could not be read (only with Continue On Fail; otherwise the node stops). */
	failed: Map<number, Failure>;
}

/** Reads every item's parameters into batch inputs: one input per item and label. */
export function collectPairs(context: IExecuteFunctions, items: INodeExecutionData[]): Collected {
	const entries: Array<Entry<LinkInput>> = [];
	const failed = new Map<number, Failure>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const labels = [
				readLabel(context, 'label', itemIndex),
				...readLabelList(context, 'additionalLabels', itemIndex),
			];
			const firstRecordId = readRecordId(context, 'firstRecordId', itemIndex, 'First Record ID');
			const secondRecordId = readRecordId(context, 'secondRecordId', itemIndex, 'Second Record ID');
			const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const firstObjectKey = locatorValue(options.firstObjectKey);
			const secondObjectKey = locatorValue(options.secondObjectKey);
			const seen = new Set<string>();
			for (const label of labels) {
				const id = JSON.stringify(label);
				if (seen.has(id)) continue;
				seen.add(id);
				entries.push({
					itemIndex,
					input: {
						label,
						firstRecordId,
						secondRecordId,
						...(firstObjectKey ? { firstObjectKey } : {}),
						...(secondObjectKey ? { secondObjectKey } : {}),
					},
				});
			}
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
			failed.set(itemIndex, describeFailure(error));
		}
	}
	return { entries, failed };
}

type BatchResult = LinkResult | UnlinkResult;
type Success<R> = Exclude<R, { status: 'error' }>;

/**
 * Output in input order: per item, one output item per label (or the item's error), each paired with
 * its input item.
 */
export function toOutput<R extends BatchResult>(
	node: INode,
	items: INodeExecutionData[],
	{ entries, failed }: Collected,
	results: R[],
	describe: (result: Success<R>) => IDataObject,
): INodeExecutionData[] {
	const byItem = new Map<number, number[]>();
	entries.forEach((entry, index) => {
		const list = byItem.get(entry.itemIndex) ?? [];
		list.push(index);
		byItem.set(entry.itemIndex, list);
	});
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = failed.get(itemIndex);
		if (failure) {
			output.push(errorItem(node, failure, itemIndex));
			continue;
		}
		for (const index of byItem.get(itemIndex) ?? []) {
			const result = results[index];
			if (result.status === 'error') {
				const error = failureFromItem({
					...result.error,
					message: renumber(result.error.message, itemIndex),
				});
				const label = entries[index].input.label;
				output.push(
					errorItem(
						node,
						error,
						itemIndex,
						'key' in label ? { labelKey: label.key } : { labelId: label.id },
					),
				);
			} else {
				output.push({ json: describe(result as Success<R>), pairedItem: { item: itemIndex } });
			}
		}
	}
	return output;
}
