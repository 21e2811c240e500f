import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Associations } from '../../../../core';
import { eachItem } from '../../../shared/execute';
import { readRecordQuery, recordParameters } from './common';

export const description: INodeProperties[] = recordParameters('count');

export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await eachItem(this, items, async (itemIndex) => {
		const query = readRecordQuery(this, itemIndex);
		const count = await associations.related.count(query);
		return [
			{
				json: { objectKey: query.objectKey, recordId: String(query.recordId), count },
				pairedItem: { item: itemIndex },
			},
		];
	});
}
