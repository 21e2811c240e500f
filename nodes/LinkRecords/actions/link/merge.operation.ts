import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Associations, MergeRecordsInput } from '../../../../core';
import { executeBatch } from '../../../shared/batch';
import { objectKeyLocator, recordIdField } from '../../../shared/descriptions';
import { linkJson } from '../../../shared/output';
import { readLocator, readRecordId } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Object',
		description: 'The object of both records, e.g. contact',
	}),
	recordIdField({
		name: 'survivorId',
		displayName: 'Survivor Record ID',
		placeholder: 'e.g. {{ $json.keepId }}',
		description: 'ID of the record to keep: it receives every link of the duplicate',
	}),
	recordIdField({
		name: 'duplicateId',
		displayName: 'Duplicate Record ID',
		placeholder: 'e.g. {{ $json.duplicateId }}',
		description:
			'ID of the duplicate record: its links move to the survivor, and it is left without links',
	}),
];

export const description = updateDisplayOptions({ show: { operation: ['merge'] } }, properties);

/**
 * All items in one mergeRecords call (one transaction). Without Continue On Fail a link that cannot move
 * (self-link, per-record limit) stops the node and nothing is merged; with it, such links stay on the
 * duplicate and are listed under refusedLinks.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeBatch(this, items, {
		read: (itemIndex) => [readMerge(this, itemIndex)],
		call: async (inputs, options) => await associations.mergeRecords(inputs, options),
		toJson: (result) => ({
			objectKey: result.objectKey,
			survivorId: result.survivorId,
			duplicateId: result.duplicateId,
			moved: result.moved.length,
			dropped: result.dropped.length,
			refused: result.refused.length,
			movedLinks: result.moved.map((link) => linkJson(link)),
			droppedLinks: result.dropped.map((link) => linkJson(link)),
			refusedLinks: result.refused.map(({ link, error }) => ({
				...linkJson(link),
				code: error.code,
				error: error.message,
			})),
		}),
	});
}

function readMerge(context: IExecuteFunctions, itemIndex: number): MergeRecordsInput {
	return {
		objectKey: readLocator(context, 'objectKey', itemIndex, 'Object'),
		survivorId: readRecordId(context, 'survivorId', itemIndex, 'Survivor Record ID'),
		duplicateId: readRecordId(context, 'duplicateId', itemIndex, 'Duplicate Record ID'),
	};
}
