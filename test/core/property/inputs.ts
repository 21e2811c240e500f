/**
 * Generated inputs of the core's operations: fields, label refs, input shapes and batches. Each field
 * is mostly plausible, sometimes poisoned or anything (see mix in hostile-values.ts).
 */
import * as fc from 'fast-check';

import { anyValue, hostileString, mix } from './hostile-values';
import { PETS } from './world';

export const objectKey = mix(
	fc.oneof(
		fc.constantFrom('contact', 'company', PETS, 'opportunity', ' contact ', 'Contact'),
		fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6})?$/),
	),
);
export const labelKey = mix(
	fc.oneof(
		{
			weight: 4,
			arbitrary: fc.constantFrom('owner', 'spouse', 'buyer', 'one_company', 'missing'),
		},
		{ weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/) },
	),
);
/** Object keys as a link or query names them: mostly those of the stored labels. */
export const linkObjectKey = fc.oneof(
	{ weight: 4, arbitrary: mix(fc.constantFrom('contact', 'company', PETS)) },
	{ weight: 1, arbitrary: objectKey },
);
export const recordId = mix(
	fc.oneof(
		fc.constantFrom('c1', 'c2', 'co1', 'co2', 'p1', '😀', 'id with spaces'),
		fc.integer({ min: -3, max: 3 }),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
	),
);
export const displayName = mix(
	fc.oneof(
		fc.constantFrom('Owner', 'Spouse', 'Buyer', 'Seller', '🐶', ' Owner ', 'Primärer Kontakt'),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
	),
);
export const limit = mix(fc.integer({ min: 0, max: 1002 }));

/** Present as undefined more often than not (an optional field the caller left out). */
const sometimes = (value: fc.Arbitrary<unknown>) =>
	fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: value });

/** A label ref; { labelIndex } is replaced by { id } of a stored label when the call is made. */
export const labelRef = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ key: labelKey }) },
	{ weight: 2, arbitrary: fc.nat({ max: 30 }).map((labelIndex) => ({ labelIndex })) },
	{ weight: 1, arbitrary: fc.record({ id: mix(fc.uuid()) }) },
	{ weight: 1, arbitrary: fc.record({ key: labelKey, id: fc.uuid() }) },
	{ weight: 1, arbitrary: anyValue },
);

/** An object with some of `fields` (each generated), maybe an unknown field too; or anything. */
export const shape = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) =>
	fc.oneof(
		{
			weight: 16,
			arbitrary: fc
				.tuple(
					fc.record(fields, { requiredKeys: required }),
					fc.oneof(
						{ weight: 15, arbitrary: fc.constant(null) },
						{ weight: 1, arbitrary: fc.record({ extra: anyValue }) },
						{ weight: 1, arbitrary: fc.dictionary(hostileString, anyValue, { maxKeys: 2 }) },
					),
				)
				.map(([record, extra]) => ({ ...record, ...(extra ?? {}) })),
		},
		{ weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
		{ weight: 1, arbitrary: anyValue },
	);

export const createInput = shape(
	{
		key: labelKey,
		firstObjectKey: objectKey,
		secondObjectKey: objectKey,
		firstLabel: displayName,
		secondLabel: displayName,
		firstLimit: limit,
		secondLimit: limit,
	},
	['firstObjectKey', 'secondObjectKey', 'firstLabel'],
);
export const linkInput = shape(
	{
		label: labelRef,
		firstRecordId: recordId,
		secondRecordId: recordId,
		firstObjectKey: sometimes(linkObjectKey),
		secondObjectKey: sometimes(linkObjectKey),
	},
	['label', 'firstRecordId', 'secondRecordId'],
);
export const unlinkRecordInput = shape(
	{ objectKey: linkObjectKey, recordId, labels: mix(fc.array(labelRef, { maxLength: 3 })) },
	['objectKey', 'recordId'],
);
export const relatedQuery = shape(
	{
		objectKey: linkObjectKey,
		recordId,
		labels: mix(fc.array(labelRef, { maxLength: 2 })),
		relatedObjectKey: linkObjectKey,
		limit: mix(fc.integer({ min: 0, max: 1001 })),
		cursor: mix(
			fc.oneof(
				fc.bigInt({ min: 0n, max: 2n ** 64n }).map((id) => cursorOf(String(id))),
				fc.constantFrom(cursorOf('9223372036854775807'), cursorOf('9223372036854775808')),
			),
		),
	},
	['objectKey', 'recordId'],
);
export const countQuery = shape(
	{
		objectKey: linkObjectKey,
		recordId,
		labels: mix(fc.array(labelRef, { maxLength: 2 })),
		relatedObjectKey: linkObjectKey,
	},
	['objectKey', 'recordId'],
);
export const recordRef = shape({ objectKey: linkObjectKey, recordId }, ['objectKey', 'recordId']);
export const batch = <T>(item: fc.Arbitrary<T>) =>
	fc.oneof(
		{ weight: 9, arbitrary: fc.array(item, { maxLength: 6 }) },
		{ weight: 1, arbitrary: fc.sparseArray(item, { maxLength: 4 }) },
		{ weight: 1, arbitrary: anyValue },
	);
export const batchOptions = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(undefined, {}, { atomic: true }, { atomic: false }) },
	{ weight: 1, arbitrary: anyValue },
	{ weight: 1, arbitrary: fc.record({ atomic: anyValue }) },
);

function cursorOf(after: string): string {
	return Buffer.from(JSON.stringify({ after })).toString('base64url');
}
