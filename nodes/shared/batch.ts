import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isAssociationError, type BatchOptions, type ItemError } from '../../core';
import {
	describeFailure,
	errorItem,
	failureToNodeError,
	itemFailure,
	toNodeError,
	type Failure,
} from './errors';

/** A core batch result: a status per input, or its error. */
type BatchResult =
	| { index: number; status: string }
	| { index: number; status: 'error'; error: ItemError };
type Success<R> = Exclude<R, { status: 'error' }>;

/** One batch operation of a node: how items become core inputs, the core call, and the output. */
export interface BatchOperation<I, R extends BatchResult> {
	/** The core inputs of one item (none, one, or one per label); throws when a parameter is unusable. */
	read(itemIndex: number): I[];
	/** The core's batch call: one transaction for all inputs. */
	call(inputs: I[], options: BatchOptions): Promise<R[]>;
	/** The output fields of a successful input. */
	toJson(result: Success<R>, input: I): IDataObject;
	/** Fields that tell the user which input of the item failed (say, its label). */
	errorFields?(input: I): IDataObject;
}

/**
 * Runs a batch operation over all items in one core call, so one transaction. Without Continue On Fail the
 * batch is atomic: a failing input changes nothing and stops the node, naming its item. With it, each input
 * gets its own output item (its result, or its error), in item order and paired with its item; a failure of
 * the whole call (the store is down) fails every input.
 */
export async function executeBatch<I, R extends BatchResult>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: BatchOperation<I, R>,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	// Parallel arrays, not an object per input: 100,000 items are 100,000 inputs held through the core call.
	const inputs: I[] = [];
	const itemOf: number[] = [];
	const unreadable = new Map<number, Failure>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			for (const input of operation.read(itemIndex)) {
				inputs.push(input);
				itemOf.push(itemIndex);
			}
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(node, error, itemIndex);
			unreadable.set(itemIndex, describeFailure(error));
		}
	}
	const results: Array<R | undefined> = await runBatch(context, inputs, itemOf, operation.call);
	// Inputs are grouped by item, in item order: one pass pairs them, and each core result is let go once its
	// output item is built, so results and output items are not all alive at once.
	const output: INodeExecutionData[] = new Array(inputs.length + unreadable.size);
	let written = 0;
	let next = 0;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = unreadable.size > 0 ? unreadable.get(itemIndex) : undefined;
		if (failure) {
			output[written++] = errorItem(node, failure, itemIndex);
			continue;
		}
		for (; next < inputs.length && itemOf[next] === itemIndex; next++) {
			const result = results[next]!;
			results[next] = undefined;
			if (result.status === 'error') {
				const { error } = result as Extract<BatchResult, { status: 'error' }>;
				output[written++] = errorItem(
					node,
					itemFailure(error, itemIndex),
					itemIndex,
					operation.errorFields?.(inputs[next]),
				);
			} else {
				output[written++] = {
					json: operation.toJson(result as Success<R>, inputs[next]),
					pairedItem: { item: itemIndex },
				};
			}
		}
	}
	return output;
}

async function runBatch<I, R extends BatchResult>(
	context: IExecuteFunctions,
	inputs: I[],
	itemOf: number[],
	call: (inputs: I[], options: BatchOptions) => Promise<R[]>,
): Promise<R[]> {
	if (inputs.length === 0) return [];
	if (!context.continueOnFail()) {
		try {
			return await call(inputs, { atomic: true });
		} catch (error) {
			const index = isAssociationError(error) ? error.details.index : undefined;
			const itemIndex = typeof index === 'number' ? itemOf[index] : undefined;
			if (itemIndex === undefined || !isAssociationError(error)) {
				throw toNodeError(context.getNode(), error);
			}
			throw failureToNodeError(context.getNode(), itemFailure(error, itemIndex), itemIndex);
		}
	}
	try {
		return await call(inputs, {});
	} catch (error) {
		const { code, message } = describeFailure(error);
		return inputs.map(
			(_input, index) => ({ index, status: 'error', error: { code, message } }) as R,
		);
	}
}
