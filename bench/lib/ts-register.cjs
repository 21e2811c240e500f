'use strict';
// Loads the TypeScript core (and, for scenario 5, the nodes and the n8n engine test helper) from the .ts
// sources without a build step and without stale dist/: core/, nodes/, credentials/ and test/nodes/helpers/ are
// transpiled (transpile-only, tsconfig.json's options) with the installed `typescript` into a per-run folder
// under node_modules/.cache, so bare imports (typeorm, pg, ...) resolve from the project's node_modules and the
// measuring processes never load the compiler (which alone would add ~100 MB to their RSS).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

/** A folder (core/, nodes/) as of a git revision: [repository path, source] pairs (for before/after figures). */
function folderAt(ref, folder) {
	const { execFileSync } = require('node:child_process');
	const git = (...args) =>
		execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	return git('ls-tree', '-r', '--name-only', ref, folder)
		.split('\n')
		.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
		.map((file) => [file, git('show', `${ref}:${file}`)]);
}

function transpileCore(outDir, coreRef, nodesRef) {
	const ts = require(path.join(root, 'node_modules', 'typescript'));
	const compilerOptions = {
		module: ts.ModuleKind.CommonJS,
		target: ts.ScriptTarget.ES2022,
		experimentalDecorators: true,
		emitDecoratorMetadata: true,
		esModuleInterop: true,
		inlineSourceMap: true,
		inlineSources: false,
	};
	const walk = (dir) =>
		fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return walk(full);
			return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
		});
	const folders = ['core', 'nodes', 'credentials', path.join('test', 'nodes', 'helpers')].filter(
		(folder) =>
			fs.existsSync(path.join(root, folder)) &&
			!(coreRef && folder === 'core') &&
			!(nodesRef && folder === 'nodes'),
	);
	const sources = folders
		.flatMap((folder) => walk(path.join(root, folder)))
		.map((file) => [path.relative(root, file), fs.readFileSync(file, 'utf8')]);
	if (coreRef) sources.push(...folderAt(coreRef, 'core'));
	if (nodesRef) sources.push(...folderAt(nodesRef, 'nodes'));
	for (const [file, source] of sources) {
		const { outputText } = ts.transpileModule(source, {
			fileName: path.join(root, file),
			compilerOptions,
		});
		const target = path.join(outDir, file).replace(/\.ts$/, '.js');
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, outputText);
	}
	return outDir;
}

/**
 * Transpiles the sources into a fresh folder (the same layout as the repository); returns it.
 * With `coreRef`, core/ comes from that git revision instead of the work tree (before/after comparisons);
 * with `nodesRef`, nodes/ likewise (the n8n scenarios' before figures).
 */
exports.buildSources = (coreRef, nodesRef) => {
	const outDir = path.join(
		root,
		'node_modules',
		'.cache',
		'object-associations-bench',
		`core-${process.pid}`,
	);
	fs.rmSync(outDir, { recursive: true, force: true });
	return transpileCore(outDir, coreRef, nodesRef);
};

/** The core, as the package's users get it (core/index), from a folder buildSources() made. */
exports.loadCore = (builtDir) => require(path.join(builtDir, 'core', 'index.js'));
exports.root = root;
