import type { z } from 'zod';
import { AssociationError } from './errors';

/** A short, always printable picture of a value for a message (no throw on bigint, cycles, symbols). */
export function preview(value: unknown): string {
	let text: string;
	try {
		text =
			typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function'
				? String(value)
				: (JSON.stringify(value) ?? String(value));
	} catch {
		text = Array.isArray(value) ? 'a list' : typeof value;
	}
	// Cut by code points, so the message never holds half of a surrogate pair.
	return text.length > 60 ? `${Array.from(text).slice(0, 57).join('')}…` : text;
}

const describePath = (path: (string | number)[], input: unknown): string =>
	path.length === 0
		? preview(input)
		: path
				.map((part) => (typeof part === 'number' ? `[${part}]` : part))
				.join('.')
				.replace(/\.\[/g, '[');

/** Parses input with a schema, turning zod's issues into one VALIDATION error that names each field and its rule. */
export function parse<T extends z.ZodTypeAny>(
	schema: T,
	input: unknown,
	what: string,
): z.output<T> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) =>
		issue.path.length === 0 && issue.code === 'invalid_type'
			? `expected ${issue.expected === 'object' ? 'an object' : issue.expected}, got ${preview(input)}`
			: issue.code === 'unrecognized_keys'
				? `unknown field(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}${issue.path.length > 0 ? ` in ${describePath(issue.path, input)}` : ''}`
				: `${describePath(issue.path, input)} ${issue.message}`,
	);
	throw new AssociationError('VALIDATION', `Invalid ${what}: ${problems.join('; ')}.`, {
		issues: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
	});
}
