import { AssociationError } from './errors';
import * as eventSchemas from './event-schemas';
import * as schemas from './schemas';
import type { AssociationRepository } from './store/repository';
import type { Store } from './store/store';
import type { EventFilter, EventPage, EventsSince, LabelRef } from './types';

interface HistoryCursor {
	position: number;
	order: 'newest' | 'oldest';
}

const encodeCursor = (cursor: HistoryCursor): string =>
	Buffer.from(JSON.stringify({ p: cursor.position, o: cursor.order })).toString('base64url');

function decodeCursor(cursor: string, order: 'newest' | 'oldest'): number {
	try {
		const { p, o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
			p?: unknown;
			o?: unknown;
		};
		if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && o === order) return p;
	} catch {
		// fall through to the error below
	}
	throw new AssociationError(
		'VALIDATION',
		`Invalid history cursor "${cursor}": pass the nextCursor of the previous page unchanged, with the same order, or leave it empty for the first page.`,
	);
}

/**
 * A namespace's event history: paged reads for people, and the trigger's read-since-cursor.
 * Positions are handed out in commit order (see the AddEventPositions migration), so "after position p,
 * up to the committed counter value" is a complete, final set: nothing can appear in it later.
 */
export class EventLog {
	constructor(
		private readonly store: Store,
		private readonly namespace: string,
	) {}

	/** One page of events, newest or oldest first, with the cursor of the next page. */
	async history(query: eventSchemas.HistoryQueryInput = {}): Promise<EventPage> {
		const parsed = schemas.parse(eventSchemas.historyQueryInput, query, 'history query');
		const from = parsed.cursor ? decodeCursor(parsed.cursor, parsed.order) : undefined;
		return this.store.read(async (repo) => {
			const filter = await this.resolveFilter(repo, parsed);
			const rows = await repo.events.find({
				...filter,
				namespace: this.namespace,
				order: parsed.order === 'newest' ? 'desc' : 'asc',
				limit: parsed.limit + 1,
				...(from === undefined
					? {}
					: parsed.order === 'newest'
						? { before: from }
						: { after: from }),
			});
			const items = rows.slice(0, parsed.limit);
			const last = items[items.length - 1];
			return {
				items,
				nextCursor:
					rows.length > parsed.limit
						? encodeCursor({ position: last.position, order: parsed.order })
						: null,
			};
		});
	}

	/** The last committed position: where a new reader starts ("from now on"). */
	async horizon(): Promise<number> {
		return this.store.read((repo) => repo.events.horizon(this.namespace));
	}

	/**
	 * The matching events after a cursor, oldest first, at most `limit`, and the cursor to store: the last
	 * event returned when more wait, else the horizon (events in between did not match the filter).
	 * Everything is read in one snapshot, so the horizon and the events agree.
	 */
	async since(input: eventSchemas.EventsSinceInput): Promise<EventsSince> {
		const parsed = schemas.parse(eventSchemas.eventsSinceInput, input, 'events query');
		return this.store.read(async (repo) => {
			const horizon = await repo.events.horizon(this.namespace);
			if (horizon === parsed.after) return { events: [], cursor: horizon, more: false, pruned: 0 };
			// A cursor beyond the counter belongs to a store that was replaced (say, a deleted SQLite file):
			// everything in this one is new to the reader, so it starts at its beginning rather than skip it.
			const after = parsed.after > horizon ? 0 : parsed.after;
			const oldest = await repo.events.oldestPosition(this.namespace);
			const firstKept = oldest ?? horizon + 1;
			const pruned = Math.max(0, Math.min(firstKept - 1, horizon) - after);
			const filter = await this.resolveFilter(repo, parsed);
			const rows = await repo.events.find({
				...filter,
				namespace: this.namespace,
				after,
				upTo: horizon,
				order: 'asc',
				limit: parsed.limit + 1,
			});
			const more = rows.length > parsed.limit;
			const events = rows.slice(0, parsed.limit);
			return {
				events,
				cursor: more ? events[events.length - 1].position : horizon,
				more,
				pruned,
			};
		});
	}

	/**
	 * Retention: removes events created before `before`, in batches of `batchSize`, each its own short
	 * transaction (writers wait at most one batch), at most `maxBatches` per call. Returns how many.
	 * The counter is kept, so positions are never reused and a trigger's cursor stays valid.
	 */
	async prune(input: eventSchemas.PruneInput): Promise<number> {
		const parsed = schemas.parse(eventSchemas.pruneInput, input, 'retention');
		const before = new Date(parsed.before).toISOString();
		let total = 0;
		for (let batch = 0; batch < parsed.maxBatches; batch++) {
			const deleted = await this.store.write((repo) =>
				repo.events.prune(this.namespace, before, parsed.batchSize),
			);
			total += deleted;
			if (deleted < parsed.batchSize) break;
			await new Promise((resolve) => setImmediate(resolve));
		}
		return total;
	}

	/** Labels given by id become keys (history outlives labels, so keys are what events are filed under). */
	private async resolveFilter(
		repo: AssociationRepository,
		input: { types?: EventFilter['types']; labels?: LabelRef[] } & Omit<
			EventFilter,
			'types' | 'labelKeys'
		>,
	): Promise<EventFilter> {
		const refs = input.labels ?? [];
		const ids = refs.flatMap((ref) => ('id' in ref ? [{ id: ref.id }] : []));
		const found = ids.length > 0 ? await repo.labels.find(this.namespace, ids) : [];
		for (const { id } of ids) {
			if (!found.some((label) => label.id === id))
				throw new AssociationError(
					'NOT_FOUND',
					`No label with id "${id}" in namespace "${this.namespace}"; filter a deleted label by its key instead.`,
				);
		}
		const labelKeys = [
			...refs.flatMap((ref) => ('key' in ref ? [ref.key] : [])),
			...found.map((label) => label.key),
		];
		return {
			...(input.types?.length ? { types: input.types } : {}),
			...(labelKeys.length ? { labelKeys } : {}),
			...(input.objectKey ? { objectKey: input.objectKey } : {}),
			...(input.record
				? { record: { ...input.record, recordId: String(input.record.recordId) } }
				: {}),
		};
	}
}
