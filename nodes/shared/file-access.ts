/**
 * n8n's file-access rules, applied to the SQLite file of an Association Store credential.
 *
 * What n8n does (n8n-core's file-system helpers, used by Read/Write Files from Disk):
 * - N8N_RESTRICT_FILE_ACCESS_TO: folders separated by ";" ("~" is the home folder). When set, a path
 *   is allowed only inside one of them; the path's symlinks are resolved first (realpath).
 * - N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES (default true): n8n's own folder (~/.n8n), its static cache,
 *   N8N_CONFIG_FILES, N8N_CUSTOM_EXTENSIONS and N8N_BINARY_DATA_STORAGE_PATH are off limits.
 * - N8N_BLOCK_FILE_PATTERNS: ";"-separated regular expressions of paths that are always blocked
 *   (default: anything inside a .git folder).
 *
 * What this package does:
 * - The default file (SQLite File left empty: associations.sqlite in the n8n user folder) is the
 *   package's own file and always allowed.
 * - A typed path obeys N8N_RESTRICT_FILE_ACCESS_TO when it is set, and N8N_BLOCK_FILE_PATTERNS.
 * - n8n's own files are never opened, whatever the settings (also with
 *   N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false): its database and journals, config (holds the
 *   encryption key), crash journal, event logs, and its folders for binary data, community nodes,
 *   custom nodes, source control and SSH keys, the static cache, config files and *_FILE secrets.
 *   Other files in the n8n user folder (say, ~/.n8n/crm.sqlite) stay allowed, as before.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { AssociationError } from '../../core';

export interface SqliteAccessContext {
	/** The path as the credential resolved it (shown in messages). */
	path: string;
	/** SQLite File was left empty: the package's default file. */
	isDefault: boolean;
	/** n8n's user folder ($N8N_USER_FOLDER/.n8n or ~/.n8n). */
	n8nFolder: string;
	/** The default file, suggested in refusals. */
	defaultFile: string;
	env?: NodeJS.ProcessEnv;
}

/** n8n's default for N8N_BLOCK_FILE_PATTERNS: paths inside a .git folder. */
const DEFAULT_BLOCK_FILE_PATTERNS = '^(?:[^/]*/)*\\.git(?:/.*)?$';

const inside = (folder: string, target: string): boolean => {
	const relative = path.relative(folder, target);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

const expandHome = (value: string): string =>
	value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : value;

/** The path itself and, if it exists, its real path (symlinks resolved): either spelling counts. */
async function spellings(value: string): Promise<string[]> {
	const resolved = path.resolve(expandHome(value));
	const real = await fs.realpath(resolved).catch(() => resolved);
	return real === resolved ? [resolved] : [resolved, real];
}

/** The folders N8N_RESTRICT_FILE_ACCESS_TO allows, as n8n reads it (empty: no restriction). */
export function allowedFolders(env: NodeJS.ProcessEnv = process.env): string[] {
	return (env.N8N_RESTRICT_FILE_ACCESS_TO ?? '')
		.split(';')
		.map((folder) => folder.trim())
		.filter((folder) => folder);
}

interface Protected {
	/** A file, or every file whose name starts with it (prefix), or everything inside a folder. */
	path: string;
	match: 'file' | 'prefix' | 'folder';
	what: string;
}

/** n8n's own files and folders. */
function n8nOwnPaths(n8nFolder: string, env: NodeJS.ProcessEnv): Protected[] {
	const database = path.resolve(n8nFolder, env.DB_SQLITE_DATABASE?.trim() || 'database.sqlite');
	const userHome = path.dirname(n8nFolder);
	const own: Protected[] = [
		{ path: database, match: 'file', what: "n8n's own database" },
		...['-wal', '-shm', '-journal'].map(
			(suffix): Protected => ({
				path: database + suffix,
				match: 'file',
				what: "a journal of n8n's own database",
			}),
		),
		{
			path: path.join(n8nFolder, 'config'),
			match: 'file',
			what: "n8n's settings file (it holds the encryption key)",
		},
		{ path: path.join(n8nFolder, 'crash.journal'), match: 'file', what: "n8n's crash journal" },
		{
			path: path.join(n8nFolder, env.N8N_EVENTBUS_LOGWRITER_LOGBASENAME?.trim() || 'n8nEventLog'),
			match: 'prefix',
			what: "n8n's event log",
		},
		...(
			[
				['binaryData', "n8n's binary data folder"],
				['nodes', "n8n's community nodes folder"],
				['custom', "n8n's custom nodes folder"],
				['node-definitions', "n8n's node definitions folder"],
				['git', "n8n's source control folder"],
				['ssh', "n8n's SSH key folder"],
			] as const
		).map(
			([name, what]): Protected => ({ path: path.join(n8nFolder, name), match: 'folder', what }),
		),
		{ path: path.join(userHome, '.cache', 'n8n'), match: 'folder', what: "n8n's cache folder" },
	];
	const fromEnv = (
		value: string | undefined,
		separator: string,
		what: string,
		match: Protected['match'],
	) =>
		(value ?? '')
			.split(separator)
			.map((entry) => entry.trim())
			.filter((entry) => entry)
			.forEach((entry) => own.push({ path: path.resolve(expandHome(entry)), match, what }));
	fromEnv(env.N8N_EVENTBUS_LOGWRITER_LOGFULLPATH, '\0', "n8n's event log", 'prefix');
	fromEnv(env.N8N_CONFIG_FILES, ',', 'an n8n configuration file (N8N_CONFIG_FILES)', 'file');
	fromEnv(
		env.N8N_CUSTOM_EXTENSIONS,
		';',
		'an n8n custom nodes folder (N8N_CUSTOM_EXTENSIONS)',
		'folder',
	);
	fromEnv(env.N8N_BINARY_DATA_STORAGE_PATH, '\0', "n8n's binary data folder", 'folder');
	// Secrets n8n reads from files: N8N_ENCRYPTION_KEY_FILE, DB_POSTGRESDB_PASSWORD_FILE, …
	for (const [name, value] of Object.entries(env)) {
		if (/^(N8N|DB|QUEUE|CREDENTIALS|EXECUTIONS)_\w*_FILE$/.test(name))
			fromEnv(value, '\0', `a file n8n reads a secret from (${name})`, 'file');
	}
	return own;
}

async function ownFileHit(real: string, n8nFolder: string, env: NodeJS.ProcessEnv) {
	for (const entry of n8nOwnPaths(n8nFolder, env)) {
		for (const spelling of await spellings(entry.path)) {
			const hit =
				entry.match === 'file'
					? real === spelling
					: entry.match === 'folder'
						? inside(spelling, real)
						: path.dirname(real) === path.dirname(spelling) &&
							path.basename(real).startsWith(path.basename(spelling));
			if (hit) return entry;
		}
	}
	return undefined;
}

function blockedPattern(real: string, env: NodeJS.ProcessEnv): string | undefined {
	const patterns = env.N8N_BLOCK_FILE_PATTERNS ?? DEFAULT_BLOCK_FILE_PATTERNS;
	const normalized = path.posix.normalize(real.replace(/\\/g, '/'));
	return patterns
		.split(';')
		.map((pattern) => pattern.trim())
		.filter((pattern) => pattern)
		.find((pattern) => {
			try {
				return new RegExp(pattern, 'mi').test(normalized);
			} catch {
				return true; // as n8n: an invalid pattern blocks
			}
		});
}

/**
 * The access check for a credential's SQLite file; the core calls it with the file's real path
 * before creating anything. Refusals name the file, the reason and the setting that decides.
 */
export function sqliteAccessCheck(context: SqliteAccessContext): (real: string) => Promise<void> {
	const env = context.env ?? process.env;
	const shown = (real: string) =>
		real === context.path ? `"${context.path}"` : `"${context.path}" (really ${real})`;
	const refuse = (message: string, details: Record<string, unknown>) =>
		new AssociationError('STORE', message, { path: context.path, ...details });
	return async (real: string) => {
		const n8nFolder = (await spellings(context.n8nFolder)).at(-1) as string;
		const own = await ownFileHit(real, n8nFolder, env);
		if (own) {
			throw refuse(
				`The SQLite file ${shown(real)} is ${own.what}. This package never opens n8n's own files, whatever N8N_RESTRICT_FILE_ACCESS_TO or N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES say. Choose another file, or leave SQLite File empty for ${context.defaultFile}.`,
				{ reason: 'n8n_file' },
			);
		}
		if (context.isDefault) return;
		const pattern = blockedPattern(real, env);
		if (pattern !== undefined) {
			throw refuse(
				`The SQLite file ${shown(real)} is blocked by N8N_BLOCK_FILE_PATTERNS (pattern "${pattern}"${env.N8N_BLOCK_FILE_PATTERNS === undefined ? ", n8n's default" : ''}). Choose a file elsewhere, or leave SQLite File empty for ${context.defaultFile}.`,
				{ reason: 'blocked_pattern', setting: 'N8N_BLOCK_FILE_PATTERNS' },
			);
		}
		const allowed = allowedFolders(env);
		if (allowed.length === 0) return;
		for (const folder of allowed) {
			for (const spelling of await spellings(folder)) if (inside(spelling, real)) return;
		}
		throw refuse(
			`The SQLite file ${shown(real)} is outside the folders n8n may use: N8N_RESTRICT_FILE_ACCESS_TO allows only ${allowed.map((folder) => `"${folder}"`).join(', ')}. Choose a file inside one of them, leave SQLite File empty for ${context.defaultFile} (always allowed), or have the n8n admin add the file's folder to N8N_RESTRICT_FILE_ACCESS_TO (folders separated by ";").`,
			{ reason: 'restricted', setting: 'N8N_RESTRICT_FILE_ACCESS_TO', allowed },
		);
	};
}
