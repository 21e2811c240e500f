import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	MAX_PAGE_SIZE,
	MAX_TRAVERSAL_DEPTH,
	type Associations,
	type ReachedRecord,
	type TraverseInput,
} from '../../../../core';
import {
	labelLocator,
	objectKeyLocator,
	recordIdField,
	returnAllAndLimit,
} from '../../../shared/descriptions';
import { describeFailure, errorItem, toNodeError } from '../../../shared/errors';
import { eachItem } from '../../../shared/execute';
import { labelRefOf, locatorValue, readLocator, readRecordId } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	objectKeyLocator({
		name: 'objectKey',
		displayName: 'Start Object',
		description: 'The object of the record to start from, e.g. contact',
	}),
	recordIdField({
		name: 'recordId',
		displayName: 'Start Record ID',
		placeholder: 'e.g. {{ $json.recordId }}',
		description: 'ID of the record to start from (usually an expression, evaluated per item)',
	}),
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add step',
		default: { step: [{}] },
		description: `The path to follow, one hop per step (at most ${MAX_TRAVERSAL_DEPTH}), e.g. Owner → property, then Listing → listing`,
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					labelLocator({
						name: 'label',
						displayName: 'Label',
						description: 'Follow links of this label. Leave empty to follow any label.',
						required: false,
					}),
					objectKeyLocator({
						name: 'objectKey',
						displayName: 'To Object',
						description:
							'Only reach records of this object, e.g. custom_objects.listing. Leave empty for any.',
						required: false,
					}),
				],
			},
		],
	},
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		default: 'eachItem',
		options: [
			{
				name: 'Each Input Item',
				value: 'eachItem',
				description: "One traversal per input item, from that item's record",
			},
			{
				name: 'All Input Items Together',
				value: 'allItems',
				description:
					'One traversal from the records of all input items: a record reached from two of them appears once',
			},
		],
	},
	...returnAllAndLimit(100_000),
];

export const description = updateDisplayOptions({ show: { operation: ['traverse'] } }, properties);

/** The steps of an item, as the core takes them (an empty step follows any label to any object). */
function readSteps(context: IExecuteFunctions, itemIndex: number): TraverseInput['steps'] {
	const collection = context.getNodeParameter('steps', itemIndex, {}) as {
		step?: Array<{ label?: unknown; objectKey?: unknown }>;
	};
	return (collection.step ?? []).map((step) => {
		const label = locatorValue(step.label);
		const objectKey = locatorValue(step.objectKey);
		return { ...(label ? { label: labelRefOf(label) } : {}), ...(objectKey ? { objectKey } : {}) };
	});
}

const startOf = (context: IExecuteFunctions, itemIndex: number) => ({
	objectKey: readLocator(context, 'objectKey', itemIndex, 'Start Object'),
	recordId: readRecordId(context, 'recordId', itemIndex, 'Start Record ID'),
});

/** Every page of a traversal up to the limit (Return All: every record reached). */
async function traverseAll(
	associations: Associations,
	query: Omit<TraverseInput, 'limit' | 'cursor'>,
	limit: number,
): Promise<ReachedRecord[]> {
	const reached: ReachedRecord[] = [];
	let cursor: string | undefined;
	do {
		const page = await associations.traverse({
			...query,
			limit: Math.min(MAX_PAGE_SIZE, limit - reached.length),
			...(cursor ? { cursor } : {}),
		});
		reached.push(...page.items);
		cursor = page.nextCursor ?? undefined;
	} while (cursor && reached.length < limit);
	return reached;
}

export const reachedJson = (record: ReachedRecord): IDataObject => {
	const last = record.path[record.path.length - 1];
	return {
		objectKey: record.objectKey,
		recordId: record.recordId,
		depth: record.depth,
		label: last.label,
		labelKey: last.labelKey,
		fromObjectKey: record.from.objectKey,
		fromRecordId: record.from.recordId,
		path: record.path.map((hop) => ({ ...hop })),
	};
};

export async function execute(
	this: IExecuteFunctions,
	associations: Associations,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const limitOf = (itemIndex: number) =>
		this.getNodeParameter('returnAll', itemIndex, false)
			? Infinity
			: (this.getNodeParameter('limit', itemIndex, 50) as number);
	if (this.getNodeParameter('startFrom', 0, 'eachItem') === 'allItems' && items.length > 0) {
		try {
			return await traverseAllItems(this, associations, items.length, limitOf(0));
		} catch (error) {
			// One traversal for all items: its failure is reported once, on the first item.
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, 0);
			return [errorItem(this.getNode(), describeFailure(error), 0)];
		}
	}
	return await eachItem(this, items, async (itemIndex) => {
		const reached = await traverseAll(
			associations,
			{ start: [startOf(this, itemIndex)], steps: readSteps(this, itemIndex) },
			limitOf(itemIndex),
		);
		return reached.map((record) => ({
			json: reachedJson(record),
			pairedItem: { item: itemIndex },
		}));
	});
}

/** One traversal from every item's record; each reached record is paired with the first item that named its start. */
async function traverseAllItems(
	context: IExecuteFunctions,
	associations: Associations,
	count: number,
	limit: number,
): Promise<INodeExecutionData[]> {
	const itemOf = new Map<string, number>();
	const start = Array.from({ length: count }, (_unused, itemIndex) => {
		const record = startOf(context, itemIndex);
		const key = `${record.objectKey}\u0000${String(record.recordId)}`;
		if (!itemOf.has(key)) itemOf.set(key, itemIndex);
		return record;
	});
	const reached = await traverseAll(associations, { start, steps: readSteps(context, 0) }, limit);
	return reached.map((record) => ({
		json: reachedJson(record),
		pairedItem: { item: itemOf.get(`${record.from.objectKey}\u0000${record.from.recordId}`) ?? 0 },
	}));
}
