import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import {
	MAX_PAGE_SIZE,
	type Associations,
	type CountQueryInput,
	type QueryOutcome,
	type RelatedRecord,
} from '../../../../core';
import { returnAllAndLimit, withOptionsLast } from '../../../shared/descriptions';
import { readAll, type LabelsById } from '../../../shared/label-names';
import { groupedRelatedJson, relatedJsonOf } from '../../../shared/output';
import { batchedReadOperation } from '../../../shared/read-batch';
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

interface Query {
	query: CountQueryInput;
	/** Records wanted (Infinity with Return All). */
	limit: number;
	output: string;
}

/**
 * All items in one batch read per page round: every item's first page in one listMany, then the items that
 * want more (Return All, or a limit above a page) with their cursors, and so on. The output is per item as
 * before: its related records, or one item listing them.
 */
async function pages(associations: Associations, queries: Query[]) {
	const related: RelatedRecord[][] = queries.map(() => []);
	const failed = new Map<number, unknown>();
	let pending = queries.map((_query, index) => ({
		index,
		cursor: undefined as string | undefined,
	}));
	while (pending.length > 0) {
		const outcomes = await associations.related.listMany(
			pending.map(({ index, cursor }) => ({
				...queries[index].query,
				limit: Math.min(MAX_PAGE_SIZE, queries[index].limit - related[index].length),
				...(cursor ? { cursor } : {}),
			})),
		);
		const next: typeof pending = [];
		outcomes.forEach((outcome, k) => {
			const { index } = pending[k];
			if (!outcome.ok) {
				failed.set(index, outcome.error);
				return;
			}
			related[index].push(...outcome.value.items);
			const cursor = outcome.value.nextCursor;
			if (cursor && related[index].length < queries[index].limit) next.push({ index, cursor });
		});
		pending = next;
	}
	return queries.map(
		(_query, index): QueryOutcome<RelatedRecord[]> =>
			failed.has(index)
				? { ok: false, error: failed.get(index) }
				: { ok: true, value: related[index] },
	);
}

export const execute = batchedReadOperation<
	Query,
	{ related: RelatedRecord[]; labels: LabelsById; json: (record: RelatedRecord) => IDataObject }
>({
	read(parameters, itemIndex) {
		const query = readRecordQuery(parameters, itemIndex);
		const returnAll = parameters.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: (parameters.getNodeParameter('limit', itemIndex, 50) as number);
		const output = parameters.getNodeParameter('output', itemIndex, 'perRecord') as string;
		return { query, limit, output };
	},
	async query(associations, queries) {
		const outcomes = await pages(associations, queries);
		const labels = await readAll(associations);
		const json = relatedJsonOf(labels);
		return outcomes.map((outcome) =>
			outcome.ok ? { ok: true, value: { related: outcome.value, labels, json } } : outcome,
		);
	},
	toJson({ related, labels, json }, { query, output }) {
		if (output === 'grouped') {
			return groupedRelatedJson(query.objectKey, String(query.recordId), related, labels);
		}
		if (output === 'perInput') {
			return {
				objectKey: query.objectKey,
				recordId: String(query.recordId),
				count: related.length,
				related: related.map(json),
			};
		}
		return related.map(json);
	},
});
