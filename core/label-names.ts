import type { AssociationLabel, Side } from './types';

type Names = Pick<AssociationLabel, 'firstLabel' | 'secondLabel' | 'symmetric'>;

/**
 * A label as a person reads it: its one name ("Spouse", "Owner"), or its pair of names ("Buyer / Seller",
 * first side first).
 */
export function labelName(label: Names): string {
	return label.symmetric || label.firstLabel === label.secondLabel
		? label.firstLabel
		: `${label.firstLabel} / ${label.secondLabel}`;
}

/** The display name of a side: the role of that side's record. */
export const roleOf = (label: Names, side: Side): string =>
	side === 'first' ? label.firstLabel : label.secondLabel;

export const otherSide = (side: Side): Side => (side === 'first' ? 'second' : 'first');
