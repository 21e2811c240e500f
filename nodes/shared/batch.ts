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

interface Entry<I> {
	itemIndex: number;
	input: I;
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
	const entries: Array<Entry<I>> = [];
	const unreadable = new Map<number, Failure>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			for (const input of operation.read(itemIndex)) entries.push({ itemIndex, input });
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(node, error, itemIndex);
			unreadable.set(itemIndex, describeFailure(error));
		}
	}
	const results = await runBatch(context, entries, operation.call);
	const byItem = new Map<number, number[]>();
	entries.forEach((entry, index) => {
		const list = byItem.get(entry.itemIndex);
		if (list) list.push(index);
		else byItem.set(entry.itemIndex, [index]);
	});
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const failure = unreadable.get(itemIndex);
		if (failure) {
			output.push(errorItem(node, failure, itemIndex));
			continue;
		}
		for (const index of byItem.get(itemIndex) ?? []) {
			const result = results[index];
			const input = entries[index].input;
			if (result.status === 'error') {
				const { error } = result as Extract<BatchResult, { status: 'error' }>;
				output.push(
					errorItem(node, itemFailure(error, itemIndex), itemIndex, operation.errorFields?.(input)),
				);
			} else {
				output.push({
					json: operation.toJson(result as Success<R>, input),
					pairedItem: { item: itemIndex },
				});
			}
		}
	}
	return output;
}

async function runBatch<I, R extends BatchResult>(
	context: IExecuteFunctions,
	entries: Array<Entry<I>>,
	call: (inputs: I[], options: BatchOptions) => Promise<R[]>,
): Promise<R[]> {
	if (entries.length === 0) return [];
	const inputs = entries.map((entry) => entry.input);
	if (!context.continueOnFail()) {
		try {
			return await call(inputs, { atomic: true });
		} catch (error) {
			const index = isAssociationError(error) ? error.details.index : undefined;
			const itemIndex = typeof index === 'number' ? entries[index]?.itemIndex : undefined;
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
		return entries.map(
			(_entry, index) => ({ index, status: 'error', error: { code, message } }) as R,
		);
	}
}
