import { z } from 'zod';
import { assertEveryResult, batchOf, batchOptionsOf } from './batch-input';
import { AssociationError, isAssociationError, toItemError, withIndex } from './errors';
import { linkEvent } from './events';
import { admitMoves } from './merge-limits';
import { allLabels } from './label-lookup';
import { LinkKeyMap } from './link-key-map';
import { toLink } from './link-plan';
import { objectKey, parse, recordId } from './schemas';
import type { Store } from './store/store';
import { recordKeyString, type LinkKey, type NewEvent } from './store/repository';
import type { LinkMove } from './store/repositories/graph.repository';
import type { Actor, AssociationLabel, BatchOptions, ItemError, Link, Side } from './types';

export const mergeRecordsInput = z
	.object({ objectKey, survivorId: recordId, duplicateId: recordId })
	.strict();
export type MergeRecordsInput = z.input<typeof mergeRecordsInput>;

/** A link of the duplicate that stays where it is, and why. */
export interface RefusedMove {
	link: Link;
	error: ItemError;
}

export type MergeResult =
	| {
			index: number;
			status: 'merged';
			objectKey: string;
			survivorId: string;
			duplicateId: string;
			/** Links of the duplicate now on the survivor (same label, same side, same link id). */
			moved: Link[];
			/** Links of the duplicate the survivor already had: deleted, not duplicated. */
			dropped: Link[];
			/** Only without `atomic`: links that could not move and stay on the duplicate. */
			refused: RefusedMove[];
	  }
	| { index: number; status: 'error'; error: ItemError };

export type Parsed = z.output<typeof mergeRecordsInput> & { index: number };

/** One link of a duplicate, and where a merge puts it. */
export interface Move {
	item: Parsed;
	label: AssociationLabel;
	/** The duplicate's side of the label. */
	side: Side;
	link: Link;
	to: LinkKey;
}

const other = (side: Side): Side => (side === 'first' ? 'second' : 'first');
const compareIds = (a: string, b: string) =>
	a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/** Refuses batches in which a record is merged away and also kept (or merged twice): merge those in turn. */
function checkRoles(items: Parsed[]): void {
	const roles = new Map<string, { index: number; role: string }>();
	for (const item of items) {
		for (const [id, role] of [
			[item.duplicateId, 'duplicate'],
			[item.survivorId, 'survivor'],
		] as const) {
			const key = `${item.objectKey}\u0000${id}`;
			const seen = roles.get(key);
			if (seen && (role === 'duplicate' || seen.role === 'duplicate')) {
				throw withIndex(
					new AssociationError(
						'VALIDATION',
						`${item.objectKey} record "${id}" is the ${role} here but already the ${seen.role} of merge ${seen.index}: a record merged away cannot take part in another merge of the same batch. Run these merges one after the other.`,
						{ recordId: id, otherIndex: seen.index },
					),
					item.index,
				);
			}
			if (!seen) roles.set(key, { index: item.index, role });
		}
	}
}

/**
 * Merges duplicate records into survivors, many merges in one transaction: every link of the duplicate moves
 * to the survivor under the same label and side (one UPDATE, link ids kept); a link the survivor already has
 * is dropped; a move that would link the survivor to itself or exceed its per-record limit is refused (the
 * whole batch with `atomic`, otherwise the link stays on the duplicate and is reported).
 */
export async function mergeRecords(
	store: Store,
	namespace: string,
	actor: Actor | null,
	inputs: MergeRecordsInput[],
	options: BatchOptions = {},
): Promise<MergeResult[]> {
	inputs = batchOf(inputs, 'merges');
	options = batchOptionsOf(options);
	return store.write(async (repo) => {
		const results: MergeResult[] = new Array(inputs.length);
		const items: Parsed[] = [];
		inputs.forEach((input, index) => {
			try {
				const parsed = { ...parse(mergeRecordsInput, input, 'merge'), index };
				if (parsed.survivorId === parsed.duplicateId)
					throw new AssociationError(
						'VALIDATION',
						`Invalid merge: survivorId and duplicateId are both "${parsed.survivorId}". Give the ID of the record to keep and of its duplicate.`,
						{ recordId: parsed.survivorId },
					);
				items.push(parsed);
			} catch (error) {
				if (!isAssociationError(error)) throw error;
				if (options.atomic) throw withIndex(error, index);
				results[index] = { index, status: 'error', error: toItemError(error) };
			}
		});
		checkRoles(items);
		const objects = new Set(items.map((item) => item.objectKey));
		const touching = (await allLabels(repo, namespace)).filter(
			(label) => objects.has(label.firstObjectKey) || objects.has(label.secondObjectKey),
		);
		// Locked like a link batch: a concurrent link on these labels waits, so limits count committed rows.
		const labels = await repo.labels.find(
			namespace,
			touching.map((label) => ({ id: label.id })),
			'update',
		);
		const byId = new Map(labels.map((label) => [label.id, label]));
		const itemOf = new Map<string, Parsed>();
		const sources: Record<Side, { labelId: string; recordId: string }[]> = {
			first: [],
			second: [],
		};
		for (const item of items) {
			for (const label of labels) {
				for (const side of ['first', 'second'] as const) {
					if ((side === 'first' ? label.firstObjectKey : label.secondObjectKey) !== item.objectKey)
						continue;
					itemOf.set(`${side}\u0000${recordKeyString(label.id, item.duplicateId)}`, item);
					sources[side].push({ labelId: label.id, recordId: item.duplicateId });
				}
			}
		}
		const rows = (
			await repo.graph.hop(sources.first, sources.second, Number.MAX_SAFE_INTEGER)
		).sort((a, b) => compareIds(a.linkId, b.linkId));
		const refused = new Map<Parsed, RefusedMove[]>();
		const refuse = (move: Move, error: AssociationError) => {
			if (options.atomic) throw withIndex(error, move.item.index);
			refused.set(move.item, [
				...(refused.get(move.item) ?? []),
				{ link: move.link, error: toItemError(error) },
			]);
		};
		// A link between two duplicates of this batch would move twice (to two survivors): refused.
		const seen = new Set<string>();
		const twice = new Set<string>();
		for (const row of rows) (seen.has(row.linkId) ? twice : seen).add(row.linkId);
		const moves: Move[] = [];
		for (const row of rows) {
			const side = other(row.toSide);
			const item = itemOf.get(`${side}\u0000${recordKeyString(row.labelId, row.fromRecordId)}`)!;
			const label = byId.get(row.labelId)!;
			const stored =
				side === 'first'
					? { firstRecordId: item.duplicateId, secondRecordId: row.toRecordId }
					: { firstRecordId: row.toRecordId, secondRecordId: item.duplicateId };
			let to: LinkKey =
				side === 'first'
					? { labelId: label.id, firstRecordId: item.survivorId, secondRecordId: row.toRecordId }
					: { labelId: label.id, firstRecordId: row.toRecordId, secondRecordId: item.survivorId };
			if (label.symmetric && to.secondRecordId < to.firstRecordId)
				to = {
					labelId: label.id,
					firstRecordId: to.secondRecordId,
					secondRecordId: to.firstRecordId,
				};
			const link = toLink(label, { id: row.linkId, labelId: label.id, ...stored, createdAt: '' });
			const move = { item, label, side, link, to };
			if (to.firstRecordId === to.secondRecordId) {
				refuse(move, selfLinkError(item, label, row.linkId));
				continue;
			}
			if (twice.has(row.linkId)) {
				if (side === 'first') refuse(move, betweenDuplicatesError(item, label, row.linkId));
				continue;
			}
			moves.push(move);
		}
		// The survivor already has the link (or an earlier move of this batch gives it to it): drop, not duplicate.
		const taken = new LinkKeyMap<true>();
		for (const link of await repo.links.find(moves.map((move) => move.to))) taken.set(link, true);
		const toMove: Move[] = [];
		const toDrop: Move[] = [];
		for (const move of moves) {
			if (taken.get(move.to)) toDrop.push(move);
			else {
				taken.set(move.to, true);
				toMove.push(move);
			}
		}
		const admitted = await admitMoves(repo, toMove, refuse);
		const now = new Date().toISOString();
		const movedLinks = LinkKeyMap.of(
			await repo.graph.move(admitted.map((move): LinkMove => ({ id: move.link.id, ...move.to }))),
		);
		const droppedIds = new Set(
			(await repo.links.delete(toDrop.map((move) => move.link))).map((link) => link.id),
		);
		const events: NewEvent[] = [];
		const outcome = new Map(
			items.map((item) => [item, { moved: [] as Link[], dropped: [] as Link[] }]),
		);
		for (const move of admitted) {
			const stored = movedLinks.get(move.to)!;
			const link = toLink(move.label, stored);
			outcome.get(move.item)!.moved.push(link);
			const event = linkEvent('link.moved', link);
			event.data = {
				...event.data,
				mergedFrom: move.item.duplicateId,
				mergedInto: move.item.survivorId,
				previousFirstRecordId: move.link.firstRecordId,
				previousSecondRecordId: move.link.secondRecordId,
			};
			events.push(event);
		}
		for (const move of toDrop) {
			if (!droppedIds.has(move.link.id)) continue;
			outcome.get(move.item)!.dropped.push(move.link);
			const event = linkEvent('link.deleted', move.link);
			event.data = {
				...event.data,
				mergedFrom: move.item.duplicateId,
				mergedInto: move.item.survivorId,
				reason: 'survivor already linked',
			};
			events.push(event);
		}
		await repo.events.append(namespace, actor, events, now);
		for (const item of items) {
			const { moved, dropped } = outcome.get(item)!;
			results[item.index] = {
				index: item.index,
				status: 'merged',
				objectKey: item.objectKey,
				survivorId: item.survivorId,
				duplicateId: item.duplicateId,
				moved,
				dropped,
				refused: refused.get(item) ?? [],
			};
		}
		return assertEveryResult(results, inputs.length, 'merge');
	});
}

function selfLinkError(item: Parsed, label: AssociationLabel, linkId: string): AssociationError {
	return new AssociationError(
		'VALIDATION',
		`Merging ${item.objectKey} "${item.duplicateId}" into "${item.survivorId}" would link "${item.survivorId}" to itself through label "${label.key}" (link ${linkId} joins the two). Unlink the two records under "${label.key}" first, or merge with Continue On Fail to leave that link on "${item.duplicateId}".`,
		{ labelKey: label.key, linkId, recordId: item.survivorId },
	);
}

function betweenDuplicatesError(
	item: Parsed,
	label: AssociationLabel,
	linkId: string,
): AssociationError {
	return new AssociationError(
		'VALIDATION',
		`Link ${linkId} (label "${label.key}") joins ${item.objectKey} "${item.duplicateId}" to another duplicate merged in the same batch, so it would move to two survivors. Run these merges one after the other.`,
		{ labelKey: label.key, linkId, recordId: item.duplicateId },
	);
}
