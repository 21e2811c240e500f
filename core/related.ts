import { MAX_LABELS_PER_OBJECT_PAIR } from './limits';
import {
	attempt,
	candidatesOf,
	labelsFound,
	only,
	pageOf,
	plan,
	prepare,
	type Candidate,
} from './related-queries';
import { decodeCursor } from './cursor';
import { labelsOfObject } from './label-lookup';
import * as schemas from './schemas';
import type { Store } from './store/store';
import { linkKeyString } from './store/repository';
import type {
	AssociationLabel,
	CountQueryInput,
	LabelBetween,
	LabelsBetweenInput,
	QueryOutcome,
	RelatedPage,
	RelatedQueryInput,
} from './types';

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
