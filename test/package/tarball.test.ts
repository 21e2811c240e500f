/**
 * What `npm pack` ships (the built dist/ must exist: `npx n8n-node build`, as npm test does first): what users
 * need and nothing else, links that work from the npm page, and an install that refuses a runtime dependency
 * missing from package.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const run = promisify(execFile);

interface Packed {
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}
let packed: Packed;

beforeAll(() => {
	const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[];
	const missing = listed.filter((file) => !fs.existsSync(path.join(ROOT, file)));
	if (missing.length)
		throw new Error(`not built (${missing.join(', ')}): run \`npx n8n-node build\``);
	[packed] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8' }),
	);
});

test('the tarball holds the licence, README, changelog and every file n8n loads', () => {
	const files = new Set(packed.files.map((file) => file.path));
	for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json'])
		expect(files).toContain(file);
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(file);
	for (const node of pkg.n8n.nodes as string[]) {
		const dir = path.dirname(node);
		const codex = node.replace(/\.js$/, '.json');
		expect(files).toContain(codex);
		expect(
			[...files].filter((file) => file.startsWith(`${dir}/`) && file.endsWith('.svg')),
		).toHaveLength(2);
	}
});

test('the tarball holds no build state, tests, TypeScript sources or repository files', () => {
	const unwanted = packed.files
		.map((file) => file.path)
		.filter(
			(file) =>
				file.endsWith('.tsbuildinfo') ||
				/(^|\/)(test|tests|__tests__|fixtures)\//.test(file) ||
				/\.test\.[cm]?[jt]s$/.test(file) ||
				(file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
				!(
					file.startsWith('dist/') ||
					['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json'].includes(file)
				),
		);
	expect(unwanted).toEqual([]);
	// Five nodes, their codex files and icons, with source maps: ~155 kB. Much more means something slipped in.
	expect(packed.size).toBeLessThan(250_000);
});

const REPO_URL = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

test('README and CHANGELOG links work from the npm page: absolute URLs to existing files, or headings of the same file', () => {
	const broken: string[] = [];
	for (const file of ['README.md', 'CHANGELOG.md']) {
		const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
		const anchors = new Set(
			[...text.matchAll(/^#+\s+(.+)$/gm)].map(([, heading]) =>
				heading
					.toLowerCase()
					.replace(/[^\p{L}\p{N}\s-]/gu, '')
					.trim()
					.replace(/\s/g, '-'),
			),
		);
		for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
			const inRepo = target.match(new RegExp(`^${REPO_URL}/(?:blob|tree)/main/(.+?)(#.*)?$`));
			const ok = target.startsWith('#')
				? anchors.has(target.slice(1))
				: inRepo
					? fs.existsSync(path.join(ROOT, inRepo[1]))
					: target.startsWith('https://');
			if (!ok) broken.push(`${file}: ${target}`);
		}
	}
	expect(broken).toEqual([]);
});

test('the documentation URLs n8n shows for the nodes point at README sections that exist', () => {
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const codexUrls = (pkg.n8n.nodes as string[]).flatMap((node) => {
		const codex = JSON.parse(
			fs.readFileSync(path.join(ROOT, node.replace(/\.js$/, '.json')), 'utf8'),
		);
		return Object.values(codex.resources as Record<string, Array<{ url: string }>>)
			.flat()
			.map((r) => r.url);
	});
	expect(codexUrls.length).toBeGreaterThan(0);
	for (const url of codexUrls) {
		expect(url.startsWith(`https://www.npmjs.com/package/${pkg.name}`)).toBe(true);
		const anchor = url.split('#')[1];
		if (anchor) expect(readme).toMatch(new RegExp(`^#+ ${anchor.replace(/-/g, '[ -]')}$`, 'im'));
	}
});

test('installing refuses a tarball whose code needs a module that package.json only lists for development', async () => {
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'assoc-tarball-'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
	const { zod, ...dependencies } = pkg.dependencies;
	fs.writeFileSync(
		path.join(copy, 'package.json'),
		JSON.stringify({
			...pkg,
			dependencies,
			devDependencies: { ...pkg.devDependencies, zod },
			scripts: {},
		}),
	);
	const install = run(process.execPath, [path.join(ROOT, 'scripts/install-packed.mjs'), copy], {
		env: { ...process.env, N8N_PACKED_CACHE_DIR: path.join(copy, 'cache') },
	});
	await expect(install).rejects.toMatchObject({
		stderr: expect.stringContaining('requires "zod", which package.json does not declare'),
	});
	fs.rmSync(copy, { recursive: true, force: true });
});
