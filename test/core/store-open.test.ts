/**
 * Opening a store never blocks the event loop and never runs unbounded (issue 9, item 4): SQLite
 * paths that cannot work are refused up front, missing folders are created one level at a time,
 * and every open has an upper bound on its time. Also the mapping of the PostgreSQL TLS setting.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	AssociationError,
	closeAllStores,
	closeStore,
	openAssociations,
	openStore,
} from '../../core';
import { createDataSource } from '../../core/store/data-source';
import { postgresSslOption, tlsOf } from '../../core/store/tls';
import { rawQuery } from '../support/stores';

afterAll(() => closeAllStores());

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-open-'));

/** Runs `work` while a 10 ms interval counts its ticks; returns the result, the ticks and the time. */
async function withHeartbeat<T>(work: () => Promise<T>) {
	let ticks = 0;
	const heartbeat = setInterval(() => ticks++, 10);
	const started = Date.now();
	try {
		const result = await work().catch((error: unknown) => error);
		return { result, ticks, ms: Date.now() - started };
	} finally {
		clearInterval(heartbeat);
	}
}

describe('opening a SQLite store', () => {
	test('a path under /proc fails at once with a clear message, the event loop keeps running', async () => {
		const { result, ms } = await withHeartbeat(() =>
			openStore({ type: 'sqlite', path: '/proc/no_such_dir/assoc.sqlite' }),
		);
		expect(ms).toBeLessThan(2000);
		expect(result).toBeInstanceOf(AssociationError);
		expect((result as AssociationError).code).toBe('STORE');
		expect((result as AssociationError).message).toBe(
			'Could not open the SQLite file "/proc/no_such_dir/assoc.sqlite": /proc/no_such_dir/assoc.sqlite is inside a kernel file system (/proc, /sys, /dev). Choose a file on an ordinary disk, e.g. in the n8n user folder (leave SQLite File empty for ~/.n8n/associations.sqlite).',
		);
		// nothing was created there, and /sys and /dev are refused the same way
		for (const file of ['/sys/kernel/x/a.sqlite', '/dev/assoc.sqlite']) {
			await expect(openStore({ type: 'sqlite', path: file })).rejects.toThrow(
				'is inside a kernel file system',
			);
		}
	});

	test('a migration that fails (as the loser of a start-up race does) prints nothing and fails the open', async () => {
		const file = path.join(tempDir(), 'assoc.sqlite');
		await openStore({ type: 'sqlite', path: file });
		await closeStore({ type: 'sqlite', path: file });
		// The tables exist, but TypeORM no longer knows its migrations ran: every attempt fails on CREATE TABLE.
		execFileSync(process.execPath, [
			'-e',
			`const s = require('sqlite3'); const db = new s.Database(process.argv[1]); db.run('DELETE FROM migrations', (e) => { if (e) throw e; db.close(); });`,
			file,
		]);
		const printed: string[] = [];
		const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
			jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
				printed.push(args.map(String).join(' '));
			}),
		);
		try {
			await expect(openStore({ type: 'sqlite', path: file })).rejects.toThrow('already exists');
		} finally {
			for (const spy of spies) spy.mockRestore();
		}
		expect(printed).toEqual([]);
	});

	test('a symlink that leads into /proc is refused by its real path', async () => {
		const dir = tempDir();
		fs.symlinkSync('/proc/self', path.join(dir, 'proc-link'));
		const file = path.join(dir, 'proc-link', 'assoc.sqlite');
		await expect(openStore({ type: 'sqlite', path: file })).rejects.toThrow(
			`Could not open the SQLite file "${file}": it leads to /proc/`,
		);
	});

	test('a deep missing folder is created, level by level, and the store works', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'a', 'b', 'c', 'd', 'e', 'f', 'assoc.sqlite');
		const core = await openAssociations({ type: 'sqlite', path: file }, 'default');
		await core.labels.create({
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Boss',
		});
		expect(fs.statSync(path.join(dir, 'a', 'b', 'c', 'd', 'e', 'f')).isDirectory()).toBe(true);
		const rows = await rawQuery<{ key: string }>(
			{ type: 'sqlite', path: file },
			'SELECT key FROM association_labels',
		);
		expect(rows).toEqual([{ key: 'boss' }]);
	});

	test('more than 16 missing folders is taken for a typo: refused, nothing created', async () => {
		const dir = tempDir();
		const parts = Array.from({ length: 17 }, (_, n) => `level${n}`);
		const file = path.join(dir, ...parts, 'assoc.sqlite');
		await expect(openStore({ type: 'sqlite', path: file })).rejects.toThrow(
			`Could not open the SQLite file "${file}": more than 16 of its folders are missing. Check the path for a typo, or create the folder first.`,
		);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	test('a folder, a named pipe or a device as the file: refused, saying what it is', async () => {
		const dir = tempDir();
		await expect(openStore({ type: 'sqlite', path: dir })).rejects.toThrow(
			`Could not open the SQLite file "${dir}": it is a folder. Give the path of a SQLite file (it is created if missing).`,
		);
		const fifo = path.join(dir, 'pipe');
		execFileSync('mkfifo', [fifo]);
		// opening a named pipe would wait for a writer forever
		await expect(openStore({ type: 'sqlite', path: fifo })).rejects.toThrow(
			`Could not open the SQLite file "${fifo}": it is a named pipe.`,
		);
		const link = path.join(dir, 'null-link');
		fs.symlinkSync('/dev/null', link);
		await expect(openStore({ type: 'sqlite', path: link })).rejects.toThrow(
			/it leads to \/dev\/null, inside a kernel file system|it is a device/,
		);
	});

	test('a symlink to a missing file is refused: SQLite would create the file where it points', async () => {
		const dir = tempDir();
		const link = path.join(dir, 'dangling.sqlite');
		fs.symlinkSync(path.join(dir, 'elsewhere', 'target.sqlite'), link);
		await expect(openStore({ type: 'sqlite', path: link })).rejects.toThrow(
			`Could not open the SQLite file "${link}": it is a symbolic link to a missing file (${dir}/elsewhere/target.sqlite). Give the path of the file itself, or create the file the link points to.`,
		);
		expect(fs.existsSync(path.join(dir, 'elsewhere'))).toBe(false);
	});

	test('an access check sees the real path before anything is created, and can refuse', async () => {
		const dir = tempDir();
		fs.mkdirSync(path.join(dir, 'real'));
		fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'alias'));
		const seen: string[] = [];
		const file = path.join(dir, 'alias', 'new', 'assoc.sqlite');
		const error = await openStore({
			type: 'sqlite',
			path: file,
			checkAccess: (real) => {
				seen.push(real);
				throw new AssociationError('STORE', `refused ${real}`);
			},
		}).catch((e: unknown) => e);
		expect(seen).toEqual([path.join(fs.realpathSync(dir), 'real', 'new', 'assoc.sqlite')]);
		expect((error as Error).message).toBe(`refused ${seen[0]}`);
		expect(fs.existsSync(path.join(dir, 'real', 'new'))).toBe(false);
	});
});

describe('opening is bounded in time', () => {
	test('a PostgreSQL server that never answers: a clear error after openTimeoutMs, then a retry works', async () => {
		// accepts TCP connections and never says a word
		const sockets: net.Socket[] = [];
		const silent = net.createServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as net.AddressInfo).port;
		const config = {
			type: 'postgres' as const,
			host: '127.0.0.1',
			port,
			database: 'crm',
			user: 'n8n',
			openTimeoutMs: 500,
		};
		try {
			const { result, ticks, ms } = await withHeartbeat(() => openStore(config));
			expect(ms).toBeGreaterThanOrEqual(450);
			expect(ms).toBeLessThan(3000);
			expect(ticks).toBeGreaterThan(10); // timers kept firing while it waited
			expect((result as AssociationError).code).toBe('STORE');
			expect((result as AssociationError).message).toBe(
				`Could not connect to PostgreSQL at 127.0.0.1:${port}/crm within 0.5 s: the server did not complete the connection in time. Check host, port and SSL setting, that no firewall swallows the connection, and that the server is not overloaded.`,
			);
			// the failure is not cached: the next open tries again (and is bounded again)
			await expect(openStore(config)).rejects.toThrow('within 0.5 s');
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	});
});

describe('PostgreSQL TLS setting → node-postgres ssl option', () => {
	const base = { type: 'postgres' as const, host: 'db', database: 'crm', user: 'u' };
	const pem = (label: string, body: string) =>
		`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
	const ca = pem('CERTIFICATE', 'Q0FDQUNB');
	const cert = pem('CERTIFICATE', 'Q0VSVENFUlQ=');
	const key = pem('PRIVATE KEY', 'S0VZS0VZ');
	const ssl = (config: Parameters<typeof tlsOf>[0]) => postgresSslOption(tlsOf(config));

	test('the old boolean keeps its meaning: true = TLS without verification, false = none', () => {
		expect(ssl({ ...base, ssl: true })).toEqual({ rejectUnauthorized: false });
		expect(ssl({ ...base, ssl: false })).toBe(false);
		expect(ssl(base)).toBe(false);
	});

	test('each mode', () => {
		expect(ssl({ ...base, ssl: { mode: 'disable', ca, cert, key } })).toBe(false);
		// allow: plain first (TLS only on the retry after the server refused plain connections)
		expect(ssl({ ...base, ssl: { mode: 'allow', cert, key } })).toBe(false);
		expect(postgresSslOption({ mode: 'allow', cert, key }, true)).toEqual({
			rejectUnauthorized: false,
			cert,
			key,
		});
		expect(ssl({ ...base, ssl: { mode: 'require', ca } })).toEqual({ rejectUnauthorized: false });
		const verifyCa = ssl({ ...base, ssl: { mode: 'verify-ca', ca, cert, key } });
		expect(verifyCa).toEqual({
			rejectUnauthorized: true,
			ca,
			cert,
			key,
			checkServerIdentity: expect.any(Function),
		});
		expect(ssl({ ...base, ssl: { mode: 'verify-full', ca } })).toEqual({
			rejectUnauthorized: true,
			ca,
		});
		// no CA: the system's public CAs, with the host name checked
		expect(ssl({ ...base, ssl: { mode: 'verify-full' } })).toEqual({ rejectUnauthorized: true });
	});

	test('the mapped TypeORM options carry the client certificate and key', () => {
		const dataSource = createDataSource({ ...base, ssl: { mode: 'verify-full', ca, cert, key } });
		expect((dataSource.options as { ssl?: unknown }).ssl).toEqual({
			rejectUnauthorized: true,
			ca,
			cert,
			key,
		});
	});

	test('PEM pasted without line breaks, or with "\\n" typed, is repaired', () => {
		const flat = '-----BEGIN PRIVATE KEY----- S0VZ S0VZ -----END PRIVATE KEY-----';
		const escaped = '-----BEGIN CERTIFICATE-----\\nQ0FDQUNB\\n-----END CERTIFICATE-----';
		expect(postgresSslOption({ mode: 'require', cert: escaped, key: flat })).toEqual({
			rejectUnauthorized: false,
			cert: ca,
			key: pem('PRIVATE KEY', 'S0VZS0VZ'),
		});
	});

	test('unusable values are refused with what to do', () => {
		expect(() => ssl({ ...base, ssl: { mode: 'verify-full', ca: 'my-ca.pem' } })).toThrow(
			'The CA certificate is not in PEM format: paste the whole text, from "-----BEGIN" to the "-----END …-----" line.',
		);
		expect(() => ssl({ ...base, ssl: { mode: 'require', cert } })).toThrow(
			'A client certificate needs its key, and a client key its certificate: give both or neither.',
		);
		expect(() => ssl({ ...base, ssl: { mode: 'prefer' as never } })).toThrow(
			'Unknown SSL mode "prefer": use "disable", "allow", "require", "verify-ca", "verify-full".',
		);
	});
});
