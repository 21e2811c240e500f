import { assertEveryResult, batchOf, createLabelsOptions } from './batch-input';
import { AssociationError, isAssociationError, toItemError, withIndex } from './errors';
import { labelEvent } from './events';
import { defineLabel, symmetricLimit, type LabelDefinition } from './label-definition';
import { requireLabel } from './label-lookup';
import { insertOrMatchLabel, type CreationRules } from './label-creation';
import { IN_USE_REPORTED, labelInUse } from './label-in-use';
import { previewLabel } from './label-preview';
import { labelShape, STANDARD_OBJECT_KEYS } from './label-rules';
import { DELETE_CONFIRMATION } from './limits';
import { refuseRecordsOverLimits } from './record-limits';
import * as schemas from './schemas';
import type { AssociationRepository, NewEvent } from './store/repository';

import type { Store } from './store/store';
import type {
	Actor,
	AssociationLabel,
	CreateLabelsOptions,
	CreateLabelInput,
	CreateLabelResult,
	LabelRef,
	LabelWithUsage,
	ListLabelsInput,
	RenameLabelInput,
	SetLimitsInput,
} from './types';

/** Links named in the error that refuses to delete a label in use. */

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
		options: CreateLabelsOptions = {},
	): Promise<CreateLabelResult[]> {
		inputs = batchOf(inputs, 'label definitions');
		options = schemas.parse(createLabelsOptions, options ?? {}, 'batch options');
		type Plan =
			| { index: number; definition: LabelDefinition; rules: CreationRules }
			| { index: number; error: AssociationError };
		const planned = inputs.map((input, index): Plan => {
			try {
				const definition = defineLabel(input);
				const rules: CreationRules = {
					derivedKey: input.key === undefined,
					allowDuplicateNames: input.allowDuplicateNames === true,
				};
				return { index, definition, rules };
			} catch (error) {
				if (!isAssociationError(error)) throw error;
				if (options.atomic) throw withIndex(error, index);
				return { index, error };
			}
		});
		const attempt = () =>
			this.store.write(
				async (repo) => {
					const results: CreateLabelResult[] = [];
					const now = new Date().toISOString();
					for (const plan of planned) {
						if ('error' in plan) {
							results.push({ index: plan.index, status: 'error', error: toItemError(plan.error) });
							continue;
						}
						try {
							const { label, created } = await insertOrMatchLabel(
								repo,
								this.namespace,
								this.actor,
								plan.definition,
								now,
								plan.rules,
							);
							results.push({
								index: plan.index,
								status: created ? 'created' : 'unchanged',
								label,
								created,
								preview: previewLabel(label),
							});
						} catch (error) {
							if (!isAssociationError(error) || error.code === 'STORE') throw error;
							if (options.atomic) throw withIndex(error, plan.index);
							results.push({ index: plan.index, status: 'error', error: toItemError(error) });
						}
					}
					return assertEveryResult(results, planned.length, 'label definition');
				},
				{ rehearse: options.dryRun === true },
			);
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
			const shape = labelShape(label, { firstLabel, secondLabel });
			if (shape.symmetric !== label.symmetric) {
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
			await repo.labels.update(label.id, { firstLabel, secondLabel }, now);
			const renamed: AssociationLabel = {
				...label,
				firstLabel,
				secondLabel,
				kind: shape.kind,
				updatedAt: now,
			};
			await this.recordEvent(
				repo,
				labelEvent('label.renamed', renamed, {
					from: { firstLabel: label.firstLabel, secondLabel: label.secondLabel },
					to: { firstLabel, secondLabel },
				}),
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
				firstLimit = secondLimit = symmetricLimit(
					label.key,
					label.firstObjectKey,
					parsed.firstLimit,
					parsed.secondLimit,
				)!;
			}
			await refuseRecordsOverLimits(repo, label, { firstLimit, secondLimit });
			if (firstLimit === label.firstLimit && secondLimit === label.secondLimit) return label;
			const now = new Date().toISOString();
			await repo.labels.update(label.id, { firstLimit, secondLimit }, now);
			const changed = { ...label, firstLimit, secondLimit, updatedAt: now };
			await this.recordEvent(
				repo,
				labelEvent('label.limits_changed', changed, {
					from: { firstLimit: label.firstLimit, secondLimit: label.secondLimit },
					to: { firstLimit, secondLimit },
				}),
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
			const links = await repo.links.countOfLabel(label.id);
			if (links > 0) {
				const sample = await repo.links.sampleOfLabel(label.id, IN_USE_REPORTED);
				throw labelInUse(label, links, sample);
			}
			const now = new Date().toISOString();
			await repo.labels.delete(label.id);
			await this.recordEvent(repo, labelEvent('label.deleted', label, { label }), now);
			return {
				deleted: true as const,
				id: label.id,
				key: label.key,
				message: `Label "${label.key}" deleted.`,
			};
		});
	}

	private async recordEvent(repo: AssociationRepository, event: NewEvent, now: string) {
		await repo.events.append(this.namespace, this.actor, [event], now);
	}

	async get(ref: LabelRef): Promise<AssociationLabel> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		return this.store.read((repo) => requireLabel(repo, this.namespace, lookup));
	}

	async list(filter: ListLabelsInput = {}): Promise<AssociationLabel[]> {
		const parsed = schemas.parse(schemas.listLabelsInput, filter, 'label filter');
		return this.store.read((repo) => repo.labels.list(this.namespace, parsed));
	}

	/** list, with how each label is used (links, busiest record per side, newest link), on one snapshot. */
	async listWithUsage(filter: ListLabelsInput = {}): Promise<LabelWithUsage[]> {
		const parsed = schemas.parse(schemas.listLabelsInput, filter, 'label filter');
		return this.store.read(async (repo) => {
			const labels = await repo.labels.list(this.namespace, parsed);
			const usage = await repo.links.usageOf(labels);
			return labels.map((label) => ({ ...label, usage: usage.get(label.id)! }));
		});
	}

	async usage(ref: LabelRef): Promise<{ label: AssociationLabel; links: number }> {
		const lookup = schemas.parse(schemas.labelRef, ref, 'label reference');
		return this.store.read(async (repo) => {
			const label = await requireLabel(repo, this.namespace, lookup);
			return { label, links: await repo.links.countOfLabel(label.id) };
		});
	}

	/** Object keys the store knows (from its labels) plus the standard ones, sorted. */
	async objectKeys(): Promise<string[]> {
		const known = await this.store.read((repo) => repo.labels.knownObjectKeys(this.namespace));
		return [...new Set([...STANDARD_OBJECT_KEYS, ...known])].sort();
	}
}
