import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Associations, QueryOutcome } from '../../core';
import { describeFailure, errorItem, toNodeError } from './errors';
import type { Operation } from './execute';
import { perExecutionParameters, type ParameterSource } from './execution-parameters';

/** A read operation whose items are answered together: how an item becomes a query, the batch, the output. */
export interface BatchedRead<Q, R> {
	/** The query of one item; throws when a parameter is unusable. */
	read(this: IExecuteFunctions, parameters: ParameterSource, itemIndex: number): Q;
	/** Answers all queries at once (a few set-based statements), each with its value or its own error. */
	query(associations: Associations, queries: Q[]): Promise<Array<QueryOutcome<R>>>;
	/** The output of one item: one json object, or one per record. */
	toJson(result: R, query: Q): IDataObject | IDataObject[];
}

/**
 * Runs a read over all items of an execution with one batch call, instead of one query per item. The output
 * is what handling the items one by one gives: in item order, each output item paired with its input item;
 * a failing item (unusable parameter, unknown label, or the store failing the whole batch) becomes its error
 * item with Continue On Fail, and otherwise stops the node naming the first failing item.
 */
export function batchedReadOperation<Q, R>(read: BatchedRead<Q, R>): Operation['execute'] {
	return async function (this: IExecuteFunctions, associations, items) {
		const node = this.getNode();
		const parameters = perExecutionParameters(this);
		const outcomes: Array<QueryOutcome<Q>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				outcomes.push({ ok: true, value: read.read.call(this, parameters, itemIndex) });
			} catch (error) {
				outcomes.push({ ok: false, error });
			}
		}
		const queries = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
		let answers: Array<QueryOutcome<R>>;
		try {
			answers = queries.length > 0 ? await read.query(associations, queries) : [];
		} catch (error) {
			answers = queries.map(() => ({ ok: false, error }));
		}
		const output: INodeExecutionData[] = [];
		let next = 0;
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const outcome = outcomes[itemIndex];
			const answer = outcome.ok ? answers[next++] : outcome;
			if (!answer.ok) {
				if (!this.continueOnFail()) throw toNodeError(node, answer.error, itemIndex);
				output.push(errorItem(node, describeFailure(answer.error), itemIndex));
				continue;
			}
			const json = read.toJson(answer.value, (outcome as { value: Q }).value);
			for (const entry of Array.isArray(json) ? json : [json])
				output.push({ json: entry, pairedItem: { item: itemIndex } });
		}
		return output;
	};
}
