import { EntitySchema } from 'typeorm';

export interface LabelRow {
	id: string;
	namespace: string;
	key: string;
	firstObjectKey: string;
	secondObjectKey: string;
	/** The unordered object pair ("a|b", sorted), for the labels-per-pair limit. */
	pairKey: string;
	firstLabel: string;
	secondLabel: string;
	firstLimit: number;
	secondLimit: number;
	createdAt: string;
	updatedAt: string;
}

const text = (name: string, length: number) => ({ name, type: 'varchar' as const, length });

export const LabelEntity = new EntitySchema<LabelRow>({
	name: 'LabelEntity',
	tableName: 'association_labels',
	columns: {
		id: { ...text('id', 36), primary: true },
		namespace: text('namespace', 100),
		key: text('key', 100),
		firstObjectKey: text('first_object_key', 100),
		secondObjectKey: text('second_object_key', 100),
		pairKey: text('pair_key', 201),
		firstLabel: text('first_label', 100),
		secondLabel: text('second_label', 100),
		firstLimit: { name: 'first_limit', type: 'integer' },
		secondLimit: { name: 'second_limit', type: 'integer' },
		createdAt: text('created_at', 30),
		updatedAt: text('updated_at', 30),
	},
	indices: [
		{ name: 'uq_association_labels_namespace_key', columns: ['namespace', 'key'], unique: true },
		{ name: 'ix_association_labels_namespace_pair', columns: ['namespace', 'pairKey'] },
	],
});
