import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { AssociationError } from '../errors';

/** At most this many missing folders are created above the file. */
export const MAX_NEW_FOLDERS = 16;

/**
 * Kernel file systems: no SQLite file can live there, and some calls never return on them
 * (Node's recursive mkdir loops forever under /proc). /dev/shm is an ordinary tmpfs and stays usable.
 */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];
const SYSTEM_EXCEPTIONS = ['/dev/shm'];

const inside = (folder: string, target: string): boolean => {
	const relative = path.relative(folder, target);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

const isSystemPath = (target: string): boolean =>
	process.platform !== 'win32' &&
	SYSTEM_ROOTS.some((root) => inside(root, target)) &&
	!SYSTEM_EXCEPTIONS.some((root) => inside(root, target));

const CHECK = 'Check that the folder exists and that n8n may write to it.';

function refuse(file: string, reason: string, code?: string, hint = CHECK): AssociationError {
	return new AssociationError(
		'STORE',
		`Could not open the SQLite file "${file}": ${reason}. ${hint}`,
		{
			path: file,
			...(code ? { code } : {}),
		},
	);
}

const codeOf = (error: unknown): string | undefined => (error as { code?: string }).code;

async function statOrMissing(target: string): Promise<Stats | 'missing' | 'notdir'> {
	try {
		return await fs.stat(target);
	} catch (error) {
		if (codeOf(error) === 'ENOENT') return 'missing';
		if (codeOf(error) === 'ENOTDIR') return 'notdir';
		throw error;
	}
}

function kindOf(stats: Stats): string {
	if (stats.isDirectory()) return 'a folder';
	if (stats.isFIFO()) return 'a named pipe';
	if (stats.isSocket()) return 'a socket';
	if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
	return 'not a regular file';
}

/**
 * Makes a SQLite file ready to open, without ever blocking the event loop or running unbounded:
 * only asynchronous, non-recursive file-system calls (each returns an error instead of looping),
 * at most MAX_NEW_FOLDERS new folders, kernel file systems refused up front. `checkAccess` sees the
 * real path (symlinks resolved) before anything is created. Returns the real path to open.
 */
export async function prepareSqliteFile(
	file: string,
	checkAccess?: (realPath: string) => Promise<void> | void,
): Promise<string> {
	if (!file.trim() || file.includes('\0')) throw refuse(file, 'the path is empty or invalid');
	const target = path.resolve(file);
	const systemHint =
		'Choose a file on an ordinary disk, e.g. in the n8n user folder (leave SQLite File empty for ~/.n8n/associations.sqlite).';
	if (isSystemPath(target))
		throw refuse(
			file,
			`${target} is inside a kernel file system (/proc, /sys, /dev)`,
			undefined,
			systemHint,
		);

	// Walk up to the nearest folder that exists; remember the missing ones.
	const missing: string[] = [];
	let existing = path.dirname(target);
	try {
		for (;;) {
			const stats = await statOrMissing(existing);
			if (stats === 'missing' || stats === 'notdir') {
				missing.unshift(path.basename(existing));
				if (missing.length > MAX_NEW_FOLDERS)
					throw refuse(
						file,
						`more than ${MAX_NEW_FOLDERS} of its folders are missing`,
						undefined,
						'Check the path for a typo, or create the folder first.',
					);
				const parent = path.dirname(existing);
				if (parent === existing) throw refuse(file, 'no folder of its path exists', 'ENOENT');
				existing = parent;
				continue;
			}
			if (!stats.isDirectory())
				throw refuse(file, `"${existing}" is a file, not a folder (ENOTDIR)`, 'ENOTDIR');
			break;
		}
	} catch (error) {
		if (error instanceof AssociationError) throw error;
		throw refuse(file, `${existing}: ${messageOf(error)}`, codeOf(error));
	}

	// The real path: symlinks of the existing part resolved (and of the file itself, if it exists).
	let realExisting: string;
	let real: string;
	try {
		realExisting = await fs.realpath(existing);
		real = path.join(realExisting, ...missing, path.basename(target));
		if (missing.length === 0) {
			// A symlink to a missing file would let SQLite create the file wherever the link points,
			// past the access check: refused.
			const link = await fs.lstat(target).catch(() => null);
			if (link?.isSymbolicLink() && (await statOrMissing(target)) === 'missing')
				throw refuse(
					file,
					`it is a symbolic link to a missing file (${await fs.readlink(target)})`,
					'ENOENT',
					'Give the path of the file itself, or create the file the link points to.',
				);
			const stats = await statOrMissing(target);
			if (stats !== 'missing' && stats !== 'notdir') {
				if (!stats.isFile())
					throw refuse(
						file,
						`it is ${kindOf(stats)}`,
						undefined,
						'Give the path of a SQLite file (it is created if missing).',
					);
				real = await fs.realpath(target);
			}
		}
	} catch (error) {
		if (error instanceof AssociationError) throw error;
		throw refuse(file, messageOf(error), codeOf(error));
	}
	if (isSystemPath(real))
		throw refuse(
			file,
			`it leads to ${real}, inside a kernel file system (/proc, /sys, /dev)`,
			undefined,
			systemHint,
		);
	await checkAccess?.(real);

	// Create the missing folders one level at a time.
	for (let depth = 1; depth <= missing.length; depth++) {
		const folder = path.join(realExisting, ...missing.slice(0, depth));
		try {
			await fs.mkdir(folder);
		} catch (error) {
			if (codeOf(error) === 'EEXIST' && (await fs.stat(folder).catch(() => null))?.isDirectory())
				continue;
			throw refuse(
				file,
				`could not create the folder "${folder}": ${messageOf(error)}`,
				codeOf(error),
			);
		}
	}
	return real;
}

const messageOf = (error: unknown): string =>
	error instanceof Error ? error.message : String(error);
