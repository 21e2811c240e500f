import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Associations, UnlinkRecordInput } from '../../../../core';
import { executeBatch } from '../../../shared/batch';
import { perExecutionParameters, type ParameterSource } from '../../../shared/execution-parameters';
import { labelLocator, objectKeyLocator, recordIdField } from '../../../shared/descriptions';
import { labelsById } from '../../../shared/label-names';
import { linkJson } from '../../../shared/output';
import { labelRefOf, readLocator, readRecordId } from '../../../shared/parameters';
import { AUTO, autoRecord, manualOnly, readInputMode } from './input-mode';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Object',
		description: 'The object of the record whose links are removed, e.g. contact',
	}),
	recordIdField({
		name: 'recordId',
		displayName: 'Record ID',
		placeholder: 'e.g. {{ $json.recordId }}',
		description: 'ID of the record whose links are removed (say, because the record was deleted)',
	}),
	labelLocator({
		name: 'onlyLabel',
		displayName: 'Only Label',
		description:
			"Remove only the links under this label. Leave empty to remove the record's links under every label.",
		required: false,
	}),
];

export const description = updateDisplayOptions(
	{ show: { ...manualOnly.show, operation: ['unlinkAll'] } },
	properties,
);

/**
 * All items in one unlinkRecords call (one transaction, one set-based DELETE per side); each output item
 * lists what was removed for its record.
 */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const parameters = perExecutionParameters(this);
	const node = this.getNode();
	const auto = readInputMode(parameters) === AUTO;
	const labels = await labelsById(this, associations);
	return await executeBatch(this, items, {
		read: (itemIndex) => [
			auto ? autoRecord(node, items, itemIndex) : readRecord(parameters, itemIndex),
		],
		call: async (inputs, options) => await associations.links.unlinkRecords(inputs, options),
		toJson: (result, input) => ({
			objectKey: input.objectKey,
			recordId: String(input.recordId),
			deleted: result.deleted,
			links: result.links.map((link) => linkJson(link, labels)),
		}),
	});
}

function readRecord(context: ParameterSource, itemIndex: number): UnlinkRecordInput {
	const onlyLabel = readLocator(context, 'onlyLabel', itemIndex, 'Only Label', true);
	return {
		objectKey: readLocator(context, 'objectKey', itemIndex, 'Object'),
		recordId: readRecordId(context, 'recordId', itemIndex, 'Record ID'),
		...(onlyLabel ? { labels: [labelRefOf(onlyLabel)] } : {}),
	};
}
