import type { CommittedCounts } from './committed-counts';
import { AssociationError } from './errors';
import { labelName } from './label-names';
import { MAX_LINKS_PER_RECORD } from './limits';
import type { PlannedLink } from './link-plan';
import { recordKeyString, type AssociationRepository, type LabelRecord } from './store/repository';
import type { AssociationLabel, Side } from './types';

/** Links of one (label, record, side): committed ones once read, plus those this batch admitted. */
interface Tally extends LabelRecord {
	count?: number;
	/** Set once a link is refused over it: then the records this batch linked to it are named. */
	admitted?: string[];
}

/** Records named in a refusal to lower a limit. */
const OVER_LIMIT_REPORTED = 10;

const formatLimit = (limit: number): string => limit.toLocaleString('en-US');

/**
 * Per-record limits for new links, in item order: counts of committed links per (label, record, side),
 * plus the links this batch has already admitted. Symmetric labels count both sides for a record.
 * Returns the links admitted; each refused one goes to `fail` with a RECORD_LIMIT error.
 */
export async function admitWithinLimits(
	repo: AssociationRepository,
	fresh: PlannedLink[],
	fail: (index: number, error: AssociationError) => void,
	committed: CommittedCounts,
): Promise<PlannedLink[]> {
	// One tally per (label, record, side) – for symmetric labels one per record, under "first", as both of
	// its sides count – found through nested maps (no string built per item), its record's committed
	// counts asked for once.
	const wanted: Record<Side, Tally[]> = { first: [], second: [] };
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
			byRecord.set(recordId, (tally = { labelId: label.id, recordId }));
			if (label.symmetric) {
				wanted.first.push(tally);
				wanted.second.push(tally);
			} else {
				wanted[side].push(tally);
			}
		}
		return tally;
	};
	const firstTallies = fresh.map((plan) => tallyOf(plan.label, 'first', plan.firstRecordId));
	const secondTallies = fresh.map((plan) => tallyOf(plan.label, 'second', plan.secondRecordId));
	await committed.load('first', wanted.first);
	await committed.load('second', wanted.second);
	const countOf = (label: AssociationLabel, side: Side, tally: Tally): number => {
		tally.count ??= label.symmetric
			? committed.get('first', tally) + committed.get('second', tally)
			: committed.get(side, tally);
		return tally.count;
	};

	const accepted: number[] = [];
	const refused: {
		index: number;
		label: AssociationLabel;
		side: Side;
		recordId: string;
		count: number;
		tally: Tally;
	}[] = [];
	for (let i = 0; i < fresh.length; i++) {
		const plan = fresh[i];
		const { label } = plan;
		let over: [Side, string, Tally] | undefined;
		if (countOf(label, 'first', firstTallies[i]) >= label.firstLimit) {
			over = ['first', plan.firstRecordId, firstTallies[i]];
		} else if (countOf(label, 'second', secondTallies[i]) >= label.secondLimit) {
			over = ['second', plan.secondRecordId, secondTallies[i]];
		}
		if (over) {
			const [side, recordId, tally] = over;
			tally.admitted ??= [];
			refused.push({
				index: plan.index,
				label,
				side,
				recordId,
				count: countOf(label, side, tally),
				tally,
			});
			continue;
		}
		firstTallies[i].count = countOf(label, 'first', firstTallies[i]) + 1;
		secondTallies[i].count = countOf(label, 'second', secondTallies[i]) + 1;
		accepted.push(i);
	}
	// A refused tally is full, so it admits nothing after its first refusal: the records named for it are
	// the first ones admitted to it, found afterwards instead of kept for every record of the batch.
	if (refused.length > 0) {
		for (const i of accepted) {
			admit(firstTallies[i], fresh[i].secondRecordId);
			admit(secondTallies[i], fresh[i].firstRecordId);
		}
		const linked = await linkedRecordsOf(repo, refused);
		for (const { index, label, side, recordId, count, tally } of refused) {
			const stored = linked.get(`${side}|${recordKeyString(label.id, recordId)}`) ?? [];
			const names = [...stored, ...tally.admitted!].slice(0, LINKED_REPORTED);
			fail(index, recordLimitError(label, side, recordId, count, names));
		}
	}
	return accepted.map((i) => fresh[i]);
}

/** Records named in a record-limit error. */
const LINKED_REPORTED = 10;

const admit = (tally: Tally, other: string): void => {
	if (tally.admitted && tally.admitted.length < LINKED_REPORTED) tally.admitted.push(other);
};

/**
 * The records already linked to each refused record, in one query per side (symmetric labels ask both
 * sides, as a record may sit on either), keyed by `${side}|${recordKey}`.
 */
async function linkedRecordsOf(
	repo: AssociationRepository,
	refused: { label: AssociationLabel; side: Side; recordId: string }[],
): Promise<Map<string, string[]>> {
	const wanted: Record<Side, LabelRecord[]> = { first: [], second: [] };
	for (const { label, side, recordId } of refused) {
		if (label.symmetric) {
			wanted.first.push({ labelId: label.id, recordId });
			wanted.second.push({ labelId: label.id, recordId });
		} else {
			wanted[side].push({ labelId: label.id, recordId });
		}
	}
	const found: Record<Side, Map<string, string[]>> = {
		first: await repo.links.linkedRecords('first', wanted.first, LINKED_REPORTED),
		second: await repo.links.linkedRecords('second', wanted.second, LINKED_REPORTED),
	};
	const result = new Map<string, string[]>();
	for (const { label, side, recordId } of refused) {
		const key = recordKeyString(label.id, recordId);
		const names = label.symmetric
			? [...(found.first.get(key) ?? []), ...(found.second.get(key) ?? [])]
			: (found[side].get(key) ?? []);
		result.set(`${side}|${key}`, names.slice(0, LINKED_REPORTED));
	}
	return result;
}

/** "a", "a and b", "a, b and c"; with `total` above the list's length, "…, and N more". */
export function listOfNames(names: string[], total = names.length): string {
	const quoted = names.map((name) => `"${name}"`);
	const rest = total - quoted.length;
	if (rest > 0) return `${quoted.join(', ')} and ${rest.toLocaleString('en-US')} more`;
	if (quoted.length <= 1) return quoted.join('');
	return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

function recordLimitError(
	label: AssociationLabel,
	side: Side,
	recordId: string,
	count: number,
	linked: string[],
): AssociationError {
	const limit = side === 'first' ? label.firstLimit : label.secondLimit;
	const objectKey = side === 'first' ? label.firstObjectKey : label.secondObjectKey;
	const otherObjectKey = side === 'first' ? label.secondObjectKey : label.firstObjectKey;
	const role = side === 'first' ? label.firstLabel : label.secondLabel;
	const where =
		label.firstLabel === label.secondLabel
			? `"${labelName(label)}"`
			: `"${labelName(label)}", as "${role}"`;
	const links = `${formatLimit(count)} link${count === 1 ? '' : 's'}`;
	const named = linked.length > 0 ? `: to ${otherObjectKey} ${listOfNames(linked, count)}` : '';
	return new AssociationError(
		'RECORD_LIMIT',
		`${objectKey} record "${recordId}" already has ${links} through label "${label.key}" (${where}; limit ${formatLimit(limit)} per record)${named}. Unlink one of them, or raise the label's limit (the ceiling is ${formatLimit(MAX_LINKS_PER_RECORD)}).`,
		{ labelKey: label.key, side, recordId, limit, linkedRecordIds: linked },
	);
}

/** Lowering a label's limits is refused while a record already has more links than the new limit. */
export async function refuseRecordsOverLimits(
	repo: AssociationRepository,
	label: AssociationLabel,
	limits: { firstLimit: number; secondLimit: number },
): Promise<void> {
	for (const side of label.symmetric ? (['first'] as const) : (['first', 'second'] as const)) {
		const limit = side === 'first' ? limits.firstLimit : limits.secondLimit;
		if (limit >= (side === 'first' ? label.firstLimit : label.secondLimit)) continue;
		const over = await repo.links.recordsOverLimit(label, side, limit, OVER_LIMIT_REPORTED);
		if (over.length === 0) continue;
		const objectKey = side === 'first' ? label.firstObjectKey : label.secondObjectKey;
		const list = over.map((record) => `"${record.recordId}" (${record.count})`).join(', ');
		const more = over.length === OVER_LIMIT_REPORTED ? ', and possibly more' : '';
		const which = label.symmetric
			? 'the limit'
			: `the "${side === 'first' ? label.firstLabel : label.secondLabel}" (${objectKey}) limit`;
		throw new AssociationError(
			'RECORD_LIMIT',
			`Cannot lower ${which} of label "${label.key}" to ${limit}: these ${objectKey} records already have more links through it: ${list}${more}. Unlink the extra links first, or choose a limit of at least ${over[0].count}.`,
			{ side, limit, records: over },
		);
	}
}
