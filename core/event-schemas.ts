import { z } from 'zod';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './limits';
import { labelRef, objectKey, recordRef } from './schemas';

export const EVENT_TYPES = [
	'link.created',
	'link.deleted',
	'link.moved',
	'label.created',
	'label.renamed',
	'label.limits_changed',
	'label.deleted',
] as const;

/** The most events one trigger poll reads. */
export const MAX_EVENT_BATCH = 10_000;
export const DEFAULT_EVENT_BATCH = 1000;

const eventType = z.enum(EVENT_TYPES, {
	errorMap: () => ({ message: `must be one of ${EVENT_TYPES.join(', ')}` }),
});

const eventFilter = {
	types: z.array(eventType).optional(),
	labels: z.array(labelRef).optional(),
	objectKey: objectKey.optional(),
	record: recordRef.optional(),
};

export const historyQueryInput = z
	.object({
		...eventFilter,
		order: z.enum(['newest', 'oldest']).default('newest'),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		cursor: z.string().max(200).optional(),
	})
	.strict();

export const eventsSinceInput = z
	.object({
		...eventFilter,
		after: z.number().int().min(0, 'must be 0 or a position the trigger returned'),
		limit: z.number().int().min(1).max(MAX_EVENT_BATCH).default(DEFAULT_EVENT_BATCH),
	})
	.strict();

export const pruneInput = z
	.object({
		/** Events created before this moment (ISO time) are removed. */
		before: z
			.string()
			.datetime({ message: 'must be an ISO date-time such as 2026-01-31T00:00:00Z' }),
		batchSize: z.number().int().min(1).max(MAX_EVENT_BATCH).default(1000),
		maxBatches: z.number().int().min(1).max(1000).default(10),
	})
	.strict();

export type HistoryQueryInput = z.input<typeof historyQueryInput>;
export type EventsSinceInput = z.input<typeof eventsSinceInput>;
export type PruneInput = z.input<typeof pruneInput>;
