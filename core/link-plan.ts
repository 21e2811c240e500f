import { AssociationError, isAssociationError } from './errors';
import { labelNotFound, matchesRef } from './label-lookup';
import type { LinkInputValidator } from './link-input-validator';
import type { LinkKey, StoredLink } from './store/repository';
import type { AssociationLabel, LabelRef, Link } from './types';

/**
 * One batch item, validated and put in its label's stored order; it is its own link key (no second object
 * per item: a 100,000-item batch holds its plans to the end).
 */
export interface PlannedLink extends LinkKey {
	index: number;
	label: AssociationLabel;
}

export type Planned =
	| { ok: true; plan: PlannedLink }
	| { ok: false; index: number; error: AssociationError };

const linkOf = (
	label: AssociationLabel,
	firstRecordId: string,
	secondRecordId: string,
	id: string,
	createdAt: string,
): Link => ({
	id,
	labelId: label.id,
	labelKey: label.key,
	firstObjectKey: label.firstObjectKey,
	firstRecordId,
	secondObjectKey: label.secondObjectKey,
	secondRecordId,
	createdAt,
});

export const toLink = (label: AssociationLabel, stored: StoredLink): Link =>
	linkOf(label, stored.firstRecordId, stored.secondRecordId, stored.id, stored.createdAt);

/** The stored link of a plan, from the id and creation time the store gave it (no copy of the key). */
export const linkOfPlan = (plan: PlannedLink, id: string, createdAt: string): Link =>
	linkOf(plan.label, plan.firstRecordId, plan.secondRecordId, id, createdAt);

/** The distinct, valid label refs a batch names (invalid ones fail with their item later). */
export const labelRefsOf = (inputs: unknown[], validator: LinkInputValidator): LabelRef[] => {
	const seen = new Set<LabelRef>();
	const refs = new Map<string, LabelRef>();
	for (const input of inputs) {
		const ref = validator.labelRef((input as { label?: unknown } | null)?.label);
		if (ref && !seen.has(ref)) {
			seen.add(ref);
			refs.set(JSON.stringify(ref), ref);
		}
	}
	return [...refs.values()];
};

/**
 * Puts one item in the label's stored order: object keys, when given, must match the label's sides
 * (swapped if the caller named them the other way round); a same-object single label is symmetric,
 * so A–B and B–A become one stored link.
 */
export function planLink(
	index: number,
	input: unknown,
	labels: AssociationLabel[],
	namespace: string,
	validator: LinkInputValidator,
): Planned {
	try {
		const parsed = validator.link(input);
		const label = labels.find((candidate) => matchesRef(candidate, parsed.label));
		if (!label) throw labelNotFound(namespace, parsed.label);
		let first = parsed.firstRecordId;
		let second = parsed.secondRecordId;
		const { firstObjectKey: a, secondObjectKey: b } = parsed;
		const fits = (x: string | undefined, y: string | undefined) =>
			(x === undefined || x === label.firstObjectKey) &&
			(y === undefined || y === label.secondObjectKey);
		if (!fits(a, b)) {
			if (label.firstObjectKey !== label.secondObjectKey && fits(b, a)) {
				[first, second] = [second, first];
			} else {
				throw new AssociationError(
					'VALIDATION',
					`Label "${label.key}" links ${label.firstObjectKey} records to ${label.secondObjectKey} records, but ${givenObjects(a, b)}. Pick a label for these objects, or fix the object keys.`,
					{
						labelKey: label.key,
						expected: [label.firstObjectKey, label.secondObjectKey],
						got: [a, b],
					},
				);
			}
		}
		if (label.firstObjectKey === label.secondObjectKey && first === second) {
			throw new AssociationError(
				'VALIDATION',
				`A record cannot be linked to itself (${label.firstObjectKey} "${first}" under "${label.key}"). Check the two record ids.`,
				{ labelKey: label.key, recordId: first },
			);
		}
		if (label.symmetric && second < first) [first, second] = [second, first];
		return {
			ok: true,
			plan: {
				index,
				label,
				labelId: label.id,
				firstRecordId: first,
				secondRecordId: second,
			},
		};
	} catch (error) {
		if (isAssociationError(error)) return { ok: false, index, error };
		throw error;
	}
}

/** What the item said about its objects: "the records given are company and contact", or which key it left out. */
function givenObjects(a: string | undefined, b: string | undefined): string {
	if (a !== undefined && b !== undefined) return `the records given are ${a} and ${b}`;
	if (a !== undefined) return `the first record given is ${a} (no object key given for the second)`;
	if (b !== undefined) return `the second record given is ${b} (no object key given for the first)`;
	return 'no object keys were given';
}
