import type { AssociationLabel, LabelUsage, Side } from '../../types';
import type { Dialect, SqlExecutor } from '../executor';
import {
	recordKeyString,
	type LabelRecord,
	type LinkKey,
	type LinkRepository,
	type RelatedRow,
	type RelatedScan,
	type StoredLink,
	type FoundLink,
} from '../repository';
import { usageOfLabels } from './label-usage';
import { countRelatedMany, scanRelatedMany } from './related-batch';
import { sideCountsIfSmall } from './side-counts';
import { boundBytes, inChunks, placeholders, rowsAsTable, type Row } from './sql-batch';

const COLUMNS = 'id, label_id, first_record_id, second_record_id, created_at';
/** A batch of links, as rowsAsTable columns. */
const LINK_KEY_COLUMNS = ['label_id', 'first_record_id', 'second_record_id'];
/** Joins the bound batch `v` of LINK_KEY_COLUMNS with the links table `a` on its unique key. */
const ON_LINK_KEY =
	'a.label_id = v.label_id AND a.first_record_id = v.first_record_id AND a.second_record_id = v.second_record_id';
/** A batch of (label, record) pairs. */
const LABEL_RECORD_COLUMNS = ['label_id', 'record_id'];
const linkKeyBytes = (key: LinkKey, dialect: Dialect): number =>
	boundBytes(dialect, [key.labelId, key.firstRecordId, key.secondRecordId]);
// Inserted links bind their label ids compactly (rowsAsTable): about two bytes per row of SQLite's JSON.
const insertedLinkBytes = (key: LinkKey, dialect: Dialect): number =>
	boundBytes(dialect, [key.firstRecordId, key.secondRecordId], 2);
const labelRecordBytes = (record: LabelRecord, dialect: Dialect): number =>
	boundBytes(dialect, [record.labelId, record.recordId]);

const toStoredLink = (row: Row): StoredLink => ({
	id: String(row.id),
	labelId: String(row.label_id),
	firstRecordId: String(row.first_record_id),
	secondRecordId: String(row.second_record_id),
	createdAt: String(row.created_at),
});

export class LinkSqlRepository implements LinkRepository {
	constructor(private readonly sql: SqlExecutor) {}

	/** Link keys as bound table `v` (LINK_KEY_COLUMNS). */
	private linkKeys(keys: LinkKey[], options?: { ordinal?: boolean; compact?: boolean }) {
		return rowsAsTable(
			this.sql.dialect,
			LINK_KEY_COLUMNS,
			keys.map((key) => [key.labelId, key.firstRecordId, key.secondRecordId]),
			options,
		);
	}

	/** (label, record) pairs as bound table `v` (LABEL_RECORD_COLUMNS). */
	private labelRecords(records: LabelRecord[], options?: { ordinal?: boolean }) {
		return rowsAsTable(
			this.sql.dialect,
			LABEL_RECORD_COLUMNS,
			records.map((record) => [record.labelId, record.recordId]),
			options,
		);
	}

	async countOfLabel(labelId: string): Promise<number> {
		const [row] = await this.sql.all<{ n: unknown }>(
			'SELECT COUNT(*) AS n FROM association_links WHERE label_id = ?',
			[labelId],
		);
		return Number(row.n);
	}

	async sampleOfLabel(labelId: string, max: number): Promise<StoredLink[]> {
		const rows = await this.sql.all(
			`SELECT ${COLUMNS} FROM association_links WHERE label_id = ? ORDER BY id LIMIT ?`,
			[labelId, max],
		);
		return rows.map(toStoredLink);
	}

	async linkedRecords(
		side: Side,
		records: LabelRecord[],
		max: number,
	): Promise<Map<string, string[]>> {
		const linked = new Map<string, string[]>();
		if (records.length === 0) return linked;
		const other: Side = side === 'first' ? 'second' : 'first';
		const distinct = new Map<string, (string | null)[]>();
		for (const record of records) {
			distinct.set(recordKeyString(record.labelId, record.recordId), [
				record.labelId,
				record.recordId,
			]);
		}
		await inChunks(this.sql, [...distinct.values()], async (chunk) => {
			const batch = rowsAsTable(this.sql.dialect, LABEL_RECORD_COLUMNS, chunk);
			const rows = await this.sql.all<{ label_id: string; record_id: string; other_id: string }>(
				`SELECT label_id, record_id, other_id FROM (
           SELECT v.label_id, v.record_id, a.${other}_record_id AS other_id,
             ROW_NUMBER() OVER (PARTITION BY v.label_id, v.record_id ORDER BY a.id) AS rn
           FROM ${batch.sql} v JOIN association_links a
             ON a.label_id = v.label_id AND a.${side}_record_id = v.record_id
         ) s WHERE rn <= ? ORDER BY label_id, record_id, rn`,
				[...batch.params, max],
			);
			for (const row of rows) {
				const key = recordKeyString(row.label_id, row.record_id);
				const list = linked.get(key) ?? [];
				list.push(String(row.other_id));
				linked.set(key, list);
			}
			return [];
		});
		return linked;
	}

	async recordsOverLimit(
		label: AssociationLabel,
		side: Side,
		limit: number,
		max: number,
	): Promise<{ recordId: string; count: number }[]> {
		const source = label.symmetric
			? `SELECT first_record_id AS record_id FROM association_links WHERE label_id = ?
         UNION ALL SELECT second_record_id FROM association_links WHERE label_id = ?`
			: `SELECT ${side}_record_id AS record_id FROM association_links WHERE label_id = ?`;
		const params = label.symmetric ? [label.id, label.id] : [label.id];
		const rows = await this.sql.all<{ record_id: string; n: unknown }>(
			`SELECT record_id, COUNT(*) AS n FROM (${source}) s GROUP BY record_id HAVING COUNT(*) > ?
       ORDER BY COUNT(*) DESC, record_id LIMIT ?`,
			[...params, limit, max],
		);
		return rows.map((row) => ({ recordId: row.record_id, count: Number(row.n) }));
	}

	usageOf(labels: AssociationLabel[]): Promise<Map<string, LabelUsage>> {
		return usageOfLabels(this.sql, labels);
	}

	async find(keys: LinkKey[]): Promise<StoredLink[]> {
		if (keys.length === 0) return [];
		return inChunks(
			this.sql,
			keys,
			async (chunk) => {
				const batch = this.linkKeys(chunk);
				const rows = await this.sql.all(
					`SELECT a.id, a.label_id, a.first_record_id, a.second_record_id, a.created_at
         FROM ${batch.sql} v JOIN association_links a ON ${ON_LINK_KEY}`,
					batch.params,
				);
				return rows.map(toStoredLink);
			},
			{ join: true, rowBytes: linkKeyBytes },
		);
	}

	async findByIndex(keys: LinkKey[]): Promise<FoundLink[]> {
		if (keys.length === 0) return [];
		let offset = 0;
		return inChunks(
			this.sql,
			keys,
			async (chunk) => {
				const batch = this.linkKeys(chunk, { ordinal: true });
				const rows = await this.sql.all<{ ord: unknown; id: unknown; created_at: unknown }>(
					`SELECT v.ord, a.id, a.created_at FROM ${batch.sql} v JOIN association_links a ON ${ON_LINK_KEY}`,
					batch.params,
				);
				const found = rows.map((row) => ({
					index: offset + Number(row.ord),
					id: String(row.id),
					createdAt: String(row.created_at),
				}));
				offset += chunk.length;
				return found;
			},
			{ join: true, rowBytes: linkKeyBytes },
		);
	}

	async countBySide(side: Side, records: LabelRecord[]): Promise<number[]> {
		const counts: number[] = new Array(records.length).fill(0);
		let offset = 0;
		await inChunks(
			this.sql,
			records,
			async (chunk) => {
				const batch = this.labelRecords(chunk, { ordinal: true });
				const rows = await this.sql.all<{ ord: unknown; n: unknown }>(
					`SELECT v.ord,
           (SELECT COUNT(*) FROM association_links a WHERE a.label_id = v.label_id AND a.${side}_record_id = v.record_id) AS n
         FROM ${batch.sql} v`,
					batch.params,
				);
				for (const row of rows) counts[offset + Number(row.ord)] = Number(row.n);
				offset += chunk.length;
				return [];
			},
			{ rowBytes: labelRecordBytes },
		);
		return counts;
	}

	sideCountsIfSmall(labelId: string, side: Side, fewerThan: number) {
		return sideCountsIfSmall(this.sql, labelId, side, fewerThan);
	}

	async insert(namespace: string, keys: LinkKey[], createdAt: string): Promise<StoredLink[]> {
		if (keys.length === 0) return [];
		return inChunks(
			this.sql,
			keys,
			async (chunk) => {
				const batch = this.linkKeys(chunk, { compact: true });
				// "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
				const rows = await this.sql.all(
					`INSERT INTO association_links (namespace, label_id, first_record_id, second_record_id, created_at)
         SELECT ?, v.label_id, v.first_record_id, v.second_record_id, ? FROM ${batch.sql} v WHERE true
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
					[namespace, createdAt, ...batch.params],
				);
				return rows.map(toStoredLink);
			},
			{ rowBytes: insertedLinkBytes },
		);
	}

	async delete(keys: LinkKey[]): Promise<StoredLink[]> {
		if (keys.length === 0) return [];
		return inChunks(
			this.sql,
			keys,
			async (chunk) => {
				const batch = this.linkKeys(chunk);
				const rows = await this.sql.all(
					`DELETE FROM association_links WHERE id IN (
           SELECT a.id FROM ${batch.sql} v JOIN association_links a ON ${ON_LINK_KEY})
         RETURNING ${COLUMNS}`,
					batch.params,
				);
				return rows.map(toStoredLink);
			},
			{ join: true, rowBytes: linkKeyBytes },
		);
	}

	async deleteOfRecords(side: Side, records: LabelRecord[]): Promise<StoredLink[]> {
		if (records.length === 0) return [];
		return inChunks(
			this.sql,
			records,
			async (chunk) => {
				const batch = this.labelRecords(chunk);
				const rows = await this.sql.all(
					`DELETE FROM association_links WHERE id IN (
           SELECT a.id FROM ${batch.sql} v JOIN association_links a
             ON a.label_id = v.label_id AND a.${side}_record_id = v.record_id)
         RETURNING ${COLUMNS}`,
					batch.params,
				);
				return rows.map(toStoredLink);
			},
			{ join: true, rowBytes: labelRecordBytes },
		);
	}

	private relatedUnion(scan: Omit<RelatedScan, 'afterId' | 'limit'>): {
		sql: string;
		params: unknown[];
	} {
		const branches: string[] = [];
		const params: unknown[] = [];
		if (scan.asFirst.length > 0) {
			branches.push(`SELECT id, label_id, second_record_id AS record_id, 'second' AS side, created_at
        FROM association_links WHERE label_id IN (${placeholders(scan.asFirst.length)}) AND first_record_id = ?`);
			params.push(...scan.asFirst, scan.recordId);
		}
		if (scan.asSecond.length > 0) {
			branches.push(`SELECT id, label_id, first_record_id AS record_id, 'first' AS side, created_at
        FROM association_links WHERE label_id IN (${placeholders(scan.asSecond.length)}) AND second_record_id = ?`);
			params.push(...scan.asSecond, scan.recordId);
		}
		return { sql: branches.join(' UNION ALL '), params };
	}

	async scanRelated(scan: RelatedScan): Promise<RelatedRow[]> {
		const union = this.relatedUnion(scan);
		if (union.sql === '') return [];
		const after = scan.afterId === undefined ? '' : 'WHERE r.id > ?';
		const rows = await this.sql.all(
			`SELECT r.id, r.label_id, r.record_id, r.side, r.created_at FROM (${union.sql}) r ${after} ORDER BY r.id LIMIT ?`,
			[...union.params, ...(scan.afterId === undefined ? [] : [scan.afterId]), scan.limit],
		);
		return rows.map((row) => ({
			id: String(row.id),
			labelId: String(row.label_id),
			recordId: String(row.record_id),
			side: row.side as Side,
			createdAt: String(row.created_at),
		}));
	}

	async countRelated(scan: Omit<RelatedScan, 'afterId' | 'limit'>): Promise<number> {
		const union = this.relatedUnion(scan);
		if (union.sql === '') return 0;
		const [row] = await this.sql.all<{ n: unknown }>(
			`SELECT COUNT(*) AS n FROM (${union.sql}) r`,
			union.params,
		);
		return Number(row.n);
	}

	scanRelatedMany(scans: RelatedScan[]): Promise<RelatedRow[][]> {
		return scanRelatedMany(this.sql, scans);
	}

	countRelatedMany(scans: Array<Omit<RelatedScan, 'afterId' | 'limit'>>): Promise<number[]> {
		return countRelatedMany(this.sql, scans);
	}
}
