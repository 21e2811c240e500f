import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations, UnlinkRecordInput } from '../../../../core';
import { labelLocator, objectKeyLocator } from '../../../shared/descriptions';
import {
	describeFailure,
	errorItem,
	failureFromItem,
	toNodeError,
	type Failure,
} from '../../../shared/errors';
import { linkJson } from '../../../shared/output';
import { labelRefOf, readLocator, readRecordId } from '../../../shared/parameters';
import { renumber, runBatch, type Entry } from '../../../shared/batch';

const show = { show: { operation: ['unlinkAll'] } };

export const description: INodeProperties[] = [
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Object',
		description: 'The object of the record whose links are removed, e.g. contact',
		displayOptions: show,
	}),
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.recordId }}',
		description: 'ID of the record whose links are removed (say, because the record was deleted)',
		displayOptions: show,
	},
	labelLocator({
		name: 'onlyLabel',
		displayName: 'Only Label',
		description:
			"Remove only the links under this label. Leave empty to remove the record's links under every label.",
		required: false,
		displayOptions: show,
	}),
];

/**
 * All items in one unlinkRecords call (one transaction, one set-based DELETE per side); each output item
 * lists what was removed for its record.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const entries: Array<Entry<UnlinkRecordInput>> = [];
	const failed = new Map<number, Failure>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const onlyLabel = readLocator(this, 'onlyLabel', itemIndex, 'Only Label', true);
			entries.push({
				itemIndex,
				input: {
					objectKey: readLocator(this, 'objectKey', itemIndex, 'Object'),
					recordId: readRecordId(this, 'recordId', itemIndex, 'Record ID'),
					...(onlyLabel ? { labels: [labelRefOf(onlyLabel)] } : {}),
				},
			});
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
			failed.set(itemIndex, describeFailure(error));
		}
	}
	const results = await runBatch(
		this,
		entries,
		async (inputs, options) => await associations.links.unlinkRecords(inputs, options),
	);
	const output: INodeExecutionData[] = [];
	const resultOf = new Map(
		entries.map((entry, index) => [entry.itemIndex, { entry, result: results[index] }]),
	);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = failed.get(itemIndex);
		if (failure) {
			output.push(errorItem(this.getNode(), failure, itemIndex));
			continue;
		}
		const done = resultOf.get(itemIndex)!;
		if (done.result.status === 'error') {
			const error = failureFromItem({
				...done.result.error,
				message: renumber(done.result.error.message, itemIndex),
			});
			output.push(errorItem(this.getNode(), error, itemIndex));
		} else {
			output.push({
				json: {
					objectKey: done.entry.input.objectKey,
					recordId: String(done.entry.input.recordId),
					deleted: done.result.deleted,
					links: done.result.links.map((link) => linkJson(link)),
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}
