/** Shared by the end-to-end tests of docs/examples. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { StoreConfig } from '../../core';
import { rawQuery } from '../support/stores';
import { type ExecutionResult, REPO_DIR } from './n8n-harness';

export const EXAMPLES_DIR = path.join(REPO_DIR, 'docs', 'examples');
export const DEFAULT_CREDENTIAL = {
	id: 'assocStoreDefault',
	name: 'Association Store',
	type: 'associationStoreApi',
};
export const PKG = 'n8n-nodes-object-associations';

export function readExample(file: string): any {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/** The stored rows of one event type, with the actor parsed. */
export async function eventsOf(config: StoreConfig, type: string) {
	const rows = await rawQuery<{
		label_key: string;
		first_record_id: string | null;
		second_record_id: string | null;
		actor: string;
	}>(
		config,
		'SELECT label_key, first_record_id, second_record_id, actor FROM association_events WHERE type = ? ORDER BY id',
		[type],
	);
	return rows.map((row) => ({
		labelKey: row.label_key,
		first: row.first_record_id,
		second: row.second_record_id,
		actor: JSON.parse(row.actor),
	}));
}

/** Fails with n8n's own words when a run did not succeed. */
export function expectSuccess(result: ExecutionResult): void {
	if (!result.ok)
		throw new Error(
			`workflow failed (${result.status}, exit ${result.exitCode}, signal ${result.signal}): ${JSON.stringify(result.error)}\n${result.stdout.slice(-3000)}`,
		);
}
