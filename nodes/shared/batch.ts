import type { IExecuteFunctions } from 'n8n-workflow';

import { isAssociationError, type BatchOptions } from '../../core';
import { describeFailure, toNodeError } from './errors';

/** One core batch input and the n8n item it came from. */
export interface Entry<I> {
	itemIndex: number;
	input: I;
}

/** The core numbers batch inputs; users know n8n items. Messages name the n8n item instead. */
export function renumber(message: string, itemIndex: number): string {
	return message.replace(/^((?:Invalid [^:]*?)?\bitem )\d+/i, `$1${itemIndex}`);
}

type Result =
	| { index: number; status: string }
	| { index: number; status: 'error'; error: { code: string; message: string } };

/**
 * Sends all entries to the core as one batch call (one transaction). Without Continue On Fail the batch
 * is atomic: a failing entry changes nothing and stops the node with its item's index. With it, each
 * entry gets its own result; a failure of the whole call (the store is down) fails every entry.
 */
export async function runBatch<I, R extends Result>(
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
			if (itemIndex !== undefined && isAssociationError(error))
				error.message = renumber(error.message, itemIndex);
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	try {
		return await call(inputs, {});
	} catch (error) {
		const failure = describeFailure(error);
		return entries.map(
			(_entry, index) =>
				({ index, status: 'error', error: { code: failure.code, message: failure.message } }) as R,
		);
	}
}
