import { encodeCursor } from './cursor';
import { isAssociationError } from './errors';
import { labelsOfObject } from './label-lookup';
import {
	linkKeyString,
	type AssociationRepository,
	type LinkKey,
	type RelatedRow,
	type StoredLink,
} from './store/repository';
import type { AssociationLabel, LabelBetween, LabelRef, QueryOutcome, RelatedPage } from './types';

/** The helpers of Related's queries: plans, pages, per-query outcomes, Labels Between candidates. */

/** Which labels to scan, and from which side, for one record. */
export function plan(
	labels: AssociationLabel[],
	objectKey: string,
	relatedObjectKey: string | undefined,
) {
	const asFirst = labels.filter(
		(label) =>
			label.firstObjectKey === objectKey &&
			(relatedObjectKey === undefined || label.secondObjectKey === relatedObjectKey),
	);
	const asSecond = labels.filter(
		(label) =>
			label.secondObjectKey === objectKey &&
			(relatedObjectKey === undefined || label.firstObjectKey === relatedObjectKey),
	);
	return { asFirst: asFirst.map((label) => label.id), asSecond: asSecond.map((label) => label.id) };
}

/** A query's rows as a page: at most `limit` records, and a cursor when the scan found one more. */
export function pageOf(
	rows: RelatedRow[],
	limit: number,
	byId: Map<string, AssociationLabel>,
): RelatedPage {
	const page = rows.slice(0, limit);
	return {
		items: page.map((row) => {
			const label = byId.get(row.labelId)!;
			return {
				objectKey: row.side === 'first' ? label.firstObjectKey : label.secondObjectKey,
				recordId: row.recordId,
				label: row.side === 'first' ? label.firstLabel : label.secondLabel,
				labelKey: label.key,
				labelId: label.id,
				side: row.side,
				linkId: row.id,
				linkedAt: row.createdAt,
			};
		}),
		nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
	};
}

/** The outcome of `work`: its value, or the AssociationError it threw (anything else propagates). */
export async function attempt<T>(work: () => T | Promise<T>): Promise<QueryOutcome<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		if (!isAssociationError(error)) throw error;
		return { ok: false, error };
	}
}

/** labelsOfObject, read once per distinct (object, label refs) of a batch. */
export function labelResolver(repo: AssociationRepository, namespace: string) {
	const cache = new Map<string, Promise<QueryOutcome<AssociationLabel[]>>>();
	return (objectKey: string, refs: LabelRef[] | undefined) => {
		const key = `${objectKey}\0${JSON.stringify(refs ?? [])}`;
		let found = cache.get(key);
		if (!found) {
			found = attempt(() => labelsOfObject(repo, namespace, objectKey, refs));
			cache.set(key, found);
		}
		return found;
	};
}

export interface Parsed {
	objectKey: string;
	recordId: string;
	labels?: LabelRef[];
	relatedObjectKey?: string;
}

/** Per query: its labels (or its error), and the scan to run for it. */
export async function prepare<Q extends Parsed>(
	repo: AssociationRepository,
	namespace: string,
	parsed: Array<QueryOutcome<Q>>,
) {
	const labelsOf = labelResolver(repo, namespace);
	const prepared: Array<
		QueryOutcome<{ query: Q; byId: Map<string, AssociationLabel>; scan: ReturnType<typeof plan> }>
	> = [];
	for (const outcome of parsed) {
		if (!outcome.ok) {
			prepared.push(outcome);
			continue;
		}
		const query = outcome.value;
		const labels = await labelsOf(query.objectKey, query.labels);
		if (!labels.ok) {
			prepared.push(labels);
			continue;
		}
		prepared.push({
			ok: true,
			value: {
				query,
				byId: new Map(labels.value.map((label) => [label.id, label])),
				scan: plan(labels.value, query.objectKey, query.relatedObjectKey),
			},
		});
	}
	return prepared;
}

/** A Labels Between candidate: a stored link key that would link the two records under a label. */
export interface Candidate {
	label: AssociationLabel;
	firstIsFirst: boolean;
	key: LinkKey;
}

/** Candidate stored keys: the first record on the first side, on the second side, or (symmetric) in canonical order. */
export function candidatesOf(
	labels: AssociationLabel[],
	first: { objectKey: string; recordId: string },
	second: { objectKey: string; recordId: string },
): Candidate[] {
	return labels.flatMap((label) => {
		const keys: Candidate[] = [];
		if (label.firstObjectKey === first.objectKey && label.secondObjectKey === second.objectKey)
			keys.push({
				label,
				firstIsFirst: true,
				key: {
					labelId: label.id,
					firstRecordId: first.recordId,
					secondRecordId: second.recordId,
				},
			});
		if (
			label.secondObjectKey === first.objectKey &&
			label.firstObjectKey === second.objectKey &&
			!label.symmetric
		)
			keys.push({
				label,
				firstIsFirst: false,
				key: {
					labelId: label.id,
					firstRecordId: second.recordId,
					secondRecordId: first.recordId,
				},
			});
		if (label.symmetric && second.recordId < first.recordId)
			keys[0] = {
				label,
				firstIsFirst: true,
				key: {
					labelId: label.id,
					firstRecordId: second.recordId,
					secondRecordId: first.recordId,
				},
			};
		return keys;
	});
}

export function labelsFound(
	candidates: Candidate[],
	found: Map<string, StoredLink>,
): LabelBetween[] {
	return candidates.flatMap(({ label, firstIsFirst, key }) => {
		const link = found.get(linkKeyString(key));
		if (!link) return [];
		return [
			{
				labelId: label.id,
				labelKey: label.key,
				firstRecordLabel: firstIsFirst ? label.firstLabel : label.secondLabel,
				secondRecordLabel: firstIsFirst ? label.secondLabel : label.firstLabel,
				linkId: link.id,
				linkedAt: link.createdAt,
			},
		];
	});
}

/** The value of a one-query batch, or its error thrown. */
export function only<T>([outcome]: Array<QueryOutcome<T>>): T {
	if (!outcome.ok) throw outcome.error;
	return outcome.value;
}
