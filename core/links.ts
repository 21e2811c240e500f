import { assertEveryResult, batchOf, batchOptionsOf } from './batch-input';
import { AssociationError, isAssociationError, toItemError, withIndex } from './errors';
import { linkEvent } from './events';
import { describeRef, labelNotFound, matchesRef } from './label-rules';
import { BatchParser } from './batch-parser';
import { LinkKeyMap } from './link-key-map';
import * as schemas from './schemas';
import type { Store } from './store/store';
import {
	linkKeyString,
	recordCountKey,
	type AssociationRepository,
	type LabelLookup,
	type LinkKey,
	type RecordCountKey,
	type Side,
	type StoredLink,
} from './store/repository';
import type {
	Actor,
	AssociationLabel,
	BatchOptions,
	Link,
	LinkInput,
	LinkResult,
	UnlinkRecordInput,
	UnlinkRecordResult,
	UnlinkResult,
} from './types';

interface PlannedLink {
	index: number;
	label: AssociationLabel;
	key: LinkKey;
}

type Planned =
	| { ok: true; plan: PlannedLink }
	| { ok: false; index: number; error: AssociationError };

export const toLink = (label: AssociationLabel, stored: StoredLink): Link => ({
	id: stored.id,
	labelId: label.id,
	labelKey: label.key,
	firstObjectKey: label.firstObjectKey,
	firstRecordId: stored.firstRecordId,
	secondObjectKey: label.secondObjectKey,
	secondRecordId: stored.secondRecordId,
	createdAt: stored.createdAt,
});

const itemLabelRefs = (inputs: unknown[], parser: BatchParser): LabelLookup[] => {
	const seen = new Set<LabelLookup>();
	const refs = new Map<string, LabelLookup>();
	for (const input of inputs) {
		const ref = parser.labelRef((input as { label?: unknown } | null)?.label);
		if (ref && !seen.has(ref)) {
			seen.add(ref);
			refs.set(JSON.stringify(ref), ref);
		}
	}
	return [...refs.values()];
};

/**
 * Puts one item in the label's stored order: object keys, when given, must match the label's sides
 * (swapped if the caller named them the other way round); a same-object single label is symmetric,
 * so A–B and B–A become one stored link.
 */
function planItem(
	index: number,
	input: unknown,
	labels: AssociationLabel[],
	namespace: string,
	parser: BatchParser,
): Planned {
	try {
		const parsed = parser.item(input, index);
		const label = labels.find((candidate) => matchesRef(candidate, parsed.label));
		if (!label) throw labelNotFound(namespace, parsed.label);
		let first = parsed.firstRecordId;
		let second = parsed.secondRecordId;
		const { firstObjectKey: a, secondObjectKey: b } = parsed;
		const fits = (x: string | undefined, y: string | undefined) =>
			(x === undefined || x === label.firstObjectKey) &&
			(y === undefined || y === label.secondObjectKey);
		if (!fits(a, b)) {
			if (label.firstObjectKey !== label.secondObjectKey && fits(b, a)) {
				[first, second] = [second, first];
			} else {
				throw new AssociationError(
					'VALIDATION',
					`Item ${index}: label "${label.key}" links ${label.firstObjectKey} (first) to ${label.secondObjectKey} (second), but the records given are ${a ?? '?'} and ${b ?? '?'}. Pick a label for these objects, or fix the object keys.`,
					{
						labelKey: label.key,
						expected: [label.firstObjectKey, label.secondObjectKey],
						got: [a, b],
					},
				);
			}
		}
		if (label.firstObjectKey === label.secondObjectKey && first === second) {
			throw new AssociationError(
				'VALIDATION',
				`Item ${index}: a record cannot be linked to itself (${label.firstObjectKey} "${first}" under "${label.key}"). Check the two record ids.`,
				{ labelKey: label.key, recordId: first },
			);
		}
		if (label.symmetric && second < first) [first, second] = [second, first];
		return {
			ok: true,
			plan: {
				index,
				label,
				key: { labelId: label.id, firstRecordId: first, secondRecordId: second },
			},
		};
	} catch (error) {
		if (isAssociationError(error)) return { ok: false, index, error };
		throw error;
	}
}

/** Links and unlinks, always in batches: one transaction, a few set-based statements, a result per item. */
export class Links {
	constructor(
		private readonly store: Store,
		private readonly namespace: string,
		private readonly actor: Actor | null,
	) {}

	async link(
		input: LinkInput,
	): Promise<Extract<LinkResult, { status: 'created' | 'already_linked' }>> {
		const [result] = await this.linkMany([input], { atomic: true });
		return result as Extract<LinkResult, { status: 'created' | 'already_linked' }>;
	}

	async unlink(input: LinkInput): Promise<Exclude<UnlinkResult, { status: 'error' }>> {
		const [result] = await this.unlinkMany([input], { atomic: true });
		return result as Exclude<UnlinkResult, { status: 'error' }>;
	}

	/**
	 * Links every pair that passes the rules; each item gets created / already_linked / error.
	 * Labels are locked for the transaction, so concurrent batches on one label queue up and the
	 * per-record limit is checked against committed rows only.
	 */
	async linkMany(inputs: LinkInput[], options: BatchOptions = {}): Promise<LinkResult[]> {
		inputs = batchOf(inputs, 'links');
		options = batchOptionsOf(options);
		return this.store.write(async (repo) => {
			const parser = new BatchParser();
			const labels = await repo.findLabels(this.namespace, itemLabelRefs(inputs, parser), 'update');
			const results: LinkResult[] = new Array(inputs.length);
			const fail = (index: number, error: AssociationError) => {
				if (options.atomic) throw withIndex(error, index);
				results[index] = { index, status: 'error', error: toItemError(error) };
			};

			// Plan, then drop repeats inside the batch: the first occurrence decides, the rest are "already linked".
			const firstOccurrence = new LinkKeyMap<PlannedLink>();
			const unique: PlannedLink[] = [];
			const repeats: PlannedLink[] = [];
			inputs.forEach((input, index) => {
				const planned = planItem(index, input, labels, this.namespace, parser);
				if (!planned.ok) return fail(index, planned.error);
				if (firstOccurrence.get(planned.plan.key)) repeats.push(planned.plan);
				else {
					firstOccurrence.set(planned.plan.key, planned.plan);
					unique.push(planned.plan);
				}
			});

			const existing = LinkKeyMap.of(await repo.findLinks(unique.map((plan) => plan.key)));
			const fresh = unique.filter((plan) => !existing.get(plan.key));
			const accepted = await this.admitWithinLimits(repo, fresh, fail);

			const now = new Date().toISOString();
			const inserted = LinkKeyMap.of(
				await repo.insertLinks(
					this.namespace,
					accepted.map((plan) => plan.key),
					now,
				),
			);
			const createdLinks: Link[] = [];
			for (const plan of unique) {
				const stored = inserted.get(plan.key);
				if (stored) {
					const link = toLink(plan.label, stored);
					createdLinks.push(link);
					results[plan.index] = { index: plan.index, status: 'created', link };
				} else {
					const found = existing.get(plan.key);
					if (found)
						results[plan.index] = {
							index: plan.index,
							status: 'already_linked',
							link: toLink(plan.label, found),
						};
				}
			}
			for (const plan of repeats) {
				const stored = inserted.get(plan.key) ?? existing.get(plan.key);
				if (stored)
					results[plan.index] = {
						index: plan.index,
						status: 'already_linked',
						link: toLink(plan.label, stored),
					};
				else
					results[plan.index] = {
						...results[firstOccurrence.get(plan.key)!.index],
						index: plan.index,
					} as LinkResult;
			}
			await repo.appendEvents(
				this.namespace,
				this.actor,
				createdLinks.map((link) => linkEvent('link.created', link)),
				now,
			);
			return assertEveryResult(results, inputs.length, 'link');
		});
	}

	/**
	 * Per-record limits for new links, in item order: counts of committed links per (label, record, side),
	 * plus the links this batch has already admitted. Symmetric labels count both sides for a record.
	 */
	private async admitWithinLimits(
		repo: AssociationRepository,
		fresh: PlannedLink[],
		fail: (index: number, error: AssociationError) => void,
	): Promise<PlannedLink[]> {
		// One tally per (label, record, side) – for symmetric labels one per record, under "first", as both of
		// its sides count – found through nested maps (no string built per item), and its record's committed
		// counts asked for once.
		interface Tally {
			countKey: string;
			count?: number;
		}
		const wanted: Record<Side, RecordCountKey[]> = { first: [], second: [] };
		const tallies: Record<Side, Map<string, Map<string, Tally>>> = {
			first: new Map(),
			second: new Map(),
		};
		const tallyOf = (label: AssociationLabel, side: Side, recordId: string): Tally => {
			const bucket = label.symmetric ? 'first' : side;
			let byRecord = tallies[bucket].get(label.id);
			if (!byRecord) tallies[bucket].set(label.id, (byRecord = new Map()));
			let tally = byRecord.get(recordId);
			if (!tally) {
				byRecord.set(recordId, (tally = { countKey: recordCountKey(label.id, recordId) }));
				if (label.symmetric) {
					wanted.first.push({ labelId: label.id, recordId });
					wanted.second.push({ labelId: label.id, recordId });
				} else {
					wanted[side].push({ labelId: label.id, recordId });
				}
			}
			return tally;
		};
		const firstTallies = fresh.map(({ label, key }) => tallyOf(label, 'first', key.firstRecordId));
		const secondTallies = fresh.map(({ label, key }) =>
			tallyOf(label, 'second', key.secondRecordId),
		);
		const committed: Record<Side, Map<string, number>> = {
			first: await repo.countLinksBySide('first', wanted.first),
			second: await repo.countLinksBySide('second', wanted.second),
		};
		const countOf = (label: AssociationLabel, side: Side, tally: Tally): number => {
			if (tally.count === undefined) {
				const k = tally.countKey;
				tally.count = label.symmetric
					? (committed.first.get(k) ?? 0) + (committed.second.get(k) ?? 0)
					: (committed[side].get(k) ?? 0);
			}
			return tally.count;
		};

		const accepted: PlannedLink[] = [];
		for (let i = 0; i < fresh.length; i++) {
			const plan = fresh[i];
			const { label, key } = plan;
			let over: [Side, string, number, string, Tally] | undefined;
			if (countOf(label, 'first', firstTallies[i]) >= label.firstLimit) {
				over = [
					'first',
					key.firstRecordId,
					label.firstLimit,
					label.firstObjectKey,
					firstTallies[i],
				];
			} else if (countOf(label, 'second', secondTallies[i]) >= label.secondLimit) {
				over = [
					'second',
					key.secondRecordId,
					label.secondLimit,
					label.secondObjectKey,
					secondTallies[i],
				];
			}
			if (over) {
				const [side, recordId, limit, objectKey, tally] = over;
				fail(
					plan.index,
					new AssociationError(
						'RECORD_LIMIT',
						`Item ${plan.index}: ${objectKey} record "${recordId}" already has ${countOf(label, side, tally)} links through label "${label.key}" (limit ${limit} per record on the ${side} side). Unlink one of them, or raise the label's limit (Create Association → Change limits; the ceiling is 1,000).`,
						{ labelKey: label.key, side, recordId, limit },
					),
				);
				continue;
			}
			firstTallies[i].count = countOf(label, 'first', firstTallies[i]) + 1;
			secondTallies[i].count = countOf(label, 'second', secondTallies[i]) + 1;
			accepted.push(plan);
		}
		return accepted;
	}

	/** Removes each given link; a link that does not exist is reported as not_linked, not as an error. */
	async unlinkMany(inputs: LinkInput[], options: BatchOptions = {}): Promise<UnlinkResult[]> {
		inputs = batchOf(inputs, 'links to unlink');
		options = batchOptionsOf(options);
		return this.store.write(async (repo) => {
			const parser = new BatchParser();
			const labels = await repo.findLabels(this.namespace, itemLabelRefs(inputs, parser));
			const results: UnlinkResult[] = new Array(inputs.length);
			const plans: PlannedLink[] = [];
			inputs.forEach((input, index) => {
				const planned = planItem(index, input, labels, this.namespace, parser);
				if (planned.ok) plans.push(planned.plan);
				else if (options.atomic) throw withIndex(planned.error, index);
				else results[index] = { index, status: 'error', error: toItemError(planned.error) };
			});
			const deleted = new Map(
				(await repo.deleteLinks(plans.map((plan) => plan.key))).map((link) => [
					linkKeyString(link),
					link,
				]),
			);
			const reported = new Set<string>();
			const removed: Link[] = [];
			for (const plan of plans) {
				const id = linkKeyString(plan.key);
				const stored = deleted.get(id);
				if (stored && !reported.has(id)) {
					reported.add(id);
					const link = toLink(plan.label, stored);
					removed.push(link);
					results[plan.index] = { index: plan.index, status: 'deleted', link };
				} else {
					const {
						id: _id,
						createdAt: _createdAt,
						...link
					} = toLink(plan.label, { ...plan.key, id: '', createdAt: '' });
					results[plan.index] = { index: plan.index, status: 'not_linked', link };
				}
			}
			const now = new Date().toISOString();
			await repo.appendEvents(
				this.namespace,
				this.actor,
				removed.map((link) => linkEvent('link.deleted', link)),
				now,
			);
			return assertEveryResult(results, inputs.length, 'unlink');
		});
	}

	/** Removes every link of one record (its source record was deleted), optionally only under some labels. */
	async unlinkRecord(input: UnlinkRecordInput): Promise<{ deleted: number; links: Link[] }> {
		const [result] = await this.unlinkRecords([input], { atomic: true });
		return result as { deleted: number; links: Link[] };
	}

	/**
	 * unlinkRecord for many records in one transaction: one set-based DELETE per side for the whole batch.
	 * A link two items both cover is reported by the first of them.
	 */
	async unlinkRecords(
		inputs: UnlinkRecordInput[],
		options: BatchOptions = {},
	): Promise<UnlinkRecordResult[]> {
		inputs = batchOf(inputs, 'records to unlink');
		options = batchOptionsOf(options);
		return this.store.write(async (repo) => {
			const all = await repo.listLabels(this.namespace, { limit: 100_000 });
			const byId = new Map(all.map((label) => [label.id, label]));
			const results: UnlinkRecordResult[] = new Array(inputs.length);
			// (side, label, record) → the first item asking for it
			const claims: Record<Side, Map<string, number>> = { first: new Map(), second: new Map() };
			const keys: Record<Side, RecordCountKey[]> = { first: [], second: [] };
			inputs.forEach((input, index) => {
				try {
					const parsed = schemas.parse(schemas.unlinkRecordInput, input, `item ${index}`);
					const labels = selectLabelsOfObject(all, this.namespace, parsed.objectKey, parsed.labels);
					for (const side of ['first', 'second'] as const) {
						for (const label of labels) {
							if (
								(side === 'first' ? label.firstObjectKey : label.secondObjectKey) !==
								parsed.objectKey
							)
								continue;
							const claim = recordCountKey(label.id, parsed.recordId);
							if (claims[side].has(claim)) continue;
							claims[side].set(claim, index);
							keys[side].push({ labelId: label.id, recordId: parsed.recordId });
						}
					}
					results[index] = { index, status: 'unlinked', deleted: 0, links: [] };
				} catch (error) {
					if (!isAssociationError(error)) throw error;
					if (options.atomic) throw withIndex(error, index);
					results[index] = { index, status: 'error', error: toItemError(error) };
				}
			});
			const removed: Link[] = [];
			for (const side of ['first', 'second'] as const) {
				for (const stored of await repo.deleteLinksOfRecords(side, keys[side])) {
					const recordId = side === 'first' ? stored.firstRecordId : stored.secondRecordId;
					const result = results[claims[side].get(recordCountKey(stored.labelId, recordId))!];
					const link = toLink(byId.get(stored.labelId)!, stored);
					removed.push(link);
					if (result.status === 'unlinked') {
						result.links.push(link);
						result.deleted++;
					}
				}
			}
			const now = new Date().toISOString();
			await repo.appendEvents(
				this.namespace,
				this.actor,
				removed.map((link) => linkEvent('link.deleted', link)),
				now,
			);
			return results;
		});
	}
}

/** The labels touching an object, optionally narrowed to some refs (each of which must exist and touch it). */
export async function labelsOfObject(
	repo: AssociationRepository,
	namespace: string,
	objectKey: string,
	refs: LabelLookup[] | undefined,
): Promise<AssociationLabel[]> {
	const candidates =
		!refs || refs.length === 0
			? await repo.listLabels(namespace, { objectKey, limit: 100_000 })
			: await repo.findLabels(namespace, refs);
	return selectLabelsOfObject(candidates, namespace, objectKey, refs);
}

function selectLabelsOfObject(
	labels: AssociationLabel[],
	namespace: string,
	objectKey: string,
	refs: LabelLookup[] | undefined,
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
