import { randomUUID } from 'node:crypto';
import { AssociationError } from './errors';
import { labelEvent } from './events';
import { sameDefinition, type LabelDefinition } from './label-definition';
import { describeLabel, pairKeyOf } from './label-rules';
import { resolveDerivedKey } from './derived-key';
import { MAX_LABELS_PER_OBJECT_PAIR } from './limits';
import type { AssociationRepository } from './store/repository';
import type { Actor, AssociationLabel } from './types';

/** How one definition is created: whether its key was derived, and whether equal names are allowed. */
export interface CreationRules {
	derivedKey: boolean;
	allowDuplicateNames: boolean;
}

/**
 * The rules of creation, inside the transaction: same key and definition = no change; else a conflict,
 * the labels-per-pair limit, or (unless allowed) another label of the pair with the same names.
 */
export async function insertOrMatchLabel(
	repo: AssociationRepository,
	namespace: string,
	actor: Actor | null,
	definition: LabelDefinition,
	now: string,
	{ derivedKey, allowDuplicateNames }: CreationRules,
): Promise<{ label: AssociationLabel; created: boolean }> {
	const pairKey = pairKeyOf(definition.firstObjectKey, definition.secondObjectKey);
	await repo.labels.lockObjectPair(namespace, pairKey);
	if (derivedKey) {
		// No key given: a free one of the names' key family, or the same label made by an earlier run.
		const same = (label: AssociationLabel) => sameDefinition(label, definition);
		const resolved = await resolveDerivedKey(repo, namespace, definition, same);
		if ('existing' in resolved) return { label: resolved.existing, created: false };
		definition = { ...definition, key: resolved.key };
	}
	// A derived key was just found free; if a worker on another pair takes it first, the unique index
	// stops this insert and the batch is retried (Labels.createMany), which then picks the next key.
	const [existing] = derivedKey ? [] : await repo.labels.find(namespace, [{ key: definition.key }]);
	if (existing) {
		if (sameDefinition(existing, definition)) return { label: existing, created: false };
		throw new AssociationError(
			'CONFLICT',
			`A different label already uses key "${definition.key}": ${describeLabel(existing)}. Keys are unique per namespace: choose another key, or rename/change limits of the existing label instead.`,
			{ key: definition.key, existing },
		);
	}
	if (!allowDuplicateNames) await refuseDuplicateNames(repo, namespace, definition);
	const count = await repo.labels.countForPair(namespace, pairKey);
	if (count >= MAX_LABELS_PER_OBJECT_PAIR) {
		throw new AssociationError(
			'LABEL_LIMIT',
			`The object pair ${definition.firstObjectKey} ↔ ${definition.secondObjectKey} already has ${count} labels, the limit is ${MAX_LABELS_PER_OBJECT_PAIR}. Delete an unused label of this pair or reuse one.`,
			{
				pair: [definition.firstObjectKey, definition.secondObjectKey],
				count,
				limit: MAX_LABELS_PER_OBJECT_PAIR,
			},
		);
	}
	const label: AssociationLabel = {
		id: randomUUID(),
		namespace: namespace,
		...definition,
		createdAt: now,
		updatedAt: now,
	};
	await repo.labels.insert(label, pairKey);
	await repo.events.append(namespace, actor, [labelEvent('label.created', label, { label })], now);
	return { label, created: true };
}

/** The same names on the same object pair, read either way round (Buyer/Seller = Seller/Buyer reversed). */
const sameNames = (label: AssociationLabel, definition: LabelDefinition): boolean =>
	(label.firstObjectKey === definition.firstObjectKey &&
		label.secondObjectKey === definition.secondObjectKey &&
		label.firstLabel === definition.firstLabel &&
		label.secondLabel === definition.secondLabel) ||
	(label.firstObjectKey === definition.secondObjectKey &&
		label.secondObjectKey === definition.firstObjectKey &&
		label.firstLabel === definition.secondLabel &&
		label.secondLabel === definition.firstLabel);

/** "Avoid creating unnecessary duplicate labels": a second label that reads the same is refused. */
async function refuseDuplicateNames(
	repo: AssociationRepository,
	namespace: string,
	definition: LabelDefinition,
): Promise<void> {
	const ofPair = await repo.labels.list(namespace, {
		objectKey: definition.firstObjectKey,
		otherObjectKey: definition.secondObjectKey,
		limit: MAX_LABELS_PER_OBJECT_PAIR,
	});
	const twin = ofPair.find((label) => sameNames(label, definition));
	if (!twin) return;
	throw new AssociationError(
		'CONFLICT',
		`Label ${describeLabel(twin)} already has these names on ${definition.firstObjectKey} ↔ ${definition.secondObjectKey}, so a second one would read the same to users. Use "${twin.key}" (change its limits if they differ), give the new label other names, or allow duplicate names deliberately (allowDuplicateNames).`,
		{ key: definition.key, existing: twin },
	);
}
