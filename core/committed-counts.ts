import { recordKeyString, type AssociationRepository, type LabelRecord } from './store/repository';
import type { Side } from './types';

/**
 * Committed links per (label, record) on each side, read at most once per batch: the existence check and
 * the per-record limits ask for the same counts.
 */
export class CommittedCounts {
	private readonly known: Record<Side, Map<string, number>> = {
		first: new Map(),
		second: new Map(),
	};

	constructor(private readonly repo: AssociationRepository) {}

	/** Reads the counts of the given records (keyed by recordKeyString) that were not read yet. */
	async load(side: Side, records: Map<string, LabelRecord>): Promise<void> {
		const known = this.known[side];
		const missing: LabelRecord[] = [];
		for (const [key, record] of records) if (!known.has(key)) missing.push(record);
		if (missing.length === 0) return;
		const counts = await this.repo.links.countBySide(side, missing);
		for (const record of missing) {
			const key = recordKeyString(record.labelId, record.recordId);
			known.set(key, counts.get(key) ?? 0);
		}
	}

	/** A loaded count (0 for a record never loaded). */
	get(side: Side, recordKey: string): number {
		return this.known[side].get(recordKey) ?? 0;
	}
}
