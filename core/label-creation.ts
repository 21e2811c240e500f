import { randomUUID } from 'node:crypto';
import { AssociationError } from './errors';
import { labelEvent } from './events';
import { sameDefinition, type LabelDefinition } from './label-definition';
import { describeLabel, pairKeyOf } from './label-rules';
import { resolveDerivedKey } from './derived-key';
import { MAX_LABELS_PER_OBJECT_PAIR } from './limits';
import type { AssociationRepository } from './store/repository';
import type { Actor, AssociationLabel } from './types';

/** The rules of creation, inside the transaction: same key and definition = no change; else conflict or limit. */
export async function insertOrMatchLabel(
	repo: AssociationRepository,
	namespace: string,
	actor: Actor | null,
	definition: LabelDefinition,
	now: string,
	derivedKey = false,
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
