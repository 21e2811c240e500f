import { EntitySchema } from 'typeorm';
import type { LabelRow } from './label.entity';

export interface LinkRow {
	id: string;
	namespace: string;
	labelId: string;
	firstRecordId: string;
	secondRecordId: string;
	createdAt: string;
	label?: LabelRow;
}

export const LinkEntity = new EntitySchema<LinkRow>({
	name: 'LinkEntity',
	tableName: 'association_links',
	columns: {
		id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
		namespace: { name: 'namespace', type: 'varchar', length: 100 },
		labelId: { name: 'label_id', type: 'varchar', length: 36 },
		firstRecordId: { name: 'first_record_id', type: 'varchar', length: 255 },
		secondRecordId: { name: 'second_record_id', type: 'varchar', length: 255 },
		createdAt: { name: 'created_at', type: 'varchar', length: 30 },
	},
	relations: {
		label: {
			type: 'many-to-one',
			target: 'LabelEntity',
			joinColumn: { name: 'label_id' },
			onDelete: 'RESTRICT',
		},
	},
	indices: [
		{
			name: 'uq_association_links_label_first_second',
			columns: ['labelId', 'firstRecordId', 'secondRecordId'],
			unique: true,
		},
		{
			name: 'ix_association_links_label_second_first',
			columns: ['labelId', 'secondRecordId', 'firstRecordId'],
		},
	],
});
