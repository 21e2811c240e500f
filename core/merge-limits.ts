import { CommittedCounts } from './committed-counts';
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
	// Each (label, survivor, side) once: CommittedCounts reads the records it is given.
	const wanted: Record<Side, Map<string, LabelRecord>> = { first: new Map(), second: new Map() };
	for (const move of moves) {
		const record = { labelId: move.label.id, recordId: move.item.survivorId };
		const key = recordKeyString(record.labelId, record.recordId);
		for (const side of move.label.symmetric ? (['first', 'second'] as const) : [move.side])
			wanted[side].set(key, record);
	}
	const committed = new CommittedCounts(repo);
	await committed.load('first', [...wanted.first.values()]);
	await committed.load('second', [...wanted.second.values()]);
	const tally = new Map<string, number>();
	const admitted: Move[] = [];
	for (const move of moves) {
		const record = { labelId: move.label.id, recordId: move.item.survivorId };
		const side: Side = move.label.symmetric ? 'first' : move.side;
		const key = `${side}\u0000${recordKeyString(record.labelId, record.recordId)}`;
		const count =
			tally.get(key) ??
			(move.label.symmetric
				? committed.get('first', record) + committed.get('second', record)
				: committed.get(side, record));
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

function limitError(move: Move, count: number, limit: number): AssociationError {
	const { item, label, side } = move;
	return new AssociationError(
		'RECORD_LIMIT',
		`Merging ${item.objectKey} "${item.duplicateId}" into "${item.survivorId}" would give "${item.survivorId}" more than ${limit} links through label "${label.key}" (limit ${limit} per record on the ${side} side; it has ${count}). Unlink some of the two records' links under "${label.key}", or raise the label's limit.`,
		{ labelKey: label.key, side, recordId: item.survivorId, limit, linkId: move.link.id },
	);
}
