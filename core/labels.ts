import { randomUUID } from 'node:crypto';
import { assertEveryResult, batchOf, batchOptionsOf } from './batch-input';
import { resolveDerivedKey } from './derived-key';
import { AssociationError, isAssociationError, toItemError, withIndex } from './errors';
import { labelEvent } from './events';
import { deriveLabelKey, describeLabel, labelNotFound, pairKeyOf } from './label-rules';
import {
	DEFAULT_LINKS_PER_RECORD,
	DELETE_CONFIRMATION,
	MAX_LABELS_PER_OBJECT_PAIR,
} from './limits';
import * as schemas from './schemas';
import type { Store } from './store/store';
import type { AssociationRepository, LabelLookup, Side } from './store/repository';
import type {
	Actor,
	AssociationLabel,
	BatchOptions,
	CreateLabelInput,
	CreateLabelResult,
	LabelRef,
	ListLabelsInput,
	RenameLabelInput,
	SetLimitsInput,
} from './types';

export const STANDARD_OBJECT_KEYS = ['contact', 'company', 'opportunity'] as const;

const OVER_LIMIT_REPORTED = 10;

export async function requireLabel(
	repo: AssociationRepository,
	namespace: string,
	ref: LabelLookup,
	lock: 'none' | 'update' = 'none',
): Promise<AssociationLabel> {
	const [label] = await repo.findLabels(namespace, [ref], lock);
	if (!label) throw labelNotFound(namespace, ref);
	return label;
}

const sameDefinition = (a: AssociationLabel, b: LabelDefinition) =>
	(a.firstObjectKey === b.firstObjectKey &&
		a.secondObjectKey === b.secondObjectKey &&
		a.firstLabel === b.firstLabel &&
		a.secondLabel === b.secondLabel &&
		a.firstLimit === b.firstLimit &&
		a.secondLimit === b.secondLimit) ||
	(a.firstObjectKey === b.secondObjectKey &&
		a.secondObjectKey === b.firstObjectKey &&
		a.firstLabel === b.secondLabel &&
		a.secondLabel === b.firstLabel &&
		a.firstLimit === b.secondLimit &&
		a.secondLimit === b.firstLimit);

type LabelDefinition = Omit<AssociationLabel, 'id' | 'namespace' | 'createdAt' | 'updatedAt'>;

/** Validates and completes a definition: second name defaults to the first, key derived, limits defaulted. */
function defineLabel(input: CreateLabelInput, index: number, batchSize: number): LabelDefinition {
	const parsed = schemas.parse(
		schemas.createLabelInput,
		input,
		batchSize > 1 ? `label definition (item ${index})` : 'label definition',
	);
	const secondLabel = parsed.secondLabel ?? parsed.firstLabel;
	const key = parsed.key ?? deriveLabelKey(parsed.firstLabel, secondLabel);
	const symmetric =
		parsed.firstObjectKey === parsed.secondObjectKey && parsed.firstLabel === secondLabel;
	let firstLimit = parsed.firstLimit ?? DEFAULT_LINKS_PER_RECORD;
	let secondLimit = parsed.secondLimit ?? DEFAULT_LINKS_PER_RECORD;
	if (symmetric) {
		if (
			parsed.firstLimit !== undefined &&
			parsed.secondLimit !== undefined &&
			parsed.firstLimit !== parsed.secondLimit
		) {
			throw new AssociationError(
				'VALIDATION',
				`Label "${key}" links ${parsed.firstObjectKey} records to each other under one name, so both sides are the same side: give one limit (firstLimit), not ${parsed.firstLimit} and ${parsed.secondLimit}.`,
			);
		}
		firstLimit = secondLimit = parsed.firstLimit ?? parsed.secondLimit ?? DEFAULT_LINKS_PER_RECORD;
	}
	return {
		key,
		kind: parsed.firstLabel === secondLabel ? 'single' : 'pair',
		firstObjectKey: parsed.firstObjectKey,
		secondObjectKey: parsed.secondObjectKey,
		firstLabel: parsed.firstLabel,
		secondLabel,
		firstLimit,
		secondLimit,
		symmetric,
	};
}

/** Label definitions: create (idempotent), rename, limits, delete, queries. */
export class Labels {
	constructor(
		private readonly store: Store,
		private readonly namespace: string,
		private readonly actor: Actor | null,
	) {}

	/** Creates a label; an identical existing definition is returned unchanged (safe to re-run a setup workflow). */
	async create(input: CreateLabelInput): Promise<{ label: AssociationLabel; created: boolean }> {
		const [result] = await this.createMany([input], { atomic: true });
		const { label, created } = result as Extract<CreateLabelResult, { label: AssociationLabel }>;
		return { label, created };
	}

	/**
	 * create for many definitions in one transaction, in order (a later item sees the labels of earlier ones),
	 * with a result per item; atomic: the first failing item throws (details.index) and nothing is created.
	 */
	async createMany(
		inputs: CreateLabelInput[],
		options: BatchOptions = {},
	): Promise<CreateLabelResult[]> {
		inputs = batchOf(inputs, 'label definitions');
		options = batchOptionsOf(options);
		type Plan =
			| { index: number; definition: LabelDefinition; derived: boolean }
			| { index: number; error: AssociationError };
		const planned = inputs.map((input, index): Plan => {
			try {
				const definition = defineLabel(input, index, inputs.length);
				return { index, definition, derived: (input as { key?: unknown }).key === undefined };
			} catch (error) {
				if (!isAssociationError(error)) throw error;
				if (options.atomic) throw withIndex(error, index);
				return { index, error };
			}
		});
		const attempt = () =>
			this.store.write(async (repo) => {
				const results: CreateLabelResult[] = [];
				const now = new Date().toISOString();
				for (const plan of planned) {
					if ('error' in plan) {
						results.push({ index: plan.index, status: 'error', error: toItemError(plan.error) });
						continue;
					}
					try {
						const { label, created } = await this.insertOrMatch(
							repo,
							plan.definition,
							now,
							plan.derived,
						);
						results.push({
							index: plan.index,
							status: created ? 'created' : 'unchanged',
							label,
							created,
						});
					} catch (error) {
						if (!isAssociationError(error) || error.code === 'STORE') throw error;
						if (options.atomic) throw withIndex(error, plan.index);
						results.push({ index: plan.index, status: 'error', error: toItemError(error) });
					}
				}
				return assertEveryResult(results, planned.length, 'label definition');
			});
		try {
			return await attempt();
		} catch (error) {
			// Two workers creating the same key for different pairs race past the pair lock: the unique
			// index stops the second, and a second look tells it whether the definitions agree.
			if (
				error instanceof AssociationError &&
				error.code === 'STORE' &&
				/unique|UNIQUE/.test(error.message)
			)
				return attempt();
			throw error;
		}
	}

	/** The rules of creation, inside the transaction: same key and definition = no change; else conflict or limit. */
	private async insertOrMatch(
		repo: AssociationRepository,
		definition: LabelDefinition,
		now: string,
		derivedKey = false,
	): Promise<{ label: AssociationLabel; created: boolean }> {
		const pairKey = pairKeyOf(definition.firstObjectKey, definition.secondObjectKey);
		await repo.lockObjectPair(this.namespace, pairKey);
		if (derivedKey) {
			// No key given: a free one of the names' key family, or the same label made by an earlier run.
			const same = (label: AssociationLabel) => sameDefinition(label, definition);
			const resolved = await resolveDerivedKey(repo, this.namespace, definition, same);
			if ('existing' in resolved) return { label: resolved.existing, created: false };
			definition = { ...definition, key: resolved.key };
		}
		// A derived key was just found free; if a worker on another pair takes it first, the unique index
		// stops this insert and the batch is retried (below), which then picks the next key of the family.
		const [existing] = derivedKey
			? []
			: await repo.findLabels(this.namespace, [{ key: definition.key }]);
		if (existing) {
			if (sameDefinition(existing, definition)) return { label: existing, created: false };
			throw new AssociationError(
				'CONFLICT',
				`A different label already uses key "${definition.key}": ${describeLabel(existing)}. Keys are unique per namespace: choose another key, or rename/change limits of the existing label instead.`,
				{ key: definition.key, existing },
			);
		}
		const count = await repo.countLabelsForPair(this.namespace, pairKey);
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
			namespace: this.namespace,
			...definition,
			createdAt: now,
			updatedAt: now,
		};
		await repo.insertLabel(label, pairKey);
		await repo.appendEvents(
			this.namespace,
			this.actor,
			[labelEvent('label.created', label, { label })],
			now,
		);
		return { label, created: true };
	}

	/** Changes display names only; the key and object keys are immutable. */
	async rename(ref: LabelRef, input: RenameLabelInput): Promise<AssociationLabel> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		const parsed = schemas.parse(schemas.renameLabelInput, input, 'rename');
		return this.store.write(async (repo) => {
			const label = await requireLabel(repo, this.namespace, lookup, 'update');
			for (const field of ['key', 'firstObjectKey', 'secondObjectKey'] as const) {
				if (parsed[field] !== undefined && parsed[field] !== label[field]) {
					throw new AssociationError(
						'IMMUTABLE',
						`The ${field} of label "${label.key}" cannot change (it is "${label[field]}"). Only the display names (firstLabel, secondLabel) can be edited; create a new label for a different ${field === 'key' ? 'key' : 'object'}.`,
						{ field, current: label[field], requested: parsed[field] },
					);
				}
			}
			if (parsed.firstLabel === undefined && parsed.secondLabel === undefined) {
				throw new AssociationError(
					'VALIDATION',
					`Invalid rename: give firstLabel, secondLabel or both.`,
				);
			}
			// A single label keeps one name on both sides unless both names are given.
			const single =
				label.kind === 'single' &&
				(parsed.firstLabel === undefined || parsed.secondLabel === undefined);
			const name = parsed.firstLabel ?? parsed.secondLabel;
			const firstLabel = single ? name! : (parsed.firstLabel ?? label.firstLabel);
			const secondLabel = single ? name! : (parsed.secondLabel ?? label.secondLabel);
			if (
				label.firstObjectKey === label.secondObjectKey &&
				(firstLabel === secondLabel) !== label.symmetric
			) {
				throw new AssociationError(
					'IMMUTABLE',
					label.symmetric
						? `Label "${label.key}" is a single label between ${label.firstObjectKey} records, so its links have no direction; it cannot become a pair. Create a new pair label instead.`
						: `Label "${label.key}" is a pair between ${label.firstObjectKey} records, so its links have a direction; it cannot get one name for both sides. Keep two different names, or create a new single label.`,
					{ key: label.key },
				);
			}
			if (firstLabel === label.firstLabel && secondLabel === label.secondLabel) return label;
			const now = new Date().toISOString();
			await repo.updateLabel(label.id, { firstLabel, secondLabel }, now);
			const renamed = {
				...label,
				firstLabel,
				secondLabel,
				kind: firstLabel === secondLabel ? 'single' : 'pair',
				updatedAt: now,
			} as AssociationLabel;
			await repo.appendEvents(
				this.namespace,
				this.actor,
				[
					labelEvent('label.renamed', renamed, {
						from: { firstLabel: label.firstLabel, secondLabel: label.secondLabel },
						to: { firstLabel, secondLabel },
					}),
				],
				now,
			);
			return renamed;
		});
	}

	/** Sets per-side limits; lowering is refused while a record already has more links than the new limit. */
	async setLimits(ref: LabelRef, input: SetLimitsInput): Promise<AssociationLabel> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		const parsed = schemas.parse(schemas.setLimitsInput, input, 'limits');
		return this.store.write(async (repo) => {
			const label = await requireLabel(repo, this.namespace, lookup, 'update');
			let firstLimit = parsed.firstLimit ?? label.firstLimit;
			let secondLimit = parsed.secondLimit ?? label.secondLimit;
			if (label.symmetric) {
				if (
					parsed.firstLimit !== undefined &&
					parsed.secondLimit !== undefined &&
					parsed.firstLimit !== parsed.secondLimit
				) {
					throw new AssociationError(
						'VALIDATION',
						`Label "${label.key}" links ${label.firstObjectKey} records to each other under one name: it has one limit. Give the same value for both sides, or only firstLimit.`,
					);
				}
				firstLimit = secondLimit = parsed.firstLimit ?? parsed.secondLimit!;
			}
			for (const [side, limit, current, objectKey] of [
				['first', firstLimit, label.firstLimit, label.firstObjectKey],
				['second', secondLimit, label.secondLimit, label.secondObjectKey],
			] as [Side, number, number, string][]) {
				if (limit >= current) continue;
				const over = await repo.recordsOverLimit(label, side, limit, OVER_LIMIT_REPORTED);
				if (over.length > 0) {
					const list = over.map((record) => `${record.recordId} (${record.count})`).join(', ');
					throw new AssociationError(
						'RECORD_LIMIT',
						`Cannot lower the ${side}-side limit of label "${label.key}" to ${limit}: these ${objectKey} records already have more links through it: ${list}${over.length === OVER_LIMIT_REPORTED ? ', …' : ''}. Unlink the extra links first, or choose a limit of at least ${over[0].count}.`,
						{ side, limit, records: over },
					);
				}
				if (label.symmetric) break;
			}
			if (firstLimit === label.firstLimit && secondLimit === label.secondLimit) return label;
			const now = new Date().toISOString();
			await repo.updateLabel(label.id, { firstLimit, secondLimit }, now);
			const changed = { ...label, firstLimit, secondLimit, updatedAt: now };
			await repo.appendEvents(
				this.namespace,
				this.actor,
				[
					labelEvent('label.limits_changed', changed, {
						from: { firstLimit: label.firstLimit, secondLimit: label.secondLimit },
						to: { firstLimit, secondLimit },
					}),
				],
				now,
			);
			return changed;
		});
	}

	/** Irreversible: needs the confirmation text DELETE and a label no link uses. */
	async delete(
		ref: LabelRef,
		confirmation: string | undefined,
	): Promise<{ deleted: true; id: string; key: string; message: string }> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		if (confirmation !== DELETE_CONFIRMATION) {
			throw new AssociationError(
				'CONFIRMATION_REQUIRED',
				`Deleting a label is irreversible: type ${DELETE_CONFIRMATION} (in capitals, nothing else) to confirm${confirmation ? ` — got ${schemas.preview(confirmation)}` : ''}.`,
				{ expected: DELETE_CONFIRMATION },
			);
		}
		return this.store.write(async (repo) => {
			const label = await requireLabel(repo, this.namespace, lookup, 'update');
			const links = await repo.countLinksOfLabel(label.id);
			if (links > 0) {
				throw new AssociationError(
					'IN_USE',
					`Label "${label.key}" is still used by ${links} link${links === 1 ? '' : 's'}. Remove them first (Link Records → Unlink, or Unlink all links of a record with this label), then delete the label.`,
					{ key: label.key, links },
				);
			}
			const now = new Date().toISOString();
			await repo.deleteLabel(label.id);
			await repo.appendEvents(
				this.namespace,
				this.actor,
				[labelEvent('label.deleted', label, { label })],
				now,
			);
			return {
				deleted: true as const,
				id: label.id,
				key: label.key,
				message: `Label "${label.key}" deleted.`,
			};
		});
	}

	async get(ref: LabelRef): Promise<AssociationLabel> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		return this.store.read((repo) => requireLabel(repo, this.namespace, lookup));
	}

	async list(filter: ListLabelsInput = {}): Promise<AssociationLabel[]> {
		const parsed = schemas.parse(schemas.listLabelsInput, filter, 'label filter');
		return this.store.read((repo) => repo.listLabels(this.namespace, parsed));
	}

	async usage(ref: LabelRef): Promise<{ label: AssociationLabel; links: number }> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		return this.store.read(async (repo) => {
			const label = await requireLabel(repo, this.namespace, lookup);
			return { label, links: await repo.countLinksOfLabel(label.id) };
		});
	}

	/** Object keys the store knows (from its labels) plus the standard ones, sorted. */
	async objectKeys(): Promise<string[]> {
		const known = await this.store.read((repo) => repo.knownObjectKeys(this.namespace));
		return [...new Set([...STANDARD_OBJECT_KEYS, ...known])].sort();
	}
}
