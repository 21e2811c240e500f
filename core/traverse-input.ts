import { z } from 'zod';
import { AssociationError } from './errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './limits';
import { labelRef, objectKey, preview, recordRef } from './schemas';

/** Traversal limits: how deep, from how many records, and how many links one hop may follow. */
export const MAX_TRAVERSAL_DEPTH = 5;
export const MAX_TRAVERSAL_START_RECORDS = 1000;
export const MAX_LINKS_PER_HOP = 200_000;

export const traverseStep = z
	.object({ label: labelRef.optional(), objectKey: objectKey.optional() })
	.strict();

export const traverseInput = z
	.object({
		start: z
			.array(recordRef)
			.min(1, 'needs at least one record ({ objectKey, recordId })')
			.max(
				MAX_TRAVERSAL_START_RECORDS,
				`may hold at most ${MAX_TRAVERSAL_START_RECORDS} records; split the start records over several calls`,
			),
		steps: z
			.array(traverseStep)
			.min(1, 'needs at least one step ({ label } and/or { objectKey }, or {} for any label)')
			.max(
				MAX_TRAVERSAL_DEPTH,
				`may hold at most ${MAX_TRAVERSAL_DEPTH} steps (the deepest traversal)`,
			),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		cursor: z.string({ invalid_type_error: 'must be text' }).max(300).optional(),
	})
	.strict();

/** Where a page of a traversal ends: the last record given, in the output's order. */
export interface TraversalPosition {
	depth: number;
	objectKey: string;
	recordId: string;
}

export const encodeTraversalCursor = (position: TraversalPosition): string =>
	Buffer.from(
		JSON.stringify({ d: position.depth, o: position.objectKey, r: position.recordId }),
	).toString('base64url');

/** The position a cursor resumes after; only a cursor encodeTraversalCursor made is accepted. */
export function decodeTraversalCursor(cursor: string): TraversalPosition {
	try {
		const { d, o, r } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
			string,
			unknown
		>;
		if (
			typeof d === 'number' &&
			Number.isInteger(d) &&
			d >= 1 &&
			d <= MAX_TRAVERSAL_DEPTH &&
			typeof o === 'string' &&
			typeof r === 'string'
		) {
			const position = { depth: d, objectKey: o, recordId: r };
			if (encodeTraversalCursor(position) === cursor) return position;
		}
	} catch {
		// fall through to the error below
	}
	throw new AssociationError(
		'VALIDATION',
		`Invalid cursor ${preview(cursor)}: pass the nextCursor of the previous traversal page unchanged, or leave it empty for the first page.`,
		{ cursor },
	);
}

/** The output's order: by depth, then object key, then record id (code-unit order, the same on every database). */
export function comparePositions(a: TraversalPosition, b: TraversalPosition): number {
	if (a.depth !== b.depth) return a.depth - b.depth;
	if (a.objectKey !== b.objectKey) return a.objectKey < b.objectKey ? -1 : 1;
	if (a.recordId !== b.recordId) return a.recordId < b.recordId ? -1 : 1;
	return 0;
}
