/**
 * This package as users get it: packed with `npm pack` and installed the way n8n 2.40's community-package
 * installer does (scripts/install-packed.mjs: dependencies from package.json only, install scripts skipped),
 * cached by the tarball's content hash. The harness links the installed copy into each n8n user folder.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

let installed: Promise<string> | undefined;

/**
 * Packs `repoDir` and installs the tarball (once per process; the script reuses the cache when the tarball is
 * unchanged). Returns the installed `nodes` folder: `package.json` and `node_modules/<name>`.
 */
export function installPackedPackage(repoDir: string): Promise<string> {
	installed ??= run(process.execPath, [path.join(repoDir, 'scripts', 'install-packed.mjs')], {
		cwd: repoDir,
		maxBuffer: 10 * 1024 * 1024,
	}).then(
		({ stdout }) => stdout.trim().split('\n').pop()!,
		(error) => {
			installed = undefined;
			throw new Error(
				`scripts/install-packed.mjs failed:\n${String(error.stderr ?? error).slice(-4000)}`,
			);
		},
	);
	return installed;
}

/**
 * Puts the installed package into `<n8nFolder>/nodes` as n8n's installer leaves it: its package.json naming the
 * dependency and `node_modules/<name>` (a link to the cached install, which n8n loads like a copy).
 */
export function linkInstalledPackage(nodesDir: string, n8nFolder: string, name: string): string {
	const target = path.join(n8nFolder, 'nodes');
	fs.mkdirSync(path.join(target, 'node_modules'), { recursive: true });
	fs.copyFileSync(path.join(nodesDir, 'package.json'), path.join(target, 'package.json'));
	const link = path.join(target, 'node_modules', name);
	fs.symlinkSync(path.join(nodesDir, 'node_modules', name), link, 'dir');
	return link;
}
