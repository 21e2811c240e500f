import { AssociationError } from './errors';
import type { StoredLink } from './store/repository';
import type { AssociationLabel } from './types';

/** Links named in a refusal to delete a label that is still in use. */
export const IN_USE_REPORTED = 10;

/** The refusal to delete a label links still use: how many, and the first of them by name. */
export function labelInUse(
	label: AssociationLabel,
	links: number,
	sample: StoredLink[],
): AssociationError {
	const named = sample
		.map(
			(link) =>
				`${label.firstObjectKey} "${link.firstRecordId}" – ${label.secondObjectKey} "${link.secondRecordId}"`,
		)
		.join(', ');
	const more =
		links > sample.length ? ` and ${(links - sample.length).toLocaleString('en-US')} more` : '';
	return new AssociationError(
		'IN_USE',
		`Label "${label.key}" is still used by ${links.toLocaleString('en-US')} link${links === 1 ? '' : 's'}: ${named}${more}. Unlink ${links === 1 ? 'it' : 'them'} first (each pair, or all links of a record under this label), then delete the label.`,
		{
			key: label.key,
			links,
			sample: sample.map((link) => ({
				firstRecordId: link.firstRecordId,
				secondRecordId: link.secondRecordId,
			})),
		},
	);
}
