import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event positions: a per-namespace sequence in COMMIT order, the resume point of the Association Trigger.
 *
 * Event ids come from an identity column (PostgreSQL) whose values are taken at insert time, so a
 * transaction holding id 10 can commit after one holding id 11; a reader resuming after 11 would skip 10.
 * Positions are taken from association_event_positions (one row per namespace) by the last statement of
 * each writing transaction, under that row's lock, which is held until commit: a transaction that got
 * position n committed before any transaction could take n + 1. So everything up to the committed counter
 * value is visible to a snapshot that sees that value, and nothing can appear below it later.
 *
 * Existing events get positions 1..n per namespace in id order (the only order known for them; before this
 * migration no reader resumed by position), and their object keys from their own data or their label.
 * The columns are added, no existing value is changed; down() drops them again.
 */
export class AddEventPositions1764892800000 implements MigrationInterface {
	name = 'AddEventPositions1764892800000';

	async up(queryRunner: QueryRunner): Promise<void> {
		const postgres = queryRunner.connection.driver.options.type === 'postgres';
		const json = (column: string, field: string) =>
			postgres ? `(${column}::json ->> '${field}')` : `json_extract(${column}, '$.${field}')`;

		await queryRunner.query(`CREATE TABLE association_event_positions (
      namespace VARCHAR(100) NOT NULL PRIMARY KEY,
      last_position BIGINT NOT NULL
    )`);
		await queryRunner.query(`ALTER TABLE association_events ADD COLUMN position BIGINT`);
		await queryRunner.query(
			`ALTER TABLE association_events ADD COLUMN first_object_key VARCHAR(100)`,
		);
		await queryRunner.query(
			`ALTER TABLE association_events ADD COLUMN second_object_key VARCHAR(100)`,
		);

		await queryRunner.query(`UPDATE association_events SET position = r.n
      FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY namespace ORDER BY id) AS n FROM association_events) AS r
      WHERE association_events.id = r.id`);
		await queryRunner.query(`UPDATE association_events SET
      first_object_key = COALESCE(${json('data', 'firstObjectKey')},
        (SELECT l.first_object_key FROM association_labels l WHERE l.id = association_events.label_id)),
      second_object_key = COALESCE(${json('data', 'secondObjectKey')},
        (SELECT l.second_object_key FROM association_labels l WHERE l.id = association_events.label_id))`);
		await queryRunner.query(`INSERT INTO association_event_positions (namespace, last_position)
      SELECT namespace, MAX(position) FROM association_events GROUP BY namespace`);

		await queryRunner.query(
			`CREATE UNIQUE INDEX uq_association_events_namespace_position ON association_events (namespace, position)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_events_namespace_label ON association_events (namespace, label_key, position)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_events_namespace_first ON association_events (namespace, first_record_id, position)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_events_namespace_second ON association_events (namespace, second_record_id, position)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_events_namespace_created ON association_events (namespace, created_at)`,
		);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		for (const index of [
			'uq_association_events_namespace_position',
			'ix_association_events_namespace_label',
			'ix_association_events_namespace_first',
			'ix_association_events_namespace_second',
			'ix_association_events_namespace_created',
		])
			await queryRunner.query(`DROP INDEX ${index}`);
		await queryRunner.query(`ALTER TABLE association_events DROP COLUMN second_object_key`);
		await queryRunner.query(`ALTER TABLE association_events DROP COLUMN first_object_key`);
		await queryRunner.query(`ALTER TABLE association_events DROP COLUMN position`);
		await queryRunner.query(`DROP TABLE association_event_positions`);
	}
}
