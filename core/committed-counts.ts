import type { AssociationRepository, LabelRecord } from './store/repository';
import type { Side } from './types';

/**
 * A label with at least this many records asked for on one side is first offered a read of the whole
 * side (answered only when the label holds fewer links than that); below it, asking record by record
 * is cheap anyway and one statement less.
 */
const WHOLE_SIDE_FROM = 500;

/**
 * Committed links per (label, record) on each side, read at most once per batch: the existence check and
 * the per-record limits ask for the same counts. Kept by label, then record id (no key string per record).
 * A label side read whole answers every record of it (0 for a record it does not name).
 */
export class CommittedCounts {
	private readonly known: Record<Side, Map<string, Map<string, number>>> = {
		first: new Map(),
		second: new Map(),
	};
	private readonly whole: Record<Side, Set<string>> = { first: new Set(), second: new Set() };

	constructor(private readonly repo: AssociationRepository) {}

	/** Reads the counts of the given distinct records that were not read yet. */
	async load(side: Side, records: LabelRecord[]): Promise<void> {
		let missing = records.filter((record) => this.count(side, record) === undefined);
		if (missing.length >= WHOLE_SIDE_FROM && (await this.loadWholeSides(side, missing)))
			missing = missing.filter((record) => !this.whole[side].has(record.labelId));
		if (missing.length === 0) return;
		const counts = await this.repo.links.countBySide(side, missing);
		for (let i = 0; i < missing.length; i++)
			this.byRecord(side, missing[i].labelId).set(missing[i].recordId, counts[i]);
	}

	/** A loaded count (0 for a record never loaded). */
	get(side: Side, record: LabelRecord): number {
		return this.count(side, record) ?? 0;
	}

	/** Reads whole the sides of labels asked for more records than they hold links; whether any was. */
	private async loadWholeSides(side: Side, missing: LabelRecord[]): Promise<boolean> {
		const asked = new Map<string, number>();
		for (const { labelId } of missing) asked.set(labelId, (asked.get(labelId) ?? 0) + 1);
		let any = false;
		for (const [labelId, records] of asked) {
			if (records < WHOLE_SIDE_FROM) continue;
			const counts = await this.repo.links.sideCountsIfSmall(labelId, side, records);
			if (!counts) continue;
			this.known[side].set(labelId, counts);
			this.whole[side].add(labelId);
			any = true;
		}
		return any;
	}

	private byRecord(side: Side, labelId: string): Map<string, number> {
		let byRecord = this.known[side].get(labelId);
		if (!byRecord) this.known[side].set(labelId, (byRecord = new Map()));
		return byRecord;
	}

	private count(side: Side, { labelId, recordId }: LabelRecord): number | undefined {
		const count = this.known[side].get(labelId)?.get(recordId);
		return count === undefined && this.whole[side].has(labelId) ? 0 : count;
	}
}
