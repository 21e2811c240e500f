import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { labelLocator, objectKeyLocator } from '../../../shared/descriptions';
import { eachItem } from '../../../shared/execute';
import { linkJson } from '../../../shared/output';
import { labelRefOf, readLocator, readRecordId } from '../../../shared/parameters';

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
		description: 'Remove only the links under this label. Leave empty to remove the record\'s links under every label.',
		required: false,
		displayOptions: show,
	}),
];

/** One unlinkRecord call per item (each is one transaction); the output lists what was removed. */
export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await eachItem(this, items, async (itemIndex) => {
		const objectKey = readLocator(this, 'objectKey', itemIndex, 'Object');
		const recordId = readRecordId(this, 'recordId', itemIndex, 'Record ID');
		const onlyLabel = readLocator(this, 'onlyLabel', itemIndex, 'Only Label', true);
		const { deleted, links } = await associations.links.unlinkRecord({
			objectKey,
			recordId,
			...(onlyLabel ? { labels: [labelRefOf(onlyLabel)] } : {}),
		});
		return [
			{
				json: { objectKey, recordId: String(recordId), deleted, links: links.map((link) => linkJson(link)) },
				pairedItem: { item: itemIndex },
			},
		];
	});
}
