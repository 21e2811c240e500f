import { decodeCursor, encodeCursor } from './cursor';
import { labelsOfObject } from './label-lookup';
import { MAX_LABELS_PER_OBJECT_PAIR } from './limits';
import * as schemas from './schemas';
import type { Store } from './store/store';
import { linkKeyString } from './store/repository';
import type {
	AssociationLabel,
	CountQueryInput,
	LabelBetween,
	LabelsBetweenInput,
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

/** Queries from one record's point of view: what is it linked to, and how. */
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
			const page = rows.slice(0, parsed.limit);
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
				nextCursor: rows.length > parsed.limit ? encodeCursor(page[page.length - 1].id) : null,
			};
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

	/** Every label that links the two records, as seen from the first record given. */
	async labelsBetween(input: LabelsBetweenInput): Promise<LabelBetween[]> {
		const { first, second } = schemas.parse(schemas.labelsBetweenInput, input, 'records');
		return this.store.read(async (repo) => {
			const labels = await repo.labels.list(this.namespace, {
				objectKey: first.objectKey,
				otherObjectKey: second.objectKey,
				limit: MAX_LABELS_PER_OBJECT_PAIR,
			});
			// Candidate stored keys: the first record on the first side, on the second side, or (symmetric) in canonical order.
			const candidates = labels.flatMap((label) => {
				const keys = [];
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
			const found = new Map(
				(await repo.links.find(candidates.map((c) => c.key))).map((link) => [
					linkKeyString(link),
					link,
				]),
			);
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
		});
	}
}
