import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { StoreConfig } from '../../core';

type PostgresSsl = Extract<StoreConfig, { type: 'postgres' }>['ssl'];

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * The credential's SSL field for the core. Credentials saved before the SSL field became a choice
 * hold a boolean: true meant "TLS, certificate not verified" and stays exactly that (the core reads
 * `true` as mode "require"); false, empty and "disable" are no TLS. An unknown value is passed on,
 * so the core refuses it with a message naming the allowed modes.
 */
export function sslFromCredential(credential: ICredentialDataDecryptedObject): PostgresSsl {
	const ssl = credential.ssl;
	if (ssl === true) return true;
	if (ssl === false || ssl === undefined || ssl === null || ssl === '' || ssl === 'disable')
		return false;
	const mode = String(ssl) as Exclude<PostgresSsl, boolean | undefined>['mode'];
	const verify = mode === 'verify-ca' || mode === 'verify-full';
	const ca = verify ? text(credential.sslCa) : '';
	const cert = text(credential.sslCert);
	const key = text(credential.sslPrivateKey);
	return {
		mode,
		...(ca ? { ca } : {}),
		...(cert ? { cert } : {}),
		...(key ? { key } : {}),
	};
}
