import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { MAX_PAGE_SIZE, type RelatedRecord } from '../../../../core';
import { returnAllAndLimit, withOptionsLast } from '../../../shared/descriptions';
import { eachItemOperation } from '../../../shared/execute';
import { labelsById } from '../../../shared/label-names';
import { groupedRelatedJson, relatedJson } from '../../../shared/output';
import { readRecordQuery, recordParameters } from './common';

const properties: INodeProperties[] = withOptionsLast([
	...recordParameters('getRelated'),
	...returnAllAndLimit(100_000),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'perRecord',
		options: [
			{
				name: 'One Item per Input Record',
				value: 'perInput',
				description: 'One item for each input record, with its related records in a "related" list',
			},
			{
				name: 'Grouped by Label',
				value: 'grouped',
				description:
					"One item for each input record, its related records grouped by object and label with a count per group, as HighLevel's Related Objects view shows them",
			},
			{
				name: 'One Item per Related Record',
				value: 'perRecord',
				description:
					'One item for each related record (an input record without related records gives none)',
			},
		],
	},
]);

export const description = updateDisplayOptions(
	{ show: { operation: ['getRelated'] } },
	properties,
);

export const execute = eachItemOperation(async function (associations, itemIndex) {
	const query = readRecordQuery(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const output = this.getNodeParameter('output', itemIndex, 'perRecord') as string;

	const related: RelatedRecord[] = [];
	let cursor: string | undefined;
	do {
		const page = await associations.related.list({
			...query,
			limit: Math.min(MAX_PAGE_SIZE, limit - related.length),
			...(cursor ? { cursor } : {}),
		});
		related.push(...page.items);
		cursor = page.nextCursor ?? undefined;
	} while (cursor && related.length < limit);

	const labels = await labelsById(this, associations);
	if (output === 'grouped') {
		return groupedRelatedJson(query.objectKey, String(query.recordId), related, labels);
	}
	if (output === 'perInput') {
		return {
			objectKey: query.objectKey,
			recordId: String(query.recordId),
			count: related.length,
			related: related.map((record) => relatedJson(record, labels)),
		};
	}
	return related.map((record) => relatedJson(record, labels));
});
