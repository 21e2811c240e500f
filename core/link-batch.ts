import type { CommittedCounts } from './committed-counts';
import { LinkKeyMap } from './link-key-map';
import { linkOfPlan, type PlannedLink } from './link-plan';
import { type AssociationRepository, type LabelRecord, type LinkKey } from './store/repository';
import { BATCH_ROWS } from './store/repositories/sql-batch';
import type { Link, LinkResult, Side } from './types';

/**
 * A batch names at most this share of distinct records on one side for its counts to stand in for the
 * existence probe (see mayExist); above it, every link is probed.
 */
const FEW_RECORDS = 1 / 4;

const sameKey = (a: LinkKey, b: LinkKey): boolean =>
	a.labelId === b.labelId &&
	a.firstRecordId === b.firstRecordId &&
	a.secondRecordId === b.secondRecordId;

const alreadyLinked = (plan: PlannedLink, id: string, createdAt: string): LinkResult => ({
	index: plan.index,
	status: 'already_linked',
	link: linkOfPlan(plan, id, createdAt),
});

/**
 * The batch's links that may already be stored. A stored link's record on either side has committed links
 * under its label on that side; when a batch names few records on one side, their counts (which the
 * limits need anyway) clear every link of a record without links, so a batch of new links is not probed
 * link by link.
 */
export async function mayExist(
	unique: PlannedLink[],
	committed: CommittedCounts,
): Promise<PlannedLink[]> {
	for (const side of ['first', 'second'] as Side[]) {
		const most = unique.length * FEW_RECORDS;
		// Each link's record as its position among the distinct records (nested by label, no key strings).
		const ordinals = new Map<string, Map<string, number>>();
		const records: LabelRecord[] = [];
		const recordOf = new Int32Array(unique.length);
		for (let i = 0; i < unique.length && records.length <= most; i++) {
			const { labelId, firstRecordId, secondRecordId } = unique[i];
			const recordId = side === 'first' ? firstRecordId : secondRecordId;
			let byRecord = ordinals.get(labelId);
			if (!byRecord) ordinals.set(labelId, (byRecord = new Map()));
			let ordinal = byRecord.get(recordId);
			if (ordinal === undefined) {
				byRecord.set(recordId, (ordinal = records.length));
				records.push({ labelId, recordId });
			}
			recordOf[i] = ordinal;
		}
		if (records.length > most) continue;
		await committed.load(side, records);
		const linked = records.map((record) => committed.get(side, record) > 0);
		return unique.filter((_, i) => linked[recordOf[i]]);
	}
	return unique;
}

/**
 * Answers the probed links that are stored (already_linked) and returns the others, in batch order.
 */
export async function answerExisting(
	repo: AssociationRepository,
	unique: PlannedLink[],
	probe: PlannedLink[],
	results: LinkResult[],
): Promise<PlannedLink[]> {
	if (probe.length === 0) return unique;
	const found = await repo.links.findByIndex(probe);
	for (const { index, id, createdAt } of found) {
		const plan = probe[index];
		results[plan.index] = alreadyLinked(plan, id, createdAt);
	}
	return found.length === 0 ? unique : unique.filter((plan) => results[plan.index] === undefined);
}

/**
 * Inserts the accepted links and answers them created; returns the new links in batch order (for the
 * events). A link the insert skipped as stored meanwhile is answered already_linked. One statement's worth
 * at a time, so only one statement's returned rows are held; the answers share the plan's record ids and
 * the batch's timestamp instead of holding the driver's copies of them.
 */
export async function insertAccepted(
	repo: AssociationRepository,
	namespace: string,
	accepted: PlannedLink[],
	firstOccurrence: LinkKeyMap<PlannedLink>,
	results: LinkResult[],
	createdAt: string,
): Promise<Link[]> {
	let inserted = 0;
	for (let start = 0; start < accepted.length; start += BATCH_ROWS) {
		const chunk = accepted.slice(start, start + BATCH_ROWS);
		const stored = await repo.links.insert(namespace, chunk, createdAt);
		inserted += stored.length;
		for (let i = 0; i < stored.length; i++) {
			const row = stored[i];
			// The rows come back in insert order in practice; the map covers any other order.
			const plan = i < chunk.length && sameKey(chunk[i], row) ? chunk[i] : firstOccurrence.get(row);
			if (!plan) continue;
			const link = linkOfPlan(
				plan,
				row.id,
				row.createdAt === createdAt ? createdAt : row.createdAt,
			);
			results[plan.index] = { index: plan.index, status: 'created', link };
		}
	}
	if (inserted < accepted.length) {
		const skipped = accepted.filter((plan) => results[plan.index] === undefined);
		for (const row of await repo.links.find(skipped)) {
			const plan = firstOccurrence.get(row);
			if (plan) results[plan.index] = alreadyLinked(plan, row.id, row.createdAt);
		}
	}
	const created: Link[] = [];
	for (const plan of accepted) {
		const result = results[plan.index];
		if (result?.status === 'created') created.push(result.link);
	}
	return created;
}

/** Repeats of a link inside the batch: the first occurrence decided, the rest are "already linked". */
export function answerRepeats(
	repeats: PlannedLink[],
	firstOccurrence: LinkKeyMap<PlannedLink>,
	results: LinkResult[],
): void {
	for (const plan of repeats) {
		const first = results[firstOccurrence.get(plan)!.index];
		if (first === undefined) continue;
		results[plan.index] =
			first.status === 'error'
				? { ...first, index: plan.index }
				: { index: plan.index, status: 'already_linked', link: { ...first.link } };
	}
}
