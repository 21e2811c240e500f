import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: labels, links (unique forward index + reverse index), events. */
export class CreateAssociationTables1764316800000 implements MigrationInterface {
	name = 'CreateAssociationTables1764316800000';

	async up(queryRunner: QueryRunner): Promise<void> {
		const postgres = queryRunner.connection.driver.options.type === 'postgres';
		const serialKey = postgres
			? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
			: 'INTEGER PRIMARY KEY';
		// Event ids are a consumer's resume point, so SQLite must never reuse one.
		const eventKey = postgres ? serialKey : 'INTEGER PRIMARY KEY AUTOINCREMENT';

		await queryRunner.query(`CREATE TABLE association_labels (
      id VARCHAR(36) NOT NULL PRIMARY KEY,
      namespace VARCHAR(100) NOT NULL,
      key VARCHAR(100) NOT NULL,
      first_object_key VARCHAR(100) NOT NULL,
      second_object_key VARCHAR(100) NOT NULL,
      pair_key VARCHAR(201) NOT NULL,
      first_label VARCHAR(100) NOT NULL,
      second_label VARCHAR(100) NOT NULL,
      first_limit INTEGER NOT NULL CHECK (first_limit BETWEEN 1 AND 1000),
      second_limit INTEGER NOT NULL CHECK (second_limit BETWEEN 1 AND 1000),
      created_at VARCHAR(30) NOT NULL,
      updated_at VARCHAR(30) NOT NULL
    )`);
		await queryRunner.query(
			`CREATE UNIQUE INDEX uq_association_labels_namespace_key ON association_labels (namespace, key)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_labels_namespace_pair ON association_labels (namespace, pair_key)`,
		);

		await queryRunner.query(`CREATE TABLE association_links (
      id ${serialKey},
      namespace VARCHAR(100) NOT NULL,
      label_id VARCHAR(36) NOT NULL REFERENCES association_labels (id) ON DELETE RESTRICT,
      first_record_id VARCHAR(255) NOT NULL,
      second_record_id VARCHAR(255) NOT NULL,
      created_at VARCHAR(30) NOT NULL
    )`);
		await queryRunner.query(
			`CREATE UNIQUE INDEX uq_association_links_label_first_second ON association_links (label_id, first_record_id, second_record_id)`,
		);
		await queryRunner.query(
			`CREATE INDEX ix_association_links_label_second_first ON association_links (label_id, second_record_id, first_record_id)`,
		);

		await queryRunner.query(`CREATE TABLE association_events (
      id ${eventKey},
      namespace VARCHAR(100) NOT NULL,
      type VARCHAR(40) NOT NULL,
      label_id VARCHAR(36) NOT NULL,
      label_key VARCHAR(100) NOT NULL,
      first_record_id VARCHAR(255),
      second_record_id VARCHAR(255),
      data TEXT,
      actor TEXT,
      created_at VARCHAR(30) NOT NULL
    )`);
		await queryRunner.query(
			`CREATE INDEX ix_association_events_namespace_id ON association_events (namespace, id)`,
		);
	}

	async down(queryRunner: QueryRunner): Promise<void> {
		await queryRunner.query(`DROP TABLE association_events`);
		await queryRunner.query(`DROP TABLE association_links`);
		await queryRunner.query(`DROP TABLE association_labels`);
	}
}
