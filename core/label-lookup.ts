import { AssociationError } from './errors';
import type { AssociationRepository, LockMode } from './store/repository';
import type { AssociationLabel, LabelRef } from './types';

/** Labels are looked up in a batch-sized list: a large batch names a handful of labels. */
const ALL_LABELS = 100_000;

export const describeRef = (ref: LabelRef): string =>
	'key' in ref ? `key "${ref.key}"` : `id "${ref.id}"`;

export const matchesRef = (label: AssociationLabel, ref: LabelRef): boolean =>
	'key' in ref ? label.key === ref.key : label.id === ref.id;

export function labelNotFound(namespace: string, ref: LabelRef): AssociationError {
	return new AssociationError(
		'NOT_FOUND',
		`No association label with ${describeRef(ref)} in namespace "${namespace}". Create the label first, or use the key of an existing one.`,
		{ namespace, ...ref },
	);
}

/** The label a ref names, in this namespace; NOT_FOUND otherwise. */
export async function requireLabel(
	repo: AssociationRepository,
	namespace: string,
	ref: LabelRef,
	lock: LockMode = 'none',
): Promise<AssociationLabel> {
	const [label] = await repo.labels.find(namespace, [ref], lock);
	if (!label) throw labelNotFound(namespace, ref);
	return label;
}

/** Every label of a namespace, by id. */
export async function allLabels(
	repo: AssociationRepository,
	namespace: string,
): Promise<AssociationLabel[]> {
	return repo.labels.list(namespace, { limit: ALL_LABELS });
}

/** The labels touching an object, optionally narrowed to some refs (each of which must exist and touch it). */
export async function labelsOfObject(
	repo: AssociationRepository,
	namespace: string,
	objectKey: string,
	refs: LabelRef[] | undefined,
): Promise<AssociationLabel[]> {
	const candidates =
		!refs || refs.length === 0
			? await repo.labels.list(namespace, { objectKey, limit: ALL_LABELS })
			: await repo.labels.find(namespace, refs);
	return selectLabelsOfObject(candidates, namespace, objectKey, refs);
}

/** labelsOfObject over labels already read. */
export function selectLabelsOfObject(
	labels: AssociationLabel[],
	namespace: string,
	objectKey: string,
	refs: LabelRef[] | undefined,
): AssociationLabel[] {
	if (!refs || refs.length === 0) {
		return labels.filter(
			(label) => label.firstObjectKey === objectKey || label.secondObjectKey === objectKey,
		);
	}
	return refs.map((ref) => {
		const label = labels.find((candidate) => matchesRef(candidate, ref));
		if (!label) throw labelNotFound(namespace, ref);
		if (label.firstObjectKey !== objectKey && label.secondObjectKey !== objectKey) {
			throw new AssociationError(
				'VALIDATION',
				`Label with ${describeRef(ref)} links ${label.firstObjectKey} and ${label.secondObjectKey}, not ${objectKey}. Pick a label of ${objectKey}, or fix the object key.`,
				{ labelKey: label.key, objectKey },
			);
		}
		return label;
	});
}
