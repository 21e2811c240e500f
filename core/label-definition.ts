import { AssociationError } from './errors';
import { deriveLabelKey, labelShape } from './label-rules';
import { DEFAULT_LINKS_PER_RECORD } from './limits';
import * as schemas from './schemas';
import type { AssociationLabel, CreateLabelInput } from './types';

/** A label as the user defines it: everything but identity and timestamps. */
export type LabelDefinition = Omit<
	AssociationLabel,
	'id' | 'namespace' | 'createdAt' | 'updatedAt'
>;

/** Validates and completes a definition: second name defaults to the first, key derived, limits defaulted. */
export function defineLabel(input: CreateLabelInput): LabelDefinition {
	const parsed = schemas.parse(schemas.createLabelInput, input, 'label definition');
	const secondLabel = parsed.secondLabel ?? parsed.firstLabel;
	const key = parsed.key ?? deriveLabelKey(parsed.firstLabel, secondLabel);
	const { kind, symmetric } = labelShape(parsed, { firstLabel: parsed.firstLabel, secondLabel });
	let firstLimit = parsed.firstLimit ?? DEFAULT_LINKS_PER_RECORD;
	let secondLimit = parsed.secondLimit ?? DEFAULT_LINKS_PER_RECORD;
	if (symmetric) {
		const limit = symmetricLimit(key, parsed.firstObjectKey, parsed.firstLimit, parsed.secondLimit);
		firstLimit = secondLimit = limit ?? DEFAULT_LINKS_PER_RECORD;
	}
	return {
		key,
		kind,
		firstObjectKey: parsed.firstObjectKey,
		secondObjectKey: parsed.secondObjectKey,
		firstLabel: parsed.firstLabel,
		secondLabel,
		firstLimit,
		secondLimit,
		symmetric,
	};
}

/**
 * A symmetric label (one name, one object) has one limit, as both of its sides are the same side: a limit
 * given for either side applies to both, and two different ones are refused.
 */
export function symmetricLimit(
	key: string,
	objectKey: string,
	firstLimit: number | undefined,
	secondLimit: number | undefined,
): number | undefined {
	if (firstLimit !== undefined && secondLimit !== undefined && firstLimit !== secondLimit) {
		throw new AssociationError(
			'VALIDATION',
			`Label "${key}" links ${objectKey} records to each other under one name, so both sides are the same side and share one limit: give one limit (firstLimit), not ${firstLimit} and ${secondLimit}.`,
		);
	}
	return firstLimit ?? secondLimit;
}

/** Whether a stored label is this definition, read either way round (first ↔ second). */
export function sameDefinition(a: AssociationLabel, b: LabelDefinition): boolean {
	const forward =
		a.firstObjectKey === b.firstObjectKey &&
		a.secondObjectKey === b.secondObjectKey &&
		a.firstLabel === b.firstLabel &&
		a.secondLabel === b.secondLabel &&
		a.firstLimit === b.firstLimit &&
		a.secondLimit === b.secondLimit;
	const reversed =
		a.firstObjectKey === b.secondObjectKey &&
		a.secondObjectKey === b.firstObjectKey &&
		a.firstLabel === b.secondLabel &&
		a.secondLabel === b.firstLabel &&
		a.firstLimit === b.secondLimit &&
		a.secondLimit === b.firstLimit;
	return forward || reversed;
}
