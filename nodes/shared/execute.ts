import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Associations } from '../../core';
import { describeFailure, errorItem, toNodeError } from './errors';
import { pruneIfDue } from './retention';
import { associationsFor, CREDENTIAL_NAME } from './store';

/** One operation file: its parameters and how it runs over all input items of an execution. */
export interface Operation {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		associations: Associations,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]>;
}

/**
 * Runs the node's chosen operation: opens (or reuses) the store once for the execution, then hands
 * every input item to the operation. If the store cannot be opened, each item fails with that reason
 * (Continue On Fail) or the node stops with it.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operations: Record<string, Operation>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const operation = context.getNodeParameter('operation', 0) as string;
	const chosen = operations[operation];
	if (!chosen) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" is not supported.`,
			{
				description: 'Pick one of the operations this node lists.',
			},
		);
	}
	let associations: Associations;
	try {
		associations = await associationsFor(context);
	} catch (error) {
		if (!context.continueOnFail()) throw toNodeError(context.getNode(), error);
		const failure = describeFailure(error);
		return [items.map((_item, itemIndex) => errorItem(context.getNode(), failure, itemIndex))];
	}
	const output = await chosen.execute.call(context, associations, items);
	await pruneIfDue(associations, await context.getCredentials(CREDENTIAL_NAME), context.logger);
	return [output];
}

/**
 * For operations that handle one item at a time (label administration, queries): a failing item
 * becomes an error item when Continue On Fail is on, and stops the node with its index otherwise.
 */
export async function eachItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...(await handle(itemIndex)));
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
			output.push(errorItem(context.getNode(), describeFailure(error), itemIndex));
		}
	}
	return output;
}

/**
 * An operation that handles one item at a time: `handle` returns the item's output (one or many json
 * objects), paired with the item here; failures follow eachItem's rules.
 */
export function eachItemOperation(
	handle: (
		this: IExecuteFunctions,
		associations: Associations,
		itemIndex: number,
	) => Promise<IDataObject | IDataObject[]>,
): Operation['execute'] {
	return async function (this: IExecuteFunctions, associations, items) {
		return await eachItem(this, items, async (itemIndex) => {
			const output = await handle.call(this, associations, itemIndex);
			return (Array.isArray(output) ? output : [output]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		});
	};
}
