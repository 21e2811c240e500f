import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { MAX_PAGE_SIZE, openAssociations } from '../../../core';
import { describeFailure } from '../errors';
import { namespaceFromCredential, storeConfigFromCredential } from '../store';

/**
 * Opens the store the credential describes (which creates or upgrades the association tables) and reads
 * the namespace's labels, so a wrong password, an unreachable host or an unwritable file shows up here.
 */
export async function associationStoreConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const config = storeConfigFromCredential(data);
		const namespace = namespaceFromCredential(data);
		const associations = await openAssociations(config, namespace);
		const labels = await associations.labels.list({ limit: MAX_PAGE_SIZE });
		const where =
			config.type === 'sqlite'
				? `SQLite file ${config.path}`
				: `PostgreSQL ${config.host}:${config.port ?? 5432}/${config.database}${config.schema ? ` (schema ${config.schema})` : ''}`;
		const count =
			labels.length === MAX_PAGE_SIZE
				? `${MAX_PAGE_SIZE.toLocaleString('en-US')} or more labels`
				: `${labels.length} label${labels.length === 1 ? '' : 's'}`;
		return {
			status: 'OK',
			message: `Connected to ${where}; the association tables are ready. Namespace "${namespace}" has ${count}.`,
		};
	} catch (error) {
		return { status: 'Error', message: describeFailure(error).message };
	}
}
