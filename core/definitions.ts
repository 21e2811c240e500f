import { z } from 'zod';
import { AssociationError, isAssociationError } from './errors';
import { labelEvent } from './events';
import { insertOrMatchLabel } from './label-creation';
import { defineLabel, type LabelDefinition } from './label-definition';
import { allLabels } from './label-lookup';
import { refuseRecordsOverLimits } from './record-limits';
import { displayName, labelKey, objectKey, parse, perRecordLimit } from './schemas';
import type { AssociationRepository, NewEvent } from './store/repository';
import type { Store } from './store/store';
import type { Actor, AssociationLabel } from './types';

export const DEFINITIONS_FORMAT = 'n8n-nodes-object-associations/label-definitions';

/** One label as exported: everything that defines it, nothing that identifies one store's copy. */
export type ExportedLabel = Pick<
	AssociationLabel,
	| 'key'
	| 'kind'
	| 'firstObjectKey'
	| 'secondObjectKey'
	| 'firstLabel'
	| 'secondLabel'
	| 'firstLimit'
	| 'secondLimit'
>;

export interface LabelDefinitions {
	format: typeof DEFINITIONS_FORMAT;
	version: 1;
	namespace: string;
	exportedAt: string;
	labels: ExportedLabel[];
}

const exportedLabel = z
	.object({
		key: labelKey,
		kind: z.enum(['single', 'pair'], {
			errorMap: () => ({ message: 'must be "single" or "pair"' }),
		}),
		firstObjectKey: objectKey,
		secondObjectKey: objectKey,
		firstLabel: displayName,
		secondLabel: displayName,
		firstLimit: perRecordLimit,
		secondLimit: perRecordLimit,
	})
	.strict();

export const labelDefinitionsInput = z
	.object({
		format: z.literal(DEFINITIONS_FORMAT, {
			errorMap: () => ({
				message: `must be "${DEFINITIONS_FORMAT}" (the output of Export Definitions)`,
			}),
		}),
		version: z.literal(1, { errorMap: () => ({ message: 'must be 1' }) }),
		namespace: z.string().optional(),
		exportedAt: z.string().optional(),
		labels: z.array(exportedLabel).max(10_000, 'may hold at most 10,000 labels'),
	})
	.strict();

export interface DefinitionChange {
	field: 'firstLabel' | 'secondLabel' | 'firstLimit' | 'secondLimit';
	from: string | number;
	to: string | number;
}

export interface ImportedLabel {
	index: number;
	key: string;
	action: 'create' | 'update' | 'unchanged';
	changes: DefinitionChange[];
}

/** A namespace's labels as one document, ordered by key (stable, so it diffs well in git). */
export async function exportDefinitions(
	store: Store,
	namespace: string,
): Promise<LabelDefinitions> {
	const labels = await store.read((repo) => allLabels(repo, namespace));
	return {
		format: DEFINITIONS_FORMAT,
		version: 1,
		namespace,
		exportedAt: new Date().toISOString(),
		labels: [...labels]
			.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
			.map((label) => ({
				key: label.key,
				kind: label.kind,
				firstObjectKey: label.firstObjectKey,
				secondObjectKey: label.secondObjectKey,
				firstLabel: label.firstLabel,
				secondLabel: label.secondLabel,
				firstLimit: label.firstLimit,
				secondLimit: label.secondLimit,
			})),
	};
}

/** The error of labels[index], saying so in its message. */
const atLabel = (error: AssociationError, index: number, key: string): AssociationError =>
	new AssociationError(error.code, `labels[${index}] ("${key}"): ${error.message}`, {
		...error.details,
		index,
	});

/**
 * Upserts labels by key in one transaction: creates the missing ones, renames, changes limits. Refuses
 * (all or nothing) a change of what is immutable (objects, single ↔ pair) and a limit below current usage.
 * With dryRun every rule runs and the result lists what would change, but nothing is kept.
 */
export async function importDefinitions(
	store: Store,
	namespace: string,
	actor: Actor | null,
	input: unknown,
	{ dryRun = false }: { dryRun?: boolean } = {},
): Promise<ImportedLabel[]> {
	const parsed = parse(labelDefinitionsInput, input, 'label definitions');
	const seen = new Map<string, number>();
	const definitions = parsed.labels.map((entry, index) => {
		const earlier = seen.get(entry.key);
		if (earlier !== undefined)
			throw new AssociationError(
				'VALIDATION',
				`Invalid label definitions: labels[${index}] repeats key "${entry.key}" of labels[${earlier}]. Keep one entry per key.`,
				{ index, key: entry.key },
			);
		seen.set(entry.key, index);
		try {
			const { kind, ...rest } = entry;
			const definition = defineLabel(rest);
			if (definition.kind !== kind)
				throw new AssociationError(
					'VALIDATION',
					`kind is "${kind}", but its names make it a ${definition.kind} label (a single label has one name for both sides). Fix kind or the names.`,
				);
			return definition;
		} catch (error) {
			if (isAssociationError(error)) throw atLabel(error, index, entry.key);
			throw error;
		}
	});
	return store.write(
		async (repo) => {
			const existing = new Map(
				(
					await repo.labels.find(
						namespace,
						definitions.map((definition) => ({ key: definition.key })),
						'update',
					)
				).map((label) => [label.key, label]),
			);
			const now = new Date().toISOString();
			const results: ImportedLabel[] = [];
			for (const [index, definition] of definitions.entries()) {
				try {
					results.push(
						await upsert(
							repo,
							namespace,
							actor,
							definition,
							existing.get(definition.key),
							now,
							index,
						),
					);
				} catch (error) {
					if (isAssociationError(error)) throw atLabel(error, index, definition.key);
					throw error;
				}
			}
			return results;
		},
		{ rehearse: dryRun },
	);
}

async function upsert(
	repo: AssociationRepository,
	namespace: string,
	actor: Actor | null,
	definition: LabelDefinition,
	label: AssociationLabel | undefined,
	now: string,
	index: number,
): Promise<ImportedLabel> {
	const base = { index, key: definition.key };
	if (!label) {
		await insertOrMatchLabel(repo, namespace, actor, definition, now, {
			derivedKey: false,
			allowDuplicateNames: true,
		});
		return { ...base, action: 'create', changes: [] };
	}
	for (const field of ['firstObjectKey', 'secondObjectKey', 'kind'] as const) {
		if (label[field] !== definition[field])
			throw new AssociationError(
				'IMMUTABLE',
				`the ${field} of the existing label is "${label[field]}" and cannot become "${definition[field]}" (a label's key, objects and single/pair kind never change). Create a label with another key instead, or fix labels[${index}].${field}.`,
				{ field, current: label[field], requested: definition[field] },
			);
	}
	const changes: DefinitionChange[] = [];
	for (const field of ['firstLabel', 'secondLabel', 'firstLimit', 'secondLimit'] as const) {
		if (label[field] !== definition[field])
			changes.push({ field, from: label[field], to: definition[field] });
	}
	const events: NewEvent[] = [];
	const names = { firstLabel: definition.firstLabel, secondLabel: definition.secondLabel };
	const limits = { firstLimit: definition.firstLimit, secondLimit: definition.secondLimit };
	if (changes.some((change) => change.field.endsWith('Label'))) {
		await repo.labels.update(label.id, names, now);
		events.push(
			labelEvent(
				'label.renamed',
				{ ...label, ...names },
				{
					from: { firstLabel: label.firstLabel, secondLabel: label.secondLabel },
					to: names,
				},
			),
		);
	}
	if (changes.some((change) => change.field.endsWith('Limit'))) {
		await refuseRecordsOverLimits(repo, label, limits);
		await repo.labels.update(label.id, limits, now);
		events.push(
			labelEvent(
				'label.limits_changed',
				{ ...label, ...limits },
				{
					from: { firstLimit: label.firstLimit, secondLimit: label.secondLimit },
					to: limits,
				},
			),
		);
	}
	await repo.events.append(namespace, actor, events, now);
	return { ...base, action: changes.length > 0 ? 'update' : 'unchanged', changes };
}
