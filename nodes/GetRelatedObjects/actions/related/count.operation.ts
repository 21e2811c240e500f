import type { INodeProperties } from 'n8n-workflow';

import type { CountQueryInput } from '../../../../core';
import { batchedReadOperation } from '../../../shared/read-batch';
import { readRecordQuery, recordParameters } from './common';

export const description: INodeProperties[] = recordParameters('count');

/** All items' counts in one batch read (countMany), one output item per input item. */
export const execute = batchedReadOperation<CountQueryInput, number>({
	read: (parameters, itemIndex) => readRecordQuery(parameters, itemIndex),
	query: async (associations, queries) => await associations.related.countMany(queries),
	toJson: (count, query) => ({
		objectKey: query.objectKey,
		recordId: String(query.recordId),
		count,
	}),
});
