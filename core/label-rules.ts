import type { AssociationLabel, LabelKind } from './types';

/** The objects every CRM has; custom objects are added by the labels that use them. */
export const STANDARD_OBJECT_KEYS = ['contact', 'company', 'opportunity'] as const;

/** contact↔pets and pets↔contact are one pair. */
export const pairKeyOf = (a: string, b: string): string => (a <= b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The rule of a label's shape, in one place: one name on both sides is a single label, two names a pair;
 * a single label between records of one object is symmetric (A–B is B–A, and both sides share one limit).
 */
export function labelShape(
	objects: { firstObjectKey: string; secondObjectKey: string },
	names: { firstLabel: string; secondLabel: string },
): { kind: LabelKind; symmetric: boolean } {
	const kind: LabelKind = names.firstLabel === names.secondLabel ? 'single' : 'pair';
	return {
		kind,
		symmetric: kind === 'single' && objects.firstObjectKey === objects.secondObjectKey,
	};
}

/** "Primary Company" → "primary_company"; pairs join both names. */
export function deriveLabelKey(firstLabel: string, secondLabel: string): string {
	const slug = (text: string) =>
		text
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^_+|_+$/g, '');
	const parts =
		firstLabel === secondLabel ? [slug(firstLabel)] : [slug(firstLabel), slug(secondLabel)];
	let key = parts.filter(Boolean).join('_');
	if (!/^[a-z]/.test(key)) key = `label_${key}`;
	return key.slice(0, 100).replace(/_+$/, '');
}

/** A label as a person reads it in a message: key, objects and names. */
export const describeLabel = (label: AssociationLabel): string =>
	label.kind === 'single'
		? `"${label.key}" (${label.firstObjectKey} ↔ ${label.secondObjectKey}, "${label.firstLabel}")`
		: `"${label.key}" (${label.firstObjectKey} "${label.firstLabel}" ↔ ${label.secondObjectKey} "${label.secondLabel}")`;
