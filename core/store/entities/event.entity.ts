import { EntitySchema } from 'typeorm';

export interface EventRow {
	id: string;
	namespace: string;
	type: string;
	labelId: string;
	labelKey: string;
	firstRecordId: string | null;
	secondRecordId: string | null;
	data: string | null;
	actor: string | null;
	createdAt: string;
}

/** Append-only history of every mutation; label rows may be gone, so no foreign key. */
export const EventEntity = new EntitySchema<EventRow>({
	name: 'EventEntity',
	tableName: 'association_events',
	columns: {
		id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
		namespace: { name: 'namespace', type: 'varchar', length: 100 },
		type: { name: 'type', type: 'varchar', length: 40 },
		labelId: { name: 'label_id', type: 'varchar', length: 36 },
		labelKey: { name: 'label_key', type: 'varchar', length: 100 },
		firstRecordId: { name: 'first_record_id', type: 'varchar', length: 255, nullable: true },
		secondRecordId: { name: 'second_record_id', type: 'varchar', length: 255, nullable: true },
		data: { name: 'data', type: 'text', nullable: true },
		actor: { name: 'actor', type: 'text', nullable: true },
		createdAt: { name: 'created_at', type: 'varchar', length: 30 },
	},
	indices: [{ name: 'ix_association_events_namespace_id', columns: ['namespace', 'id'] }],
});
