import { assertEveryResult, batchOf, batchOptionsOf } from './batch-input';
import { AssociationError, isAssociationError, toItemError, withIndex } from './errors';
import { CommittedCounts } from './committed-counts';
import { allLabels, selectLabelsOfObject } from './label-lookup';
import { answerExisting, answerRepeats, insertAccepted, mayExist } from './link-batch';
import { LinkInputValidator } from './link-input-validator';
import { LinkKeyMap } from './link-key-map';
import { labelRefsOf, linkOfPlan, planLink, toLink, type PlannedLink } from './link-plan';
import { admitWithinLimits } from './record-limits';
import * as schemas from './schemas';
import type { Store } from './store/store';
import {
	linkKeyString,
	recordKeyString,
	type AssociationRepository,
	type LabelRecord,
} from './store/repository';
import type {
	Actor,
	BatchOptions,
	Link,
	LinkEventType,
	LinkInput,
	LinkResult,
	Side,
	UnlinkRecordInput,
	UnlinkRecordResult,
	UnlinkResult,
} from './types';

const SIDES: Side[] = ['first', 'second'];

/** Links and unlinks, always in batches: one transaction, a few set-based statements, a result per item. */
export class Links {
	constructor(
		private readonly store: Store,
		private readonly namespace: string,
		private readonly actor: Actor | null,
	) {}

	async link(input: LinkInput): Promise<Exclude<LinkResult, { status: 'error' }>> {
		const [result] = await this.linkMany([input], { atomic: true });
		return result as Exclude<LinkResult, { status: 'error' }>;
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
			const validator = new LinkInputValidator();
			const labels = await repo.labels.find(
				this.namespace,
				labelRefsOf(inputs, validator),
				'update',
			);
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
				const planned = planLink(index, input, labels, this.namespace, validator);
				if (!planned.ok) return fail(index, planned.error);
				if (firstOccurrence.get(planned.plan)) repeats.push(planned.plan);
				else {
					firstOccurrence.set(planned.plan, planned.plan);
					unique.push(planned.plan);
				}
			});

			const committed = new CommittedCounts(repo);
			const probe = await mayExist(unique, committed);
			const fresh = await answerExisting(repo, unique, probe, results);
			const accepted = await admitWithinLimits(repo, fresh, fail, committed);

			const now = new Date().toISOString();
			const createdLinks = await insertAccepted(
				repo,
				this.namespace,
				accepted,
				firstOccurrence,
				results,
				now,
			);
			answerRepeats(repeats, firstOccurrence, results);
			await this.recordEvents(repo, 'link.created', createdLinks, now);
			return assertEveryResult(results, inputs.length, 'link');
		});
	}

	/** Removes each given link; a link that does not exist is reported as not_linked, not as an error. */
	async unlinkMany(inputs: LinkInput[], options: BatchOptions = {}): Promise<UnlinkResult[]> {
		inputs = batchOf(inputs, 'links to unlink');
		options = batchOptionsOf(options);
		return this.store.write(async (repo) => {
			const validator = new LinkInputValidator();
			const labels = await repo.labels.find(this.namespace, labelRefsOf(inputs, validator));
			const results: UnlinkResult[] = new Array(inputs.length);
			const plans: PlannedLink[] = [];
			inputs.forEach((input, index) => {
				const planned = planLink(index, input, labels, this.namespace, validator);
				if (planned.ok) plans.push(planned.plan);
				else if (options.atomic) throw withIndex(planned.error, index);
				else results[index] = { index, status: 'error', error: toItemError(planned.error) };
			});
			const deleted = new Map(
				(await repo.links.delete(plans)).map((link) => [linkKeyString(link), link]),
			);
			const reported = new Set<string>();
			const removed: Link[] = [];
			for (const plan of plans) {
				const id = linkKeyString(plan);
				const stored = deleted.get(id);
				if (stored && !reported.has(id)) {
					reported.add(id);
					const link = toLink(plan.label, stored);
					removed.push(link);
					results[plan.index] = { index: plan.index, status: 'deleted', link };
				} else {
					const { id: _id, createdAt: _createdAt, ...link } = linkOfPlan(plan, '', '');
					results[plan.index] = { index: plan.index, status: 'not_linked', link };
				}
			}
			await this.recordEvents(repo, 'link.deleted', removed, new Date().toISOString());
			return assertEveryResult(results, inputs.length, 'unlink');
		});
	}

	private async recordEvents(
		repo: AssociationRepository,
		type: LinkEventType,
		links: Link[],
		now: string,
	): Promise<void> {
		await repo.events.appendLinks(this.namespace, this.actor, type, links, now);
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
			const all = await allLabels(repo, this.namespace);
			const byId = new Map(all.map((label) => [label.id, label]));
			const results: UnlinkRecordResult[] = new Array(inputs.length);
			// (side, label, record) → the first item asking for it
			const claims: Record<Side, Map<string, number>> = { first: new Map(), second: new Map() };
			const records: Record<Side, LabelRecord[]> = { first: [], second: [] };
			inputs.forEach((input, index) => {
				try {
					const parsed = schemas.parse(schemas.unlinkRecordInput, input, 'record');
					const labels = selectLabelsOfObject(all, this.namespace, parsed.objectKey, parsed.labels);
					for (const side of SIDES) {
						for (const label of labels) {
							const objectKey = side === 'first' ? label.firstObjectKey : label.secondObjectKey;
							if (objectKey !== parsed.objectKey) continue;
							const claim = recordKeyString(label.id, parsed.recordId);
							if (claims[side].has(claim)) continue;
							claims[side].set(claim, index);
							records[side].push({ labelId: label.id, recordId: parsed.recordId });
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
			for (const side of SIDES) {
				for (const stored of await repo.links.deleteOfRecords(side, records[side])) {
					const recordId = side === 'first' ? stored.firstRecordId : stored.secondRecordId;
					const result = results[claims[side].get(recordKeyString(stored.labelId, recordId))!];
					const link = toLink(byId.get(stored.labelId)!, stored);
					removed.push(link);
					if (result.status === 'unlinked') {
						result.links.push(link);
						result.deleted++;
					}
				}
			}
			await this.recordEvents(repo, 'link.deleted', removed, new Date().toISOString());
			return results;
		});
	}
}
