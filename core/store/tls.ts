import type { StoreConfig } from '../types';
import { AssociationError } from '../errors';

type PostgresConfig = Extract<StoreConfig, { type: 'postgres' }>;
export type PostgresTls = Exclude<PostgresConfig['ssl'], boolean | undefined>;
export type PostgresSslMode = PostgresTls['mode'];

/** node-postgres' `ssl` object (passed on to tls.connect). */
export interface PgSslOptions {
	rejectUnauthorized: boolean;
	ca?: string;
	cert?: string;
	key?: string;
	/** verify-ca: the chain is checked, the host name is not. */
	checkServerIdentity?: () => undefined;
}

export const SSL_MODES: readonly PostgresSslMode[] = [
	'disable',
	'allow',
	'require',
	'verify-ca',
	'verify-full',
];

/** The TLS setting with the old boolean mapped: `true` was "TLS, certificate not verified" (require). */
export function tlsOf(config: PostgresConfig): PostgresTls {
	const ssl = config.ssl;
	if (ssl === true) return { mode: 'require' };
	if (ssl === false || ssl === undefined) return { mode: 'disable' };
	if (!SSL_MODES.includes(ssl.mode)) {
		throw new AssociationError(
			'VALIDATION',
			`Unknown SSL mode "${String(ssl.mode)}": use ${SSL_MODES.map((mode) => `"${mode}"`).join(', ')}.`,
		);
	}
	return ssl;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * PEM text as pasted into a credential field, made readable for OpenSSL: "\n" typed as two
 * characters and line breaks lost on paste into a one-line field (as in password fields) are
 * repaired by re-wrapping each block's base64 at 64 columns. Empty means "not given".
 */
function pem(value: string | undefined, what: string): string | undefined {
	const text = (value ?? '').trim().replace(/\\n/g, '\n');
	if (!text) return undefined;
	const blocks = [...text.matchAll(PEM_BLOCK)].map(([, label, body]) => {
		const base64 = body.replace(/\s+/g, '');
		return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
	});
	if (blocks.length === 0) {
		throw new AssociationError(
			'VALIDATION',
			`The ${what} is not in PEM format: paste the whole text, from "-----BEGIN" to the "-----END …-----" line.`,
		);
	}
	return blocks.join('');
}

/**
 * node-postgres' `ssl` option for a TLS setting (with TLS forced on, for the second attempt of
 * "allow"). false means a plain connection.
 */
export function postgresSslOption(tls: PostgresTls, forceTls = false): false | PgSslOptions {
	const mode = tls.mode === 'allow' && forceTls ? 'require' : tls.mode;
	if (mode === 'disable' || mode === 'allow') return false;
	const cert = pem(tls.cert, 'client certificate');
	const key = pem(tls.key, 'client key');
	if ((cert === undefined) !== (key === undefined)) {
		throw new AssociationError(
			'VALIDATION',
			'A client certificate needs its key, and a client key its certificate: give both or neither.',
		);
	}
	const client = cert && key ? { cert, key } : {};
	if (mode === 'require') return { rejectUnauthorized: false, ...client };
	const ca = pem(tls.ca, 'CA certificate');
	return {
		rejectUnauthorized: true,
		...(ca ? { ca } : {}),
		...client,
		// verify-ca checks the chain only; verify-full (node's default) also the host name.
		...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
	};
}

/** The server refused a plain connection because it only accepts TLS (the case "allow" retries with TLS). */
export function tlsRequiredByServer(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return /no pg_hba\.conf entry .*no encryption|SSL (connection )?(is )?required|requires? SSL/i.test(
		message,
	);
}

/** What to do about a TLS failure of a connection attempt, or undefined if it is not one. */
export function tlsHint(message: string): string | undefined {
	if (
		/valid client certificate|certificate required|alert (unknown ca|bad certificate)/i.test(
			message,
		)
	)
		return 'The server wants a client certificate it trusts: fill in Client Certificate and Client Key (PEM) with a certificate signed by a CA the server accepts.';
	if (/self[- ]signed|unable to (get|verify)|certificate|altnames/i.test(message))
		return "The server's certificate could not be verified: paste the server's CA certificate (PEM) into the credential's CA Certificate field, choose Verify (CA) if only the host name does not match the certificate, or choose Require to encrypt without verifying.";
	if (/does not support SSL/i.test(message))
		return 'The server does not accept TLS (SSL) connections: choose Disable or Allow in the SSL field, or enable TLS on the server.';
	if (/no encryption/i.test(message))
		return 'The server accepts only TLS (SSL) connections from n8n: choose Require, Verify (CA) or Verify Full in the SSL field.';
	if (/ssl|tls/i.test(message))
		return 'Check the SSL setting: the server and the credential disagree.';
	return undefined;
}
