#!/usr/bin/env node
// Installs this package from its own tarball the way n8n 2.40's community-package installer does, into a
// cache folder, and prints that folder's `nodes` path as the LAST line of stdout. The end-to-end harness and
// `npm start -- --check --from-tarball` link the installed copy into an n8n user folder, so they test what
// users get: the files `npm pack` ships and the dependencies npm installs from package.json, nothing else.
//
//   node scripts/install-packed.mjs        # packs (~2 s); installs on a new tarball (~20-40 s), else reuses
//   node scripts/install-packed.mjs <dir>  # the same for the package in <dir> (default: this repository)
//
// What n8n 2.40.7 does (dist/modules/community-packages/community-packages.service.js, downloadPackage):
//   npm pack <name>@<version>; tar -xzf into <user folder>/.n8n/nodes/node_modules/<name>; remove
//   devDependencies, peerDependencies and optionalDependencies from its package.json; in that folder
//   `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow --ignore-scripts=true
//   --package-lock=false`; add the package to <user folder>/.n8n/nodes/package.json.
// Install scripts do NOT run: a native dependency (sqlite3) would be left uncompiled. n8n makes its own
// node_modules resolvable for packages (NODE_PATH), so peer dependencies come from n8n.
//
// Cache: ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-object-associations/packed/<sha256 of the tarball>/
// (N8N_PACKED_CACHE_DIR overrides the parent folder). npm pack writes fixed timestamps, so the same files give
// the same tarball. Entries unused for 2 days are removed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_DIR = path.resolve(
	process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const CACHE_ROOT =
	process.env.N8N_PACKED_CACHE_DIR ??
	path.join(
		process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
		'n8n-nodes-object-associations',
		'packed',
	);
const MARKER = '.installed.json';
const STALE_MS = 2 * 24 * 3600_000;
const N8N_INSTALL_FLAGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

const log = (message) => process.stderr.write(`[install-packed] ${message}\n`);
function fail(message) {
	process.stderr.write(`[install-packed] ERROR: ${message}\n`);
	process.exit(1);
}

/** npm without the calling project's npm_config_* (npm exports them to scripts it runs). */
function npm(args, cwd) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		const k = key.toLowerCase();
		if (
			k.startsWith('npm_config_') &&
			!/^npm_config_(registry|cache|userconfig|cafile|proxy|https_proxy|noproxy)$/.test(k)
		)
			delete env[key];
	}
	delete env.NODE_PATH;
	return execFileSync('npm', args, {
		cwd,
		env,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

function pack() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !fs.existsSync(path.join(REPO_DIR, file)));
	if (missing.length)
		fail(
			`package.json lists files that are not built: ${missing.join(', ')}; run \`npx n8n-node build\``,
		);
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-pack-'));
	const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', out], REPO_DIR));
	const tarball = path.join(out, result.filename);
	const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
	return { pkg, tarball, hash, files: result.files.map((f) => f.path).sort(), size: result.size };
}

/**
 * Every module the shipped JavaScript requires by name must be a dependency or a peer (n8n's own copy); once
 * installed (`installed`), every dependency must resolve from the file that requires it.
 */
function checkRequires(packageDir, pkg, installed) {
	const declared = new Set([
		...Object.keys(pkg.dependencies ?? {}),
		...Object.keys(pkg.peerDependencies ?? {}),
	]);
	const problems = [];
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js')) {
				const source = fs.readFileSync(file, 'utf8');
				for (const [, spec] of source.matchAll(/require\("([^"]+)"\)/g)) {
					if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec))
						continue;
					const name = spec.startsWith('@')
						? spec.split('/').slice(0, 2).join('/')
						: spec.split('/')[0];
					const where = path.relative(packageDir, file);
					if (!declared.has(name))
						problems.push(`${where} requires "${name}", which package.json does not declare`);
					else if (installed && pkg.dependencies?.[name]) {
						try {
							createRequire(file).resolve(spec);
						} catch {
							problems.push(`${where} requires "${spec}", which npm did not install`);
						}
					}
				}
			}
		}
	};
	walk(path.join(packageDir, 'dist'));
	return [...new Set(problems)];
}

function install({ pkg, tarball, hash, files, size }, dest) {
	const stage = `${dest}.tmp-${process.pid}-${Date.now()}`;
	const packageDir = path.join(stage, 'nodes', 'node_modules', pkg.name);
	fs.mkdirSync(packageDir, { recursive: true });
	try {
		execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
		const manifestPath = path.join(packageDir, 'package.json');
		// eslint-disable-next-line no-unused-vars
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			fs.readFileSync(manifestPath, 'utf8'),
		);
		fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		const undeclared = checkRequires(packageDir, pkg, false);
		if (undeclared.length)
			throw new Error(`the packed package cannot load:\n  ${undeclared.join('\n  ')}`);
		const started = Date.now();
		npm(['install', ...N8N_INSTALL_FLAGS], packageDir);
		log(`npm install (as n8n does) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
		fs.writeFileSync(
			path.join(stage, 'nodes', 'package.json'),
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
				null,
				2,
			),
		);
		const problems = checkRequires(packageDir, pkg, true);
		if (problems.length)
			throw new Error(`the installed package cannot load:\n  ${problems.join('\n  ')}`);
		fs.copyFileSync(tarball, path.join(stage, path.basename(tarball)));
		fs.writeFileSync(
			path.join(stage, MARKER),
			JSON.stringify({ hash, tarball: path.basename(tarball), size, files }, null, 2),
		);
		try {
			fs.renameSync(stage, dest);
		} catch (error) {
			if (!fs.existsSync(path.join(dest, MARKER))) throw error; // else: a concurrent run installed it first
			fs.rmSync(stage, { recursive: true, force: true });
		}
	} catch (error) {
		fs.rmSync(stage, { recursive: true, force: true });
		throw error;
	}
}

function pruneStale(keep) {
	for (const entry of fs.readdirSync(CACHE_ROOT)) {
		const dir = path.join(CACHE_ROOT, entry);
		if (dir === keep) continue;
		try {
			const marker = path.join(dir, MARKER);
			const stamp = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : fs.statSync(dir).mtimeMs;
			if (Date.now() - stamp > STALE_MS) fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			/* another run removed it */
		}
	}
}

const packed = pack();
const dest = path.join(CACHE_ROOT, packed.hash.slice(0, 20));
fs.mkdirSync(CACHE_ROOT, { recursive: true });
if (fs.existsSync(path.join(dest, MARKER))) {
	const now = new Date();
	fs.utimesSync(path.join(dest, MARKER), now, now); // in use: not stale
} else {
	log(
		`installing ${path.basename(packed.tarball)} (${packed.files.length} files, ${packed.size} bytes) as n8n does, into ${dest}`,
	);
	try {
		install(packed, dest);
	} catch (error) {
		fail(String(error?.stderr || error?.message || error));
	}
}
fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
pruneStale(dest);
process.stdout.write(`${path.join(dest, 'nodes')}\n`);
