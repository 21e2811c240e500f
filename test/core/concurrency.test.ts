import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { closeAllStores, openAssociations } from '../../core';
import { DIALECTS, freshStore, rawQuery } from '../support/stores';

const run = promisify(execFile);
const WORKERS = 4;
const LIMIT = 5;

describe.each(DIALECTS)('several processes on one %s store', (dialect) => {
	afterAll(() => closeAllStores());

	it('never duplicate a link, never exceed a limit, and lose no acknowledged link', async () => {
		const config = await freshStore(dialect);
		// Workers race on the migrations too: the store is created by whichever process comes first.
		const workers = Array.from({ length: WORKERS }, (_, seed) =>
			run(
				process.execPath,
				['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'workers/link-worker.ts')],
				{
					env: {
						...process.env,
						WORKER_STORE: JSON.stringify(config),
						WORKER_SEED: String(seed + 1),
						TS_NODE_PROJECT: 'tsconfig.test.json',
					},
					cwd: path.join(__dirname, '../..'),
					maxBuffer: 10 * 1024 * 1024,
				},
			),
		);
		// The label appears while workers start; they retry until it exists.
		const core = await openAssociations(config, 'race');
		await core.labels.create({
			key: 'hot',
			firstObjectKey: 'contact',
			secondObjectKey: 'custom_objects.pets',
			firstLabel: 'Owner',
			secondLabel: 'Pet',
			firstLimit: LIMIT,
			secondLimit: LIMIT,
		});
		const outputs = await Promise.all(workers);
		const acknowledged = outputs.flatMap(
			(output) => JSON.parse(output.stdout) as { first: string; second: string; status: string }[],
		);

		const rows = await rawQuery<{ first_record_id: string; second_record_id: string }>(
			config,
			'SELECT first_record_id, second_record_id FROM association_links',
		);
		const stored = new Set(rows.map((row) => `${row.first_record_id}|${row.second_record_id}`));
		expect(stored.size).toBe(rows.length); // no duplicates
		for (const ack of acknowledged) expect(stored.has(`${ack.first}|${ack.second}`)).toBe(true);
		expect(acknowledged.filter((ack) => ack.status === 'created')).toHaveLength(rows.length); // each row created exactly once

		const perSide = (side: 'first_record_id' | 'second_record_id') =>
			rawQuery<{ n: unknown }>(
				config,
				`SELECT COUNT(*) AS n FROM association_links GROUP BY ${side} ORDER BY COUNT(*) DESC LIMIT 1`,
			);
		expect(Number((await perSide('first_record_id'))[0].n)).toBeLessThanOrEqual(LIMIT);
		expect(Number((await perSide('second_record_id'))[0].n)).toBeLessThanOrEqual(LIMIT);
		// The hot contacts are saturated: the limit was reached, not merely unreached.
		expect(rows.length).toBe(4 * LIMIT);
		const events = await rawQuery<{ n: unknown }>(
			config,
			"SELECT COUNT(*) AS n FROM association_events WHERE type = 'link.created'",
		);
		expect(Number(events[0].n)).toBe(rows.length);
	});
});
