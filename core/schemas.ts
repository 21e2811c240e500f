import { z } from 'zod';
import { AssociationError } from './errors';
import {
	DEFAULT_PAGE_SIZE,
	MAX_DISPLAY_NAME_LENGTH,
	MAX_LABEL_KEY_LENGTH,
	MAX_LINKS_PER_RECORD,
	MAX_NAMESPACE_LENGTH,
	MAX_OBJECT_KEY_LENGTH,
	MAX_PAGE_SIZE,
	MAX_RECORD_ID_LENGTH,
} from './limits';

/** The shapes of keys and ids; the nodes check typed values against the same patterns. */
export const OBJECT_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const LABEL_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const objectKey = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required')
	.max(MAX_OBJECT_KEY_LENGTH, `must be at most ${MAX_OBJECT_KEY_LENGTH} characters`)
	.regex(
		OBJECT_KEY_PATTERN,
		'must be a lowercase identifier such as "contact", "company" or "custom_objects.pets" (letters a-z, digits and "_", dot-separated parts each starting with a letter)',
	);

export const labelKey = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required')
	.max(MAX_LABEL_KEY_LENGTH, `must be at most ${MAX_LABEL_KEY_LENGTH} characters`)
	.regex(
		LABEL_KEY_PATTERN,
		'must be snake_case such as "property_owner" (a-z, digits and "_", starting with a letter)',
	);

export const labelId = z.string().trim().regex(LABEL_ID_PATTERN, 'must be a label id (a UUID)');

export const displayName = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'must not be empty')
	.max(MAX_DISPLAY_NAME_LENGTH, `must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`);

export const namespace = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required')
	.max(MAX_NAMESPACE_LENGTH, `must be at most ${MAX_NAMESPACE_LENGTH} characters`)
	.regex(
		NAMESPACE_PATTERN,
		'may contain letters, digits, "_", ".", ":" and "-", starting with a letter or digit',
	);

const RECORD_ID_TYPE_MESSAGE = 'must be a record id (text or an integer)';

/** Record ids are opaque strings from any system; numbers are accepted and kept as their decimal text. */
export const recordId = z
	.union(
		[
			z.string(),
			z
				.number()
				.int(RECORD_ID_TYPE_MESSAGE)
				.safe('must be an integer a JavaScript number holds exactly; send a larger id as text'),
		],
		{ errorMap: () => ({ message: RECORD_ID_TYPE_MESSAGE }) },
	)
	.transform((value) => String(value))
	.pipe(
		z
			.string()
			.min(1, 'must not be empty')
			.max(MAX_RECORD_ID_LENGTH, `must be at most ${MAX_RECORD_ID_LENGTH} characters`)
			.refine((value) => value.trim() === value, 'must not start or end with spaces'),
	);

export const perRecordLimit = z
	.number({ invalid_type_error: 'must be a whole number' })
	.int('must be a whole number')
	.min(1, 'must be at least 1')
	.max(MAX_LINKS_PER_RECORD, `must be at most ${MAX_LINKS_PER_RECORD} (the per-record ceiling)`);

/** A label is referenced by its immutable key or by its id. */
export const labelRef = z.union(
	[z.object({ key: labelKey }).strict(), z.object({ id: labelId }).strict()],
	{
		errorMap: () => ({ message: 'must be { key } or { id } of an association label' }),
	},
);

export const actor = z
	.object({
		workflowId: z.string().max(255).optional(),
		executionId: z.string().max(255).optional(),
		nodeName: z.string().max(255).optional(),
		userId: z.string().max(255).optional(),
	})
	.strict();

export const createLabelInput = z
	.object({
		key: labelKey.optional(),
		firstObjectKey: objectKey,
		secondObjectKey: objectKey,
		firstLabel: displayName,
		secondLabel: displayName.optional(),
		firstLimit: perRecordLimit.optional(),
		secondLimit: perRecordLimit.optional(),
	})
	.strict();

export const renameLabelInput = z
	.object({
		firstLabel: displayName.optional(),
		secondLabel: displayName.optional(),
		key: z.unknown().optional(),
		firstObjectKey: z.unknown().optional(),
		secondObjectKey: z.unknown().optional(),
	})
	.strict();

export const setLimitsInput = z
	.object({ firstLimit: perRecordLimit.optional(), secondLimit: perRecordLimit.optional() })
	.strict()
	.refine((value) => value.firstLimit !== undefined || value.secondLimit !== undefined, {
		message: 'give firstLimit, secondLimit or both',
	});

export const listLabelsInput = z
	.object({
		objectKey: objectKey.optional(),
		otherObjectKey: objectKey.optional(),
		search: z.string().trim().max(200).optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
		offset: z.number().int().min(0).optional(),
	})
	.strict()
	.refine((value) => value.otherObjectKey === undefined || value.objectKey !== undefined, {
		message: 'otherObjectKey needs objectKey (a pair is filtered by both of its object keys)',
	});

export const linkInput = z
	.object({
		label: labelRef,
		firstRecordId: recordId,
		secondRecordId: recordId,
		firstObjectKey: objectKey.optional(),
		secondObjectKey: objectKey.optional(),
	})
	.strict();

export const recordRef = z.object({ objectKey, recordId }).strict();

export const unlinkRecordInput = z
	.object({ objectKey, recordId, labels: z.array(labelRef).optional() })
	.strict();

export const relatedQueryInput = z
	.object({
		objectKey,
		recordId,
		labels: z.array(labelRef).optional(),
		relatedObjectKey: objectKey.optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		cursor: z.string().max(200).optional(),
	})
	.strict();

export const countQueryInput = z
	.object({
		objectKey,
		recordId,
		labels: z.array(labelRef).optional(),
		relatedObjectKey: objectKey.optional(),
	})
	.strict();

export const labelsBetweenInput = z.object({ first: recordRef, second: recordRef }).strict();

export const listEventsInput = z
	.object({
		afterId: z.number().int().min(0).optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		labelKey: labelKey.optional(),
	})
	.strict();

const describePath = (path: (string | number)[], input: unknown): string =>
	path.length === 0
		? (JSON.stringify(input) ?? 'input')
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
		issue.code === 'unrecognized_keys'
			? `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}${issue.path.length > 0 ? ` in ${describePath(issue.path, input)}` : ''}`
			: `${describePath(issue.path, input)} ${issue.message}`,
	);
	throw new AssociationError('VALIDATION', `Invalid ${what}: ${problems.join('; ')}.`, {
		issues: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
	});
}
