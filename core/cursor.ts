import { AssociationError } from './errors';
import { preview } from './schemas';

/** Link ids are BIGINT: 1 … 9223372036854775807. */
const MAX_LINK_ID = 9223372036854775807n;

export const encodeCursor = (linkId: string): string =>
	Buffer.from(JSON.stringify({ after: linkId })).toString('base64url');

/**
 * The link id a cursor resumes after. Only a cursor this module made is accepted (it must re-encode to
 * itself), so its id is a canonical decimal within BIGINT range: a hand-made one would otherwise reach
 * the database, where PostgreSQL refuses an id beyond the range as a store failure.
 */
export function decodeCursor(cursor: string): string {
	try {
		const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
			after?: unknown;
		};
		if (
			typeof after === 'string' &&
			/^(0|[1-9]\d{0,18})$/.test(after) &&
			BigInt(after) <= MAX_LINK_ID &&
			encodeCursor(after) === cursor
		)
			return after;
	} catch {
		// fall through to the error below
	}
	throw new AssociationError(
		'VALIDATION',
		`Invalid cursor ${preview(cursor)}: pass the nextCursor of the previous page unchanged, or leave it empty for the first page.`,
		{ cursor },
	);
}
