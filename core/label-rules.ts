import { AssociationError } from './errors';
import type { AssociationLabel } from './types';
import type { LabelLookup } from './store/repository';

/** contact↔pets and pets↔contact are one pair. */
export const pairKeyOf = (a: string, b: string): string => (a <= b ? `${a}|${b}` : `${b}|${a}`);

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

export const describeRef = (ref: LabelLookup): string =>
	'key' in ref ? `key "${ref.key}"` : `id "${ref.id}"`;

export function labelNotFound(namespace: string, ref: LabelLookup): AssociationError {
	return new AssociationError(
		'NOT_FOUND',
		`No association label with ${describeRef(ref)} in namespace "${namespace}". Create it first (Create Association → Create label) or pick an existing label.`,
		{ namespace, ...ref },
	);
}

export const matchesRef = (label: AssociationLabel, ref: LabelLookup): boolean =>
	'key' in ref ? label.key === ref.key : label.id === ref.id;

export const describeLabel = (label: AssociationLabel): string =>
	label.kind === 'single'
		? `"${label.key}" (${label.firstObjectKey} ↔ ${label.secondObjectKey}, "${label.firstLabel}")`
		: `"${label.key}" (${label.firstObjectKey} "${label.firstLabel}" ↔ ${label.secondObjectKey} "${label.secondLabel}")`;
