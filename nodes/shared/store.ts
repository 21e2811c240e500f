import * as os from 'node:os';
import * as path from 'node:path';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { openAssociations, type Actor, type Associations, type StoreConfig } from '../../core';
import { sqliteAccessCheck } from './file-access';
import { sslFromCredential } from './tls-credential';

/**
 * The credential type every node of this package uses. The node classes spell it out: n8n's lint rule that checks every
 * credential is tested (testedBy) reads the literal there, and fails if it drifts from this name.
 */
export const CREDENTIAL_NAME = 'associationStoreApi';

/** The file used when the credential leaves the SQLite path empty. */
export const DEFAULT_SQLITE_FILE = 'associations.sqlite';

/** n8n's own folder: $N8N_USER_FOLDER/.n8n, or ~/.n8n. */
export function n8nUserFolder(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.N8N_USER_FOLDER?.trim() || os.homedir();
	return path.join(base, '.n8n');
}

/**
 * The SQLite file for a credential: empty means associations.sqlite in the n8n user folder,
 * "~/" is the home folder, and a relative path is taken inside the n8n user folder
 * (n8n's working directory differs between installs, its user folder does not).
 */
export function resolveSqlitePath(raw: unknown, env: NodeJS.ProcessEnv = process.env): string {
	const given = typeof raw === 'string' ? raw.trim() : '';
	if (!given) return path.join(n8nUserFolder(env), DEFAULT_SQLITE_FILE);
	if (given === '~' || given.startsWith('~/')) return path.join(os.homedir(), given.slice(1));
	return path.isAbsolute(given) ? given : path.join(n8nUserFolder(env), given);
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Turns the credential's fields into the core's store configuration. */
export function storeConfigFromCredential(credential: ICredentialDataDecryptedObject): StoreConfig {
	if (credential.storeType === 'postgres') {
		const port = Number(credential.port);
		const schema = text(credential.schema);
		return {
			type: 'postgres',
			host: text(credential.host) || 'localhost',
			port: Number.isInteger(port) && port > 0 ? port : 5432,
			database: text(credential.database),
			user: text(credential.user),
			password: typeof credential.password === 'string' ? credential.password : '',
			ssl: sslFromCredential(credential),
			...(schema ? { schema } : {}),
		};
	}
	const sqlitePath = resolveSqlitePath(credential.sqlitePath);
	const n8nFolder = n8nUserFolder();
	return {
		type: 'sqlite',
		path: sqlitePath,
		// n8n's file-access rules (N8N_RESTRICT_FILE_ACCESS_TO, n8n's own files), checked on the real path.
		checkAccess: sqliteAccessCheck({
			path: sqlitePath,
			isDefault: !text(credential.sqlitePath),
			n8nFolder,
			defaultFile: path.join(n8nFolder, DEFAULT_SQLITE_FILE),
		}),
	};
}

/** The credential's namespace (tenant); empty means "default". */
export function namespaceFromCredential(credential: ICredentialDataDecryptedObject): string {
	return text(credential.namespace) || 'default';
}

/** Who caused a change: written into every event the core records. */
export function actorOf(context: IExecuteFunctions): Actor {
	const actor: Actor = { nodeName: context.getNode().name };
	const workflowId = context.getWorkflow().id;
	if (workflowId !== undefined && workflowId !== null && String(workflowId) !== '') {
		actor.workflowId = String(workflowId);
	}
	const executionId = context.getExecutionId();
	if (executionId !== undefined && executionId !== null && String(executionId) !== '') {
		actor.executionId = String(executionId);
	}
	return actor;
}

/**
 * The association core for this execution. The core keeps one store (pool) per configuration per
 * process, so calling this once per execution reuses the connection; it is never called per item.
 */
export async function associationsFor(context: IExecuteFunctions): Promise<Associations> {
	const credential = await context.getCredentials(CREDENTIAL_NAME);
	return await openAssociations(
		storeConfigFromCredential(credential),
		namespaceFromCredential(credential),
		actorOf(context),
	);
}

/** The same, for pickers and the trigger (no actor: they only read). */
export async function associationsForPicker(
	context: Pick<ILoadOptionsFunctions, 'getCredentials'>,
): Promise<Associations> {
	const credential = await context.getCredentials(CREDENTIAL_NAME);
	return await openAssociations(
		storeConfigFromCredential(credential),
		namespaceFromCredential(credential),
	);
}
