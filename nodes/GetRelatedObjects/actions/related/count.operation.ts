import type { INodeProperties } from 'n8n-workflow';

import { eachItemOperation } from '../../../shared/execute';
import { readRecordQuery, recordParameters } from './common';

export const description: INodeProperties[] = recordParameters('count');

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const query = readRecordQuery(this, itemIndex);
	const count = await associations.related.count(query);
	return { objectKey: query.objectKey, recordId: String(query.recordId), count };
});
