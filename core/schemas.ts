import { z } from 'zod';
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
import { characterCount, displayTextProblem, storableTextProblem } from './text-rules';

export { parse, preview } from './parse';

/** The shapes of keys and ids; the nodes check typed values against the same patterns. */
export const OBJECT_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const LABEL_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TEXT = { required_error: 'is required', invalid_type_error: 'must be text' };

/** At most `max` characters as the store counts them (PostgreSQL's VARCHAR(n): code points). */
const maxCharacters = (max: number) => (value: string, ctx: z.RefinementCtx) => {
	if (value.length > max && characterCount(value) > max)
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `must be at most ${max} characters (it has ${characterCount(value)})`,
		});
};

/** A text rule of core/text-rules.ts as a zod refinement. */
const textRule =
	(problemOf: (text: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
		const problem = problemOf(value);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	};

/** Text the store keeps byte for byte (no NUL, no lone surrogate), of at most `max` characters. */
const storableText = (max: number) =>
	z.string(TEXT).superRefine(textRule(storableTextProblem)).superRefine(maxCharacters(max));

export const objectKey = z
	.string(TEXT)
	.trim()
	.min(1, 'is required')
	.max(MAX_OBJECT_KEY_LENGTH, `must be at most ${MAX_OBJECT_KEY_LENGTH} characters`)
	.regex(
		OBJECT_KEY_PATTERN,
		'must be a lowercase identifier such as "contact", "company" or "custom_objects.pets" (letters a-z, digits and "_", dot-separated parts each starting with a letter)',
	)
	.superRefine(textRule(storableTextProblem));

export const labelKey = z
	.string(TEXT)
	.trim()
	.min(1, 'is required')
	.max(MAX_LABEL_KEY_LENGTH, `must be at most ${MAX_LABEL_KEY_LENGTH} characters`)
	.regex(
		LABEL_KEY_PATTERN,
		'must be snake_case such as "property_owner" (a-z, digits and "_", starting with a letter)',
	)
	.superRefine(textRule(storableTextProblem));

export const labelId = z.string().trim().regex(LABEL_ID_PATTERN, 'must be a label id (a UUID)');

export const displayName = z
	.string(TEXT)
	.trim()
	.min(1, 'must not be empty')
	.superRefine(textRule(displayTextProblem))
	.superRefine(maxCharacters(MAX_DISPLAY_NAME_LENGTH));

export const namespace = z
	.string(TEXT)
	.trim()
	.min(1, 'is required')
	.max(MAX_NAMESPACE_LENGTH, `must be at most ${MAX_NAMESPACE_LENGTH} characters`)
	.regex(
		NAMESPACE_PATTERN,
		'may contain letters, digits, "_", ".", ":" and "-", starting with a letter or digit',
	)
	.superRefine(textRule(storableTextProblem));

const RECORD_ID_TYPE_MESSAGE = 'must be a record id (text or an integer)';

/**
 * Why a record id given as text is not one, or undefined when it is: the one rule both recordId below and
 * the batch fast path follow.
 */
export function recordIdTextProblem(value: string): string | undefined {
	if (value.length === 0) return 'must not be empty';
	if (value.length > MAX_RECORD_ID_LENGTH && characterCount(value) > MAX_RECORD_ID_LENGTH)
		return `must be at most ${MAX_RECORD_ID_LENGTH} characters (it has ${characterCount(value)})`;
	if (value.trim() !== value) return 'must not start or end with spaces';
	return storableTextProblem(value);
}

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
	.pipe(z.string().superRefine(textRule(recordIdTextProblem)));

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
		workflowId: storableText(255).optional(),
		executionId: storableText(255).optional(),
		nodeName: storableText(255).optional(),
		userId: storableText(255).optional(),
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
		allowDuplicateNames: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
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
		search: storableText(200)
			.transform((value) => value.trim())
			.optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
		offset: z
			.number()
			.int()
			.min(0)
			.max(Number.MAX_SAFE_INTEGER, 'must be at most 9007199254740991')
			.optional(),
		unusedOnly: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
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
		cursor: z.string(TEXT).max(200).optional(),
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
		afterId: z
			.number({ invalid_type_error: 'must be an event id (a whole number)' })
			.int('must be an event id (a whole number)')
			.min(0, 'must be 0 or more')
			.max(Number.MAX_SAFE_INTEGER, 'must be at most 9007199254740991 (an event id)')
			.optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		labelKey: labelKey.optional(),
	})
	.strict();

const optionalText = z.string(TEXT).superRefine(textRule(storableTextProblem)).optional();

/** Where the store is: checked before anything is opened, so a bad value is a VALIDATION error. */
export const storeConfig = z.discriminatedUnion(
	'type',
	[
		z
			.object({
				type: z.literal('sqlite'),
				path: z.string(TEXT).min(1, 'is required').superRefine(textRule(storableTextProblem)),
				busyTimeoutMs: z.number().int().min(0).optional(),
				openTimeoutMs: z.number().int().min(1).optional(),
				checkAccess: z.function().optional(),
			})
			.passthrough(),
		z
			.object({
				type: z.literal('postgres'),
				host: z.string(TEXT).superRefine(textRule(storableTextProblem)),
				port: z.number().int().min(1).max(65535).optional(),
				database: z.string(TEXT).superRefine(textRule(storableTextProblem)),
				user: z.string(TEXT).superRefine(textRule(storableTextProblem)),
				password: optionalText,
				ssl: z
					.union([
						z.boolean(),
						z
							.object({
								mode: z.enum(['disable', 'allow', 'require', 'verify-ca', 'verify-full']),
								ca: optionalText,
								cert: optionalText,
								key: optionalText,
							})
							.strict(),
					])
					.optional(),
				schema: optionalText,
				poolSize: z.number().int().min(1).max(1000).optional(),
				openTimeoutMs: z.number().int().min(1).optional(),
			})
			.passthrough(),
	],
	{
		errorMap: (issue, ctx) =>
			issue.code === 'invalid_union_discriminator'
				? { message: 'must be "sqlite" or "postgres"' }
				: issue.code === 'invalid_type' && issue.path.length === 0
					? { message: 'must be an object such as { type: "sqlite", path }' }
					: { message: ctx.defaultError },
	},
);
