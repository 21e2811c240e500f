import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
	AssociationError,
	closeAllStores,
	closeStore,
	openAssociations,
	openStore,
} from '../../core';
import { openStoreCount } from '../../core/store/connections';
import { DIALECTS, freshStore, postgresServer, rawQuery, rawSession } from '../support/stores';

const run = promisify(execFile);

afterAll(() => closeAllStores());

describe.each(DIALECTS)('the %s store', (dialect) => {
	it('runs its migrations once, from several processes starting at the same time', async () => {
		const config = await freshStore(dialect);
		await Promise.all(
			[1, 2, 3].map((seed) =>
				run(
					process.execPath,
					['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'workers/open-worker.ts')],
					{
						env: {
							...process.env,
							WORKER_STORE: JSON.stringify(config),
							WORKER_SEED: String(seed),
							TS_NODE_PROJECT: 'tsconfig.test.json',
						},
						cwd: path.join(__dirname, '../..'),
					},
				),
			),
		);
		const migrations = await rawQuery<{ name: string }>(config, 'SELECT name FROM migrations');
		expect(migrations.map((m) => m.name)).toEqual([
			'CreateAssociationTables1764316800000',
			'AddEventPositions1764892800000',
		]);
		const labels = await rawQuery<{ key: string }>(
			config,
			'SELECT key FROM association_labels ORDER BY key',
		);
		expect(labels.map((l) => l.key)).toEqual(['label_1', 'label_2', 'label_3']);
	});

	it('works in a process whose TypeORM metadata storage belongs to another TypeORM (as inside n8n)', async () => {
		const config = await freshStore(dialect);
		const { stdout } = await run(
			process.execPath,
			[
				'-r',
				'ts-node/register/transpile-only',
				path.join(__dirname, 'workers/foreign-typeorm-worker.ts'),
			],
			{
				env: {
					...process.env,
					WORKER_STORE: JSON.stringify(config),
					TS_NODE_PROJECT: 'tsconfig.test.json',
				},
				cwd: path.join(__dirname, '../..'),
			},
		);
		expect(JSON.parse(stdout)).toEqual({ status: 'created', hostTables: 0 });
		expect(
			await rawQuery(config, 'SELECT first_record_id, second_record_id FROM association_links'),
		).toEqual([{ first_record_id: 'c1', second_record_id: 'acme' }]);
	});

	it('keeps one pool per configuration per process and reopens after close', async () => {
		const config = await freshStore(dialect);
		const before = openStoreCount();
		const [a, b] = await Promise.all([openStore(config), openStore(config)]);
		expect(a).toBe(b);
		const core = await openAssociations(config, 'x');
		await core.labels.list();
		expect(await openStore(config)).toBe(a);
		expect(openStoreCount()).toBe(before + 1);
		await closeStore(config);
		expect(openStoreCount()).toBe(before);
		const reopened = await openStore(config);
		expect(reopened).not.toBe(a);
		expect(await (await openAssociations(config, 'x')).labels.list()).toEqual([]);
	});

	it('related-record queries are index range scans from either side', async () => {
		const config = await freshStore(dialect);
		const core = await openAssociations(config, 'x');
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		const { label } = await core.labels.usage({ key: 'owner' });
		await core.links.linkMany(
			Array.from({ length: 2000 }, (_, i) => ({
				label: { key: 'owner' },
				firstRecordId: `r${i % 200}`,
				secondRecordId: `r${Math.floor(i / 200)}`,
			})),
		);
		await rawQuery(config, 'ANALYZE');
		const plan = async (column: string) => {
			const sql = `SELECT id FROM association_links WHERE label_id IN ('${label.id}') AND ${column} = 'r1'`;
			if (dialect === 'sqlite')
				return (await rawQuery<{ detail: string }>(config, `EXPLAIN QUERY PLAN ${sql}`))
					.map((r) => r.detail)
					.join('\n');
			const rows = await rawSession<{ 'QUERY PLAN': string }>(config, [[`EXPLAIN ${sql}`]]);
			return rows.map((r) => r['QUERY PLAN']).join('\n');
		};
		if (dialect === 'sqlite') {
			expect(await plan('first_record_id')).toMatch(
				/USING (COVERING )?INDEX uq_association_links_label_first_second \(label_id=\? AND first_record_id=\?\)/,
			);
			expect(await plan('second_record_id')).toMatch(
				/USING (COVERING )?INDEX ix_association_links_label_second_first \(label_id=\? AND second_record_id=\?\)/,
			);
		} else {
			expect(await plan('first_record_id')).toMatch(
				/(Index (Only )?Scan using|Bitmap Index Scan on) uq_association_links_label_first_second/,
			);
			expect(await plan('second_record_id')).toMatch(
				/(Index (Only )?Scan using|Bitmap Index Scan on) ix_association_links_label_second_first/,
			);
		}
	});
});

describe('SQLite specifics', () => {
	it('opens the file in WAL mode with foreign keys and a busy timeout', async () => {
		const config = await freshStore('sqlite');
		await openStore(config);
		const [{ journal_mode }] = await rawQuery<{ journal_mode: string }>(
			config,
			'PRAGMA journal_mode',
		);
		expect(journal_mode).toBe('wal');
		const core = await openAssociations(config, 'x');
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		await core.links.link({ label: { key: 'owner' }, firstRecordId: 'a', secondRecordId: 'b' });
		// the foreign key refuses a label row removal under links, whatever the service checks
		await expect(
			rawSession(config, [['PRAGMA foreign_keys = ON'], ['DELETE FROM association_labels']]),
		).rejects.toThrow(/FOREIGN KEY constraint failed/);
		expect(await rawQuery(config, 'SELECT key FROM association_labels')).toHaveLength(1);
	});

	it('says clearly when the file cannot be created', async () => {
		const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-')), 'a-file');
		fs.writeFileSync(blocker, 'not a folder');
		const error = await openStore({
			type: 'sqlite',
			path: path.join(blocker, 'store.sqlite'),
		}).catch((e) => e);
		expect(error).toBeInstanceOf(AssociationError);
		expect(error.message).toMatch(
			/Could not open the SQLite file .*a-file\/store\.sqlite.*Check that the folder exists and that n8n may write to it/,
		);
	});
});

describe('PostgreSQL specifics', () => {
	it('keeps its tables in the configured schema', async () => {
		const config = { ...(await freshStore('postgres')), schema: 'crm_links' } as const;
		const core = await openAssociations(config, 'x');
		await core.labels.create({
			key: 'owner',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Owner',
		});
		const tables = await rawQuery<{ table_schema: string; table_name: string }>(
			config,
			"SELECT table_schema, table_name FROM information_schema.tables WHERE table_name LIKE 'association_%' ORDER BY table_name",
		);
		expect(tables).toEqual([
			{ table_schema: 'crm_links', table_name: 'association_event_positions' },
			{ table_schema: 'crm_links', table_name: 'association_events' },
			{ table_schema: 'crm_links', table_name: 'association_labels' },
			{ table_schema: 'crm_links', table_name: 'association_links' },
		]);
	});

	it('explains a wrong password and an unreachable host', async () => {
		const server = postgresServer();
		const wrong = await openStore({ ...server, password: 'not-it' }).catch((e) => e);
		expect(wrong.message).toMatch(
			/Could not connect to PostgreSQL at 127\.0\.0\.1:\d+\/associations_test: .*The user or password is wrong/,
		);
		const unreachable = await openStore({ ...server, port: 1 }).catch((e) => e);
		expect(unreachable.message).toMatch(/The host is unreachable: check host and port/);
	});
});
