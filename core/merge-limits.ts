import { AssociationError } from './errors';
import type { Move } from './merge';
import { recordKeyString, type AssociationRepository, type LabelRecord } from './store/repository';
import type { Side } from './types';

/**
 * Per-record limits of the survivors, set-based: committed links of each (label, survivor, side) read in one
 * statement per side, plus the moves admitted so far, in link order. Symmetric labels count both sides.
 */
export async function admitMoves(
	repo: AssociationRepository,
	moves: Move[],
	refuse: (move: Move, error: AssociationError) => void,
): Promise<Move[]> {
	const wanted: Record<Side, { labelId: string; recordId: string }[]> = { first: [], second: [] };
	for (const move of moves) {
		const record = { labelId: move.label.id, recordId: move.item.survivorId };
		for (const side of move.label.symmetric ? (['first', 'second'] as const) : [move.side])
			wanted[side].push(record);
	}
	const committed = {
		first: await countsOf(repo, 'first', wanted.first),
		second: await countsOf(repo, 'second', wanted.second),
	};
	const tally = new Map<string, number>();
	const admitted: Move[] = [];
	for (const move of moves) {
		const record = recordKeyString(move.label.id, move.item.survivorId);
		const side: Side = move.label.symmetric ? 'first' : move.side;
		const key = `${side}\u0000${record}`;
		const count =
			tally.get(key) ??
			(move.label.symmetric
				? (committed.first.get(record) ?? 0) + (committed.second.get(record) ?? 0)
				: (committed[side].get(record) ?? 0));
		const limit = side === 'first' ? move.label.firstLimit : move.label.secondLimit;
		if (count >= limit) {
			tally.set(key, count);
			refuse(move, limitError(move, count, limit));
			continue;
		}
		tally.set(key, count + 1);
		admitted.push(move);
	}
	return admitted;
}

/** Committed links per (label, record) on one side, keyed by recordKeyString. */
async function countsOf(
	repo: AssociationRepository,
	side: Side,
	records: LabelRecord[],
): Promise<Map<string, number>> {
	const distinct = new Map<string, LabelRecord>();
	for (const record of records)
		distinct.set(recordKeyString(record.labelId, record.recordId), record);
	const counts = await repo.links.countBySide(side, [...distinct.values()]);
	return new Map([...distinct.keys()].map((key, i) => [key, counts[i]]));
}

function limitError(move: Move, count: number, limit: number): AssociationError {
	const { item, label, side } = move;
	return new AssociationError(
		'RECORD_LIMIT',
		`Merging ${item.objectKey} "${item.duplicateId}" into "${item.survivorId}" would give "${item.survivorId}" more than ${limit} links through label "${label.key}" (limit ${limit} per record on the ${side} side; it has ${count}). Unlink some of the two records' links under "${label.key}", or raise the label's limit.`,
		{ labelKey: label.key, side, recordId: item.survivorId, limit, linkId: move.link.id },
	);
}
