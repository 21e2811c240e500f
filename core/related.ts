import { decodeCursor, encodeCursor } from './cursor';
import { isAssociationError } from './errors';
import { labelsOfObject } from './label-lookup';
import { MAX_LABELS_PER_OBJECT_PAIR } from './limits';
import * as schemas from './schemas';
import type { Store } from './store/store';
import {
	linkKeyString,
	type AssociationRepository,
	type LinkKey,
	type RelatedRow,
	type StoredLink,
} from './store/repository';
import type {
	AssociationLabel,
	CountQueryInput,
	LabelBetween,
	LabelRef,
	LabelsBetweenInput,
	QueryOutcome,
	RelatedPage,
	RelatedQueryInput,
} from './types';

/** Which labels to scan, and from which side, for one record. */
function plan(labels: AssociationLabel[], objectKey: string, relatedObjectKey: string | undefined) {
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
function pageOf(
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
async function attempt<T>(work: () => T | Promise<T>): Promise<QueryOutcome<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		if (!isAssociationError(error)) throw error;
		return { ok: false, error };
	}
}

/** labelsOfObject, read once per distinct (object, label refs) of a batch. */
function labelResolver(repo: AssociationRepository, namespace: string) {
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

interface Parsed {
	objectKey: string;
	recordId: string;
	labels?: LabelRef[];
	relatedObjectKey?: string;
}

/** Per query: its labels (or its error), and the scan to run for it. */
async function prepare<Q extends Parsed>(
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
interface Candidate {
	label: AssociationLabel;
	firstIsFirst: boolean;
	key: LinkKey;
}

/** Candidate stored keys: the first record on the first side, on the second side, or (symmetric) in canonical order. */
function candidatesOf(
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

function labelsFound(candidates: Candidate[], found: Map<string, StoredLink>): LabelBetween[] {
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
function only<T>([outcome]: Array<QueryOutcome<T>>): T {
	if (!outcome.ok) throw outcome.error;
	return outcome.value;
}

/**
 * Queries from one record's point of view: what is it linked to, and how. Each has a batch form (listMany,
 * countMany, labelsBetweenMany) answering many queries in one read with a few set-based statements, each
 * query's answer (or its own error, such as an unknown label) in query order.
 */
export class Related {
	constructor(
		private readonly store: Store,
		private readonly namespace: string,
	) {}

	async list(query: RelatedQueryInput): Promise<RelatedPage> {
		const parsed = schemas.parse(schemas.relatedQueryInput, query, 'related-records query');
		const afterId = parsed.cursor ? decodeCursor(parsed.cursor) : undefined;
		return this.store.read(async (repo) => {
			const labels = await labelsOfObject(repo, this.namespace, parsed.objectKey, parsed.labels);
			const byId = new Map(labels.map((label) => [label.id, label]));
			const rows = await repo.links.scanRelated({
				...plan(labels, parsed.objectKey, parsed.relatedObjectKey),
				recordId: parsed.recordId,
				afterId,
				limit: parsed.limit + 1,
			});
			return pageOf(rows, parsed.limit, byId);
		});
	}

	/** list for many queries: one read, the rows of all of them in one statement (or a few). */
	async listMany(queries: RelatedQueryInput[]): Promise<Array<QueryOutcome<RelatedPage>>> {
		if (queries.length === 0) return [];
		const parsed = await Promise.all(
			queries.map((query) =>
				attempt(() => {
					const value = schemas.parse(schemas.relatedQueryInput, query, 'related-records query');
					return { ...value, afterId: value.cursor ? decodeCursor(value.cursor) : undefined };
				}),
			),
		);
		if (!parsed.some((outcome) => outcome.ok)) return parsed as Array<QueryOutcome<never>>;
		return this.store.read(async (repo) => {
			const prepared = await prepare(repo, this.namespace, parsed);
			const scans = prepared.flatMap((outcome) =>
				outcome.ok
					? [
							{
								...outcome.value.scan,
								recordId: outcome.value.query.recordId,
								afterId: outcome.value.query.afterId,
								limit: outcome.value.query.limit + 1,
							},
						]
					: [],
			);
			const rows = await repo.links.scanRelatedMany(scans);
			let next = 0;
			return prepared.map((outcome) =>
				outcome.ok
					? {
							ok: true as const,
							value: pageOf(rows[next++], outcome.value.query.limit, outcome.value.byId),
						}
					: outcome,
			);
		});
	}

	async count(query: CountQueryInput): Promise<number> {
		const parsed = schemas.parse(schemas.countQueryInput, query, 'related-records count');
		return this.store.read(async (repo) => {
			const labels = await labelsOfObject(repo, this.namespace, parsed.objectKey, parsed.labels);
			return repo.links.countRelated({
				...plan(labels, parsed.objectKey, parsed.relatedObjectKey),
				recordId: parsed.recordId,
			});
		});
	}

	/** count for many queries: one read, all counts in one statement (or a few). */
	async countMany(queries: CountQueryInput[]): Promise<Array<QueryOutcome<number>>> {
		if (queries.length === 0) return [];
		const parsed = await Promise.all(
			queries.map((query) =>
				attempt(() => schemas.parse(schemas.countQueryInput, query, 'related-records count')),
			),
		);
		if (!parsed.some((outcome) => outcome.ok)) return parsed as Array<QueryOutcome<never>>;
		return this.store.read(async (repo) => {
			const prepared = await prepare(repo, this.namespace, parsed);
			const scans = prepared.flatMap((outcome) =>
				outcome.ok ? [{ ...outcome.value.scan, recordId: outcome.value.query.recordId }] : [],
			);
			const counts = await repo.links.countRelatedMany(scans);
			let next = 0;
			return prepared.map((outcome) =>
				outcome.ok ? { ok: true as const, value: counts[next++] } : outcome,
			);
		});
	}

	/** Every label that links the two records, as seen from the first record given. */
	async labelsBetween(input: LabelsBetweenInput): Promise<LabelBetween[]> {
		return only(await this.labelsBetweenMany([input]));
	}

	/** labelsBetween for many pairs: one read, the labels of each object pair read once, one link lookup. */
	async labelsBetweenMany(
		inputs: LabelsBetweenInput[],
	): Promise<Array<QueryOutcome<LabelBetween[]>>> {
		if (inputs.length === 0) return [];
		const parsed = await Promise.all(
			inputs.map((input) =>
				attempt(() => schemas.parse(schemas.labelsBetweenInput, input, 'records')),
			),
		);
		if (!parsed.some((outcome) => outcome.ok)) return parsed as Array<QueryOutcome<never>>;
		return this.store.read(async (repo) => {
			const labelsOfPair = new Map<string, Promise<AssociationLabel[]>>();
			const candidates: Array<Candidate[] | undefined> = [];
			for (const outcome of parsed) {
				if (!outcome.ok) {
					candidates.push(undefined);
					continue;
				}
				const { first, second } = outcome.value;
				const pair = `${first.objectKey}\0${second.objectKey}`;
				let labels = labelsOfPair.get(pair);
				if (!labels) {
					labels = repo.labels.list(this.namespace, {
						objectKey: first.objectKey,
						otherObjectKey: second.objectKey,
						limit: MAX_LABELS_PER_OBJECT_PAIR,
					});
					labelsOfPair.set(pair, labels);
				}
				candidates.push(candidatesOf(await labels, first, second));
			}
			const found = new Map(
				(await repo.links.find(candidates.flatMap((list) => (list ?? []).map((c) => c.key)))).map(
					(link) => [linkKeyString(link), link],
				),
			);
			return parsed.map((outcome, i) =>
				outcome.ok ? { ok: true as const, value: labelsFound(candidates[i]!, found) } : outcome,
			);
		});
	}
}
