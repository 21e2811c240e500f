import type { AssociationRepository, LabelRecord } from './store/repository';
import type { Side } from './types';

/**
 * Committed links per (label, record) on each side, read at most once per batch: the existence check and
 * the per-record limits ask for the same counts. Kept by label, then record id (no key string per record).
 */
export class CommittedCounts {
	private readonly known: Record<Side, Map<string, Map<string, number>>> = {
		first: new Map(),
		second: new Map(),
	};

	constructor(private readonly repo: AssociationRepository) {}

	/** Reads the counts of the given distinct records that were not read yet. */
	async load(side: Side, records: LabelRecord[]): Promise<void> {
		const missing = records.filter((record) => this.count(side, record) === undefined);
		if (missing.length === 0) return;
		const counts = await this.repo.links.countBySide(side, missing);
		const known = this.known[side];
		for (let i = 0; i < missing.length; i++) {
			const { labelId, recordId } = missing[i];
			let byRecord = known.get(labelId);
			if (!byRecord) known.set(labelId, (byRecord = new Map()));
			byRecord.set(recordId, counts[i]);
		}
	}

	/** A loaded count (0 for a record never loaded). */
	get(side: Side, record: LabelRecord): number {
		return this.count(side, record) ?? 0;
	}

	private count(side: Side, { labelId, recordId }: LabelRecord): number | undefined {
		return this.known[side].get(labelId)?.get(recordId);
	}
}
