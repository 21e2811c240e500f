import { z } from 'zod';
import { AssociationError } from './errors';
import * as schemas from './schemas';
import type { BatchOptions } from './types';

/**
 * A batch call's inputs: a list, or a VALIDATION error saying so (not a TypeError or a STORE error from
 * deep inside). Holes of a sparse list become undefined items, which then fail on their own.
 */
export function batchOf<T>(inputs: unknown, what: string): T[] {
	if (!Array.isArray(inputs)) {
		throw new AssociationError(
			'VALIDATION',
			`Invalid ${what}: expected a list (an array) of them, got ${schemas.preview(inputs)}. Wrap a single one in [ ].`,
			{ got: inputs === null ? 'null' : Array.isArray(inputs) ? 'array' : typeof inputs },
		);
	}
	return Array.from(inputs as T[]);
}

/** Options of the batch calls (createMany, linkMany, unlinkMany, unlinkRecords). */
export const batchOptions = z
	.object(
		{ atomic: z.boolean({ invalid_type_error: 'must be true or false' }).optional() },
		{ invalid_type_error: 'must be an object such as { atomic: true }' },
	)
	.strict();

/** Options of labels.createMany: a batch's options, and a dry run. */
export const createLabelsOptions = batchOptions
	.extend({ dryRun: z.boolean({ invalid_type_error: 'must be true or false' }).optional() })
	.strict();

/** A batch call's options: nothing, or { atomic?: boolean }. */
export const batchOptionsOf = (options: unknown): BatchOptions =>
	options === undefined ? {} : schemas.parse(batchOptions, options, 'batch options');

/**
 * Every item of a batch gets a result. A slot left empty (a planned link whose stored row did not come
 * back under the same key) would resolve a call to undefined after writing; refuse it instead, which
 * also rolls the transaction back.
 */
export function assertEveryResult<T>(results: T[], length: number, what: string): T[] {
	for (let index = 0; index < length; index++) {
		if (results[index] === undefined) {
			throw new AssociationError(
				'STORE',
				`The association store returned no result for this ${what}: the stored row does not match what was written, so nothing was changed. Please report this with the input that caused it.`,
				{ index },
			);
		}
	}
	return results;
}
