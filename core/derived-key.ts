import { AssociationError } from './errors';
import { deriveLabelKey } from './label-rules';
import { MAX_LABEL_KEY_LENGTH } from './limits';
import type { AssociationRepository } from './store/repository';
import type { AssociationLabel } from './types';

/** What a key is derived from. */
export interface KeySource {
	firstObjectKey: string;
	secondObjectKey: string;
	firstLabel: string;
	secondLabel: string;
}

/** How many keys of one family are tried before giving up (the user can always give a key). */
const MAX_CANDIDATES = 500;
const LOOKUP_CHUNK = 25;
/** The object part of a key is shortened to this, so the name part stays readable. */
const MAX_OBJECT_PART = 60;

const lastPart = (objectKey: string): string => objectKey.slice(objectKey.lastIndexOf('.') + 1);

/** True when a display name has something a key can be made of (letters or digits, accents dropped). */
const hasWords = (name: string): boolean => /[a-z0-9]/.test(name.normalize('NFKD').toLowerCase());

/** `base` shortened so that `base + suffix` is a valid key length; no "_" left where they meet. */
const fit = (base: string, suffix: string): string =>
	base.slice(0, MAX_LABEL_KEY_LENGTH - suffix.length).replace(/_+$/, '') + suffix;

/**
 * The keys a label without a given key may get, in order of preference:
 * "owner" (from the names), then "owner_contact_pets" (the last parts of its object keys), then
 * "owner_contact_pets_2", "_3", … Names without letters or digits (emoji only) start at
 * "contact_pets" instead of the meaningless "label".
 */
export function derivedKeyCandidates(source: KeySource, count = MAX_CANDIDATES): string[] {
	const a = lastPart(source.firstObjectKey);
	const b = lastPart(source.secondObjectKey);
	const objects = (a === b ? a : `${a}_${b}`).slice(0, MAX_OBJECT_PART).replace(/_+$/, '');
	const named = hasWords(source.firstLabel) || hasWords(source.secondLabel);
	const base = named ? deriveLabelKey(source.firstLabel, source.secondLabel) : fit(objects, '');
	const qualified = named ? fit(base, `_${objects}`) : base;
	const keys = new Set([base, qualified]);
	for (let n = 2; keys.size < count; n++) keys.add(fit(qualified, `_${n}`));
	return [...keys];
}

/**
 * The key for a label created without one, chosen inside the creating transaction:
 * - a label of the same pair with the same definition under a key of this family is the label
 *   (re-running a setup workflow changes nothing);
 * - otherwise the first key of the family no label of the namespace uses.
 * Two labels with one display name on different pairs ("Owner" of contact ↔ company and of
 * contact ↔ pets) are ordinary CRM data, so the second one gets "owner_contact_pets", not a conflict.
 */
export async function resolveDerivedKey(
	repo: AssociationRepository,
	namespace: string,
	source: KeySource,
	isSameDefinition: (label: AssociationLabel) => boolean,
): Promise<{ existing: AssociationLabel } | { key: string }> {
	const candidates = derivedKeyCandidates(source);
	// The same label may have been created with its sides the other way round.
	const swapped = {
		firstObjectKey: source.secondObjectKey,
		secondObjectKey: source.firstObjectKey,
		firstLabel: source.secondLabel,
		secondLabel: source.firstLabel,
	};
	const family = new Set([...candidates, ...derivedKeyCandidates(swapped)]);
	const ofPair = await repo.labels.list(namespace, {
		objectKey: source.firstObjectKey,
		otherObjectKey: source.secondObjectKey,
		limit: 1000,
	});
	const existing = ofPair.find((label) => family.has(label.key) && isSameDefinition(label));
	if (existing) return { existing };
	for (let start = 0; start < candidates.length; start += LOOKUP_CHUNK) {
		const chunk = candidates.slice(start, start + LOOKUP_CHUNK);
		const taken = new Set(
			(
				await repo.labels.find(
					namespace,
					chunk.map((key) => ({ key })),
				)
			).map((label) => label.key),
		);
		const free = chunk.find((key) => !taken.has(key));
		if (free !== undefined) return { key: free };
	}
	throw new AssociationError(
		'CONFLICT',
		`Every key derived from "${source.firstLabel}" (${candidates[0]}, ${candidates[1]}, … ${candidates[candidates.length - 1]}) is already used in namespace "${namespace}". Give the label a key of your own.`,
		{ key: candidates[0] },
	);
}
