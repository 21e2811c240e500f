import { labelShape } from '../../label-rules';
import type { AssociationLabel, LabelRef } from '../../types';
import type { SqlExecutor } from '../executor';
import type { LabelFilter, LabelPatch, LabelRepository, LockMode } from '../repository';
import { placeholders, type Row } from './sql-batch';

const COLUMNS = `id, namespace, key, first_object_key, second_object_key, first_label, second_label,
  first_limit, second_limit, created_at, updated_at`;

const PATCH_COLUMNS: Record<keyof LabelPatch, string> = {
	firstLabel: 'first_label',
	secondLabel: 'second_label',
	firstLimit: 'first_limit',
	secondLimit: 'second_limit',
};

function toLabel(row: Row): AssociationLabel {
	const objects = {
		firstObjectKey: String(row.first_object_key),
		secondObjectKey: String(row.second_object_key),
	};
	const names = { firstLabel: String(row.first_label), secondLabel: String(row.second_label) };
	const { kind, symmetric } = labelShape(objects, names);
	return {
		id: String(row.id),
		namespace: String(row.namespace),
		key: String(row.key),
		kind,
		...objects,
		...names,
		firstLimit: Number(row.first_limit),
		secondLimit: Number(row.second_limit),
		symmetric,
		createdAt: String(row.created_at),
		updatedAt: String(row.updated_at),
	};
}

export class LabelSqlRepository implements LabelRepository {
	constructor(private readonly sql: SqlExecutor) {}

	async lockObjectPair(namespace: string, pairKey: string): Promise<void> {
		// SQLite write transactions are BEGIN IMMEDIATE: already serialised store-wide.
		if (this.sql.dialect === 'postgres') {
			await this.sql.all('SELECT pg_advisory_xact_lock(hashtext(?))', [
				`association-pair:${namespace}:${pairKey}`,
			]);
		}
	}

	async find(
		namespace: string,
		refs: LabelRef[],
		lock: LockMode = 'none',
	): Promise<AssociationLabel[]> {
		if (refs.length === 0) return [];
		const keys = refs.flatMap((ref) => ('key' in ref ? [ref.key] : []));
		const ids = refs.flatMap((ref) => ('id' in ref ? [ref.id] : []));
		const conditions: string[] = [];
		if (keys.length > 0) conditions.push(`key IN (${placeholders(keys.length)})`);
		if (ids.length > 0) conditions.push(`id IN (${placeholders(ids.length)})`);
		// Locking in id order keeps two writers from deadlocking on the same labels.
		const forUpdate = lock === 'update' && this.sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
		const rows = await this.sql.all(
			`SELECT ${COLUMNS} FROM association_labels WHERE namespace = ? AND (${conditions.join(' OR ')}) ORDER BY id${forUpdate}`,
			[namespace, ...keys, ...ids],
		);
		return rows.map(toLabel);
	}

	async list(namespace: string, filter: LabelFilter): Promise<AssociationLabel[]> {
		const conditions = ['namespace = ?'];
		const params: unknown[] = [namespace];
		if (filter.objectKey !== undefined && filter.otherObjectKey !== undefined) {
			conditions.push(
				'((first_object_key = ? AND second_object_key = ?) OR (first_object_key = ? AND second_object_key = ?))',
			);
			params.push(filter.objectKey, filter.otherObjectKey, filter.otherObjectKey, filter.objectKey);
		} else if (filter.objectKey !== undefined) {
			conditions.push('(first_object_key = ? OR second_object_key = ?)');
			params.push(filter.objectKey, filter.objectKey);
		}
		if (filter.unusedOnly) {
			conditions.push(
				'NOT EXISTS (SELECT 1 FROM association_links k WHERE k.label_id = association_labels.id)',
			);
		}
		if (filter.search) {
			const pattern = `%${filter.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
			conditions.push(
				"(LOWER(key) LIKE ? ESCAPE '\\' OR LOWER(first_label) LIKE ? ESCAPE '\\' OR LOWER(second_label) LIKE ? ESCAPE '\\')",
			);
			params.push(pattern, pattern, pattern);
		}
		params.push(filter.limit ?? 1000, filter.offset ?? 0);
		const rows = await this.sql.all(
			`SELECT ${COLUMNS} FROM association_labels WHERE ${conditions.join(' AND ')} ORDER BY key LIMIT ? OFFSET ?`,
			params,
		);
		return rows.map(toLabel);
	}

	async countForPair(namespace: string, pairKey: string): Promise<number> {
		const [row] = await this.sql.all<{ n: unknown }>(
			'SELECT COUNT(*) AS n FROM association_labels WHERE namespace = ? AND pair_key = ?',
			[namespace, pairKey],
		);
		return Number(row.n);
	}

	async insert(label: AssociationLabel, pairKey: string): Promise<void> {
		await this.sql.run(
			`INSERT INTO association_labels (id, namespace, key, first_object_key, second_object_key, pair_key,
			   first_label, second_label, first_limit, second_limit, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[
				label.id,
				label.namespace,
				label.key,
				label.firstObjectKey,
				label.secondObjectKey,
				pairKey,
				label.firstLabel,
				label.secondLabel,
				label.firstLimit,
				label.secondLimit,
				label.createdAt,
				label.updatedAt,
			],
		);
	}

	async update(id: string, patch: LabelPatch, updatedAt: string): Promise<void> {
		const fields = (Object.keys(patch) as (keyof LabelPatch)[]).filter(
			(field) => patch[field] !== undefined,
		);
		const assignments = [...fields.map((field) => `${PATCH_COLUMNS[field]} = ?`), 'updated_at = ?'];
		await this.sql.run(`UPDATE association_labels SET ${assignments.join(', ')} WHERE id = ?`, [
			...fields.map((field) => patch[field]),
			updatedAt,
			id,
		]);
	}

	async delete(id: string): Promise<void> {
		await this.sql.run('DELETE FROM association_labels WHERE id = ?', [id]);
	}

	async knownObjectKeys(namespace: string): Promise<string[]> {
		const rows = await this.sql.all<{ object_key: string }>(
			`SELECT first_object_key AS object_key FROM association_labels WHERE namespace = ?
       UNION SELECT second_object_key FROM association_labels WHERE namespace = ?`,
			[namespace, namespace],
		);
		return rows.map((row) => row.object_key);
	}
}
