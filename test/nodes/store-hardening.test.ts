/**
 * Issue 9 (Hardening), item 4, as a user meets it: the credential's Test button and a node run.
 * - A SQLite path that cannot work never blocks n8n: the test answers with an error in seconds,
 *   /healthz keeps answering, SIGTERM still ends the process.
 * - The SQLite file follows n8n's file-access rules (N8N_RESTRICT_FILE_ACCESS_TO) and never is one
 *   of n8n's own files; the default file stays allowed.
 * - PostgreSQL TLS: disable / allow / require / verify-ca / verify-full, CA and client certificate,
 *   against a PostgreSQL started with TLS.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { closeAllStores } from '../../core';
import { LinkRecords } from '../../nodes/LinkRecords/LinkRecords.node';
import { startPostgresProcess, type PostgresProcess } from '../support/postgres-process';
import { postgresServer } from '../support/stores';
import { visibleError } from './helpers/assertions';
import { rl, runNode } from './helpers/engine';

afterAll(async () => await closeAllStores());

const { credentialTest } = new LinkRecords().methods;
const testCredential = async (data: ICredentialDataDecryptedObject) =>
	await credentialTest.associationStoreConnectionTest.call(
		{} as never,
		{
			id: 'c',
			name: 'Association store',
			type: 'associationStoreApi',
			data,
		} as ICredentialsDecrypted,
	);

const sqliteCredential = (sqlitePath: string): ICredentialDataDecryptedObject => ({
	storeType: 'sqlite',
	sqlitePath,
	namespace: 'default',
});

const tempDir = (prefix: string) => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));

/** Sets environment variables for the duration of `work` (undefined removes one). */
async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>) {
	const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
	const apply = (values: Record<string, string | undefined>) => {
		for (const [name, value] of Object.entries(values)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
	apply(vars);
	try {
		return await work();
	} finally {
		apply(previous);
	}
}

describe('credential test with a SQLite path that cannot work', () => {
	test('/proc/no_such_dir/assoc.sqlite: Error within seconds, /healthz keeps answering, SIGTERM ends n8n', async () => {
		const child = spawn(
			process.execPath,
			[
				'-r',
				'ts-node/register/transpile-only',
				path.join(__dirname, 'workers/credential-test-worker.ts'),
			],
			{
				cwd: path.join(__dirname, '../..'),
				env: {
					...process.env,
					TS_NODE_PROJECT: 'tsconfig.test.json',
					WORKER_CREDENTIAL: JSON.stringify(sqliteCredential('/proc/no_such_dir/assoc.sqlite')),
				},
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		// The last resort the issue describes: if the process hangs, the test fails instead of hanging too.
		let killed = false;
		const killer = setTimeout(() => {
			killed = true;
			child.kill('SIGKILL');
		}, 60_000);
		try {
			let out = '';
			const line = (prefix: string) =>
				new Promise<string>((resolve, reject) => {
					const look = () => {
						const found = out.split('\n').find((text) => text.startsWith(prefix));
						if (found) resolve(found.slice(prefix.length));
					};
					child.stdout.on('data', (chunk: Buffer) => {
						out += chunk.toString();
						look();
					});
					void exited.then(() =>
						reject(
							new Error(
								killed
									? `the process hung: no "${prefix}" within 60 s, ended with SIGKILL`
									: `worker ended without "${prefix}": ${out}`,
							),
						),
					);
					look();
				});
			const port = Number(await line('PORT '));
			const healthz = async () => {
				const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
					signal: AbortSignal.timeout(1000),
				});
				return { status: response.status, body: await response.json() };
			};
			const { result, ms, ticks } = JSON.parse(await line('RESULT ')) as {
				result: { status: string; message: string };
				ms: number;
				ticks: number;
			};
			expect(result).toEqual({
				status: 'Error',
				message:
					'Could not open the SQLite file "/proc/no_such_dir/assoc.sqlite": /proc/no_such_dir/assoc.sqlite is inside a kernel file system (/proc, /sys, /dev). Choose a file on an ordinary disk, e.g. in the n8n user folder (leave SQLite File empty for ~/.n8n/associations.sqlite).',
			});
			expect(ms).toBeLessThan(5000);
			expect(ticks).toBeGreaterThanOrEqual(Math.floor(ms / 10) - 5); // its timers kept firing
			// n8n still answers, and stops on SIGTERM (before the fix only SIGKILL ended it)
			expect(await healthz()).toEqual({ status: 200, body: { status: 'ok' } });
			const stopping = Date.now();
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
			expect(Date.now() - stopping).toBeLessThan(5000);
		} finally {
			clearTimeout(killer);
			child.kill('SIGKILL');
		}
	});

	test('a path below a regular file: Error naming the file that is in the way', async () => {
		const dir = tempDir('assoc-notdir-');
		fs.writeFileSync(path.join(dir, 'file'), 'not a folder');
		const sqlitePath = path.join(dir, 'file', 'deeper', 'assoc.sqlite');
		const result = await testCredential(sqliteCredential(sqlitePath));
		expect(result).toEqual({
			status: 'Error',
			message: `Could not open the SQLite file "${sqlitePath}": "${dir}/file" is a file, not a folder (ENOTDIR). Check that the folder exists and that n8n may write to it.`,
		});
	});

	test('a deep missing folder is created and the test says OK', async () => {
		const dir = tempDir('assoc-deep-');
		const sqlitePath = path.join(dir, 'one', 'two', 'three', 'four', 'assoc.sqlite');
		const result = await testCredential(sqliteCredential(sqlitePath));
		expect(result).toEqual({
			status: 'OK',
			message: `Connected to SQLite file ${sqlitePath}; the association tables are ready. Namespace "default" has 0 labels.`,
		});
		expect(fs.statSync(sqlitePath).isFile()).toBe(true);
	});
});

describe("n8n's file-access rules for the SQLite file", () => {
	let userFolder: string;
	let n8nFolder: string;
	let outside: string;
	let allowed: string;
	const env = () => ({
		N8N_USER_FOLDER: userFolder,
		N8N_RESTRICT_FILE_ACCESS_TO: undefined,
		N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: undefined,
		N8N_BLOCK_FILE_PATTERNS: undefined,
	});
	const ownFile = (file: string, what: string, really?: string) =>
		`The SQLite file "${file}"${really ? ` (really ${really})` : ''} is ${what}. This package never opens n8n's own files, whatever N8N_RESTRICT_FILE_ACCESS_TO or N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES say. Choose another file, or leave SQLite File empty for ${n8nFolder}/associations.sqlite.`;

	beforeEach(() => {
		userFolder = tempDir('assoc-user-');
		n8nFolder = path.join(userFolder, '.n8n');
		fs.mkdirSync(n8nFolder);
		fs.writeFileSync(path.join(n8nFolder, 'database.sqlite'), 'n8n data');
		fs.writeFileSync(path.join(n8nFolder, 'config'), '{"encryptionKey":"secret"}');
		outside = tempDir('assoc-outside-');
		allowed = tempDir('assoc-allowed-');
	});

	test("n8n's database is refused even with no restriction, and with N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false", async () => {
		const database = path.join(n8nFolder, 'database.sqlite');
		for (const extra of [
			{},
			{ N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'false', N8N_RESTRICT_FILE_ACCESS_TO: n8nFolder },
		]) {
			await withEnv({ ...env(), ...extra }, async () => {
				// typed as "database.sqlite" (taken inside the n8n folder) or as its full path
				for (const typed of ['database.sqlite', database]) {
					expect(await testCredential(sqliteCredential(typed))).toEqual({
						status: 'Error',
						message: ownFile(database, "n8n's own database"),
					});
				}
			});
		}
		expect(fs.readFileSync(database, 'utf8')).toBe('n8n data'); // untouched
	});

	test("n8n's other files: journals, settings (encryption key), logs, community nodes; also behind a symlink", async () => {
		await withEnv(env(), async () => {
			const cases: [string, string][] = [
				['database.sqlite-wal', "a journal of n8n's own database"],
				['config', "n8n's settings file (it holds the encryption key)"],
				['n8nEventLog-1.log', "n8n's event log"],
				['crash.journal', "n8n's crash journal"],
				['nodes/assoc.sqlite', "n8n's community nodes folder"],
			];
			for (const [typed, what] of cases) {
				const result = await testCredential(sqliteCredential(typed));
				expect(result).toEqual({
					status: 'Error',
					message: ownFile(path.join(n8nFolder, typed), what),
				});
			}
			expect(fs.existsSync(path.join(n8nFolder, 'nodes'))).toBe(false);
			const link = path.join(outside, 'innocent.sqlite');
			fs.symlinkSync(path.join(n8nFolder, 'database.sqlite'), link);
			expect((await testCredential(sqliteCredential(link))).message).toBe(
				ownFile(link, "n8n's own database", path.join(n8nFolder, 'database.sqlite')),
			);
			// a secret n8n reads from a file named by a *_FILE variable
			const keyFile = path.join(outside, 'encryption.key');
			fs.writeFileSync(keyFile, 'secret');
			await withEnv({ N8N_ENCRYPTION_KEY_FILE: keyFile }, async () => {
				expect((await testCredential(sqliteCredential(keyFile))).message).toBe(
					ownFile(keyFile, 'a file n8n reads a secret from (N8N_ENCRYPTION_KEY_FILE)'),
				);
			});
		});
	});

	test('other files in the n8n folder stay allowed, and so does the default file', async () => {
		await withEnv(env(), async () => {
			const crm = await testCredential(sqliteCredential('crm.sqlite'));
			expect(crm.status).toBe('OK');
			expect(crm.message).toContain(`SQLite file ${n8nFolder}/crm.sqlite;`);
			const byDefault = await testCredential(sqliteCredential(''));
			expect(byDefault.status).toBe('OK');
			expect(byDefault.message).toContain(`SQLite file ${n8nFolder}/associations.sqlite;`);
		});
	});

	test('N8N_RESTRICT_FILE_ACCESS_TO: inside an allowed folder OK, outside refused saying which setting allows what', async () => {
		await withEnv(
			{ ...env(), N8N_RESTRICT_FILE_ACCESS_TO: ` ${allowed} ; /nowhere/else ` },
			async () => {
				const inside = path.join(allowed, 'stores', 'assoc.sqlite');
				expect((await testCredential(sqliteCredential(inside))).status).toBe('OK');

				const refused = path.join(outside, 'new-folder', 'assoc.sqlite');
				const message = (file: string, really?: string) =>
					`The SQLite file "${file}"${really ? ` (really ${really})` : ''} is outside the folders n8n may use: N8N_RESTRICT_FILE_ACCESS_TO allows only "${allowed}", "/nowhere/else". Choose a file inside one of them, leave SQLite File empty for ${n8nFolder}/associations.sqlite (always allowed), or have the n8n admin add the file's folder to N8N_RESTRICT_FILE_ACCESS_TO (folders separated by ";").`;
				expect(await testCredential(sqliteCredential(refused))).toEqual({
					status: 'Error',
					message: message(refused),
				});
				expect(fs.existsSync(path.join(outside, 'new-folder'))).toBe(false); // nothing created

				// symlinks are resolved first: a link inside the allowed folder to a folder outside is refused
				fs.symlinkSync(outside, path.join(allowed, 'escape'));
				const viaLink = path.join(allowed, 'escape', 'assoc.sqlite');
				expect((await testCredential(sqliteCredential(viaLink))).message).toBe(
					message(viaLink, path.join(outside, 'assoc.sqlite')),
				);

				// the package's default file stays allowed
				const byDefault = await testCredential(sqliteCredential(''));
				expect(byDefault.status).toBe('OK');
				expect(byDefault.message).toContain(`SQLite file ${n8nFolder}/associations.sqlite;`);
			},
		);
	});

	test("n8n's default N8N_BLOCK_FILE_PATTERNS: nothing inside a .git folder", async () => {
		await withEnv(env(), async () => {
			const file = path.join(outside, 'repo', '.git', 'assoc.sqlite');
			expect((await testCredential(sqliteCredential(file))).message).toBe(
				`The SQLite file "${file}" is blocked by N8N_BLOCK_FILE_PATTERNS (pattern "^(?:[^/]*/)*\\.git(?:/.*)?$", n8n's default). Choose a file elsewhere, or leave SQLite File empty for ${n8nFolder}/associations.sqlite.`,
			);
		});
	});

	test('a node run with a refused file stops with the same message and says where to fix it', async () => {
		await withEnv({ ...env(), N8N_RESTRICT_FILE_ACCESS_TO: allowed }, async () => {
			const file = path.join(outside, 'assoc.sqlite');
			const run = await runNode({ associationStoreApi: sqliteCredential(file) }, [{}], {
				name: 'List',
				type: 'createAssociation',
				parameters: { operation: 'getMany', objectKey: rl(''), returnAll: true },
			});
			const error = visibleError(run.nodeError('List'));
			expect(error.message).toMatch(
				new RegExp(
					`^The SQLite file "${file}" is outside the folders n8n may use: N8N_RESTRICT_FILE_ACCESS_TO allows only`,
				),
			);
			expect(error.description).toContain(
				'Open the Association Store credential and use its Test button.',
			);
			expect(fs.existsSync(file)).toBe(false);
		});
	});
});

describe('PostgreSQL TLS', () => {
	let tlsOnly: PostgresProcess;
	let clientCertOnly: PostgresProcess;

	beforeAll(async () => {
		[tlsOnly, clientCertOnly] = await Promise.all([
			startPostgresProcess({ database: 'assoc_tls', tls: { only: true } }),
			// its certificate names another host, as when n8n reaches a database by an internal address
			startPostgresProcess({
				database: 'assoc_mtls',
				tls: { clientCert: true, hostNames: ['db.internal.example'] },
			}),
		]);
	}, 120_000);

	afterAll(async () => {
		await closeAllStores();
		await Promise.all([tlsOnly?.stop(), clientCertOnly?.stop()]);
	});

	const credential = (
		server: Pick<PostgresProcess, 'config'>,
		tls: Record<string, unknown>,
	): ICredentialDataDecryptedObject => ({
		storeType: 'postgres',
		host: server.config.host,
		port: server.config.port as number,
		database: server.config.database,
		user: server.config.user,
		password: server.config.password ?? '',
		schema: '',
		namespace: 'default',
		...tls,
	});
	const where = (server: Pick<PostgresProcess, 'config'>) =>
		`${server.config.host}:${server.config.port}/${server.config.database}`;
	const ok = (server: Pick<PostgresProcess, 'config'>) => ({
		status: 'OK',
		message: `Connected to PostgreSQL ${where(server)}; the association tables are ready. Namespace "default" has 0 labels.`,
	});
	const certificateHint =
		"The server's certificate could not be verified: paste the server's CA certificate (PEM) into the credential's CA Certificate field, choose Verify (CA) if only the host name does not match the certificate, or choose Require to encrypt without verifying.";

	test('Require, without a CA: connects over TLS (the server refuses anything else)', async () => {
		expect(await testCredential(credential(tlsOnly, { ssl: 'require' }))).toEqual(ok(tlsOnly));
	});

	test('an old credential with SSL switched on (true) still connects, as before', async () => {
		expect(await testCredential(credential(tlsOnly, { ssl: true }))).toEqual(ok(tlsOnly));
	});

	test('Verify Full and Verify (CA) with the right CA connect; localhost too', async () => {
		const ca = tlsOnly.tls?.ca;
		expect(await testCredential(credential(tlsOnly, { ssl: 'verify-full', sslCa: ca }))).toEqual(
			ok(tlsOnly),
		);
		expect(await testCredential(credential(tlsOnly, { ssl: 'verify-ca', sslCa: ca }))).toEqual(
			ok(tlsOnly),
		);
		const byName = { config: { ...tlsOnly.config, host: 'localhost' } };
		expect(await testCredential(credential(byName, { ssl: 'verify-full', sslCa: ca }))).toEqual(
			ok(byName),
		);
	});

	test('Verify without a CA, or with the wrong CA: Error saying what to do', async () => {
		for (const sslCa of ['', tlsOnly.tls?.otherCa]) {
			const result = await testCredential(credential(tlsOnly, { ssl: 'verify-full', sslCa }));
			expect(result).toEqual({
				status: 'Error',
				message: `Could not connect to PostgreSQL at ${where(tlsOnly)}: Error: self-signed certificate in certificate chain. ${certificateHint}`,
			});
		}
	});

	test('Disable against a server that only accepts TLS: Error saying to choose TLS; Allow retries with TLS', async () => {
		const result = await testCredential(credential(tlsOnly, { ssl: 'disable' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			new RegExp(
				`^Could not connect to PostgreSQL at ${where(tlsOnly)}: no pg_hba\\.conf entry for host "127\\.0\\.0\\.1", user "postgres", database "assoc_tls", no encryption\\. The server accepts only TLS \\(SSL\\) connections from n8n: choose Require, Verify \\(CA\\) or Verify Full in the SSL field\\.$`,
			),
		);
		expect(await testCredential(credential(tlsOnly, { ssl: 'allow' }))).toEqual(ok(tlsOnly));
	});

	test('Require against a server without TLS: Error saying to choose Disable or Allow; Allow connects', async () => {
		const plain = { config: postgresServer() };
		const result = await testCredential(credential(plain, { ssl: 'require' }));
		expect(result).toEqual({
			status: 'Error',
			message: `Could not connect to PostgreSQL at ${where(plain)}: The server does not support SSL connections. The server does not accept TLS (SSL) connections: choose Disable or Allow in the SSL field, or enable TLS on the server.`,
		});
		expect((await testCredential(credential(plain, { ssl: 'allow' }))).status).toBe('OK');
	});

	test('a server that wants a client certificate: refused without, connects with certificate and key', async () => {
		const { ca, clientCert, clientKey } = clientCertOnly.tls ?? {};
		const without = await testCredential(
			credential(clientCertOnly, { ssl: 'verify-ca', sslCa: ca }),
		);
		expect(without.status).toBe('Error');
		expect(without.message).toMatch(
			/: connection requires a valid client certificate\. The server wants a client certificate it trusts: fill in Client Certificate and Client Key \(PEM\) with a certificate signed by a CA the server accepts\.$/,
		);
		// pasted into one-line password fields, the PEM line breaks are lost: still works
		const flat = (text = '') => text.replace(/\n/g, ' ');
		expect(
			await testCredential(
				credential(clientCertOnly, {
					ssl: 'verify-ca',
					sslCa: ca,
					sslCert: flat(clientCert),
					sslPrivateKey: flat(clientKey),
				}),
			),
		).toEqual(ok(clientCertOnly));
	});

	test('a certificate for another host name: Verify Full refuses it, Verify (CA) accepts it', async () => {
		const { ca, clientCert, clientKey } = clientCertOnly.tls ?? {};
		const tls = { sslCa: ca, sslCert: clientCert, sslPrivateKey: clientKey };
		const full = await testCredential(credential(clientCertOnly, { ssl: 'verify-full', ...tls }));
		expect(full.status).toBe('Error');
		expect(full.message).toContain(
			`Could not connect to PostgreSQL at ${where(clientCertOnly)}: Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list`,
		);
		expect(full.message.endsWith(` ${certificateHint}`)).toBe(true);
		expect(await testCredential(credential(clientCertOnly, { ssl: 'verify-ca', ...tls }))).toEqual(
			ok(clientCertOnly),
		);
	});

	test('node runs over Verify Full: a label created, then listed', async () => {
		const credentials = {
			associationStoreApi: credential(tlsOnly, {
				ssl: 'verify-full',
				sslCa: tlsOnly.tls?.ca,
				namespace: 'tls_nodes',
			}),
		};
		const created = await runNode(credentials, [{}], {
			name: 'Create',
			type: 'createAssociation',
			parameters: {
				operation: 'create',
				firstObjectKey: rl('contact', 'key'),
				secondObjectKey: rl('company', 'key'),
				labelType: 'single',
				labelName: 'Employee over TLS',
			},
		});
		expect(created.output('Create')[0].json).toEqual(
			expect.objectContaining({ created: true, key: 'employee_over_tls' }),
		);
		const listed = await runNode(credentials, [{}], {
			name: 'List',
			type: 'createAssociation',
			parameters: { operation: 'getMany', objectKey: rl(''), returnAll: true },
		});
		expect(listed.output('List').map((item) => item.json.key)).toEqual(['employee_over_tls']);
	});
});
