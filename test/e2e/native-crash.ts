/**
 * Native backtraces of an n8n process that a signal killed (SIGSEGV while exiting, seen in CI): n8n runs with core
 * dumps allowed, and when it dies by a core-dumping signal gdb reads the core it left in its working directory,
 * so the failure report carries the crashing thread's native stack instead of only the signal's name.
 * Nothing here is needed for a run to pass: without gdb, or when the kernel pipes cores elsewhere, the report
 * says why no backtrace could be taken.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Signals whose default action dumps core (signal(7)). */
const CORE_SIGNALS = new Set<string>([
	'SIGSEGV',
	'SIGABRT',
	'SIGBUS',
	'SIGFPE',
	'SIGILL',
	'SIGTRAP',
]);
const GDB_TIMEOUT_MS = 90_000;

/**
 * The command that runs `bin args` with core dumps allowed as far as the hard limit lets (the shell execs, so
 * the pid stays the same).
 */
export function withCoreDumps(bin: string, args: string[]): [string, string[]] {
	return [
		'bash',
		['-c', 'ulimit -S -c "$(ulimit -H -c)" 2>/dev/null || true; exec "$0" "$@"', bin, ...args],
	];
}

export const dumpsCore = (signal: string | null): boolean =>
	signal !== null && CORE_SIGNALS.has(signal);

/**
 * The executable a launcher runs: provision-n8n.sh's launcher is a bash script ending in `exec "<node>" …`;
 * anything else (an n8n a user installed, a node script) runs on the first `node` on PATH.
 */
export function executableOf(bin: string): string {
	const text = fs.readFileSync(bin, 'utf8').slice(0, 4096);
	const launched = /exec\s+"([^"]+\/node)"/.exec(text)?.[1];
	if (launched) return launched;
	if (!text.startsWith('#!')) return bin;
	const onPath = (process.env.PATH ?? '')
		.split(path.delimiter)
		.map((dir) => path.join(dir, 'node'))
		.find((candidate) => fs.existsSync(candidate));
	return onPath ?? 'node';
}

/** The hard limit on core file size this process (and so the n8n it starts) runs under, as /proc says it. */
export function hardCoreLimit(): string | undefined {
	try {
		const line = fs
			.readFileSync('/proc/self/limits', 'utf8')
			.split('\n')
			.find((l) => l.startsWith('Max core file size'));
		return line?.trim().split(/\s+/)[5];
	} catch {
		return undefined;
	}
}

/** Where the kernel writes a core for `pid` started in `cwd`, or why there is no such file. */
function coreFileOf(cwd: string, pid: number): { file?: string; why?: string } {
	if (hardCoreLimit() === '0')
		return { why: 'core dumps are off: the hard limit on core files is 0 (`ulimit -H -c`)' };
	let pattern = 'core';
	try {
		pattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
	} catch {
		/* not Linux: assume the classic "core" */
	}
	if (pattern.startsWith('|'))
		return { why: `the kernel pipes core dumps to a program (core_pattern "${pattern}")` };
	const name = pattern.replace(/%p/g, String(pid)).replace(/%%/g, '%');
	if (name.includes('%'))
		return { why: `core_pattern "${pattern}" names files this harness cannot predict` };
	const candidates = [path.resolve(cwd, name), path.resolve(cwd, `${name}.${pid}`)];
	const file = candidates.find((candidate) => fs.existsSync(candidate));
	return file ? { file } : { why: `no core file at ${candidates[0]} (core dumps disabled?)` };
}

/** gdb's per-thread notices ("[New LWP n]", core section sizes) say nothing about the crash. */
const withoutGdbNoise = (text: string): string =>
	text
		.split('\n')
		.filter(
			(line) =>
				!/^\[New LWP \d+\]$/.test(line) &&
				!/^warning: (Unexpected size of section|Can't open file anon_inode)/.test(line) &&
				!/^warning: .*during file-backed mapping note processing$/.test(line),
		)
		.join('\n')
		.trim();

function gdb(executable: string, core: string): Promise<string> {
	return new Promise((resolve) => {
		execFile(
			'gdb',
			[
				'-batch',
				'-nx',
				// every thread's innermost frames (at exit: who joins whom; native frames unwind, JIT ones may
				// not), then the crashing thread's, deeper
				...['-ex', 'thread apply all bt 16', '-ex', 'bt 40'],
				executable,
				core,
			],
			{ timeout: GDB_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error && !stdout)
					resolve(
						`gdb could not read the core: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
					);
				else resolve(withoutGdbNoise(`${stdout}${stderr ? `\n${stderr}` : ''}`));
			},
		);
	});
}

/**
 * The native backtrace of process `pid` (started in `cwd`, running `executable`) that `signal` killed, or a line
 * saying why there is none. The core file is removed once read: cores of n8n take hundreds of megabytes.
 */
export async function nativeBacktrace(
	cwd: string,
	pid: number,
	signal: string,
	executable: string,
): Promise<string> {
	const { file, why } = coreFileOf(cwd, pid);
	if (!file) return `no native backtrace of the ${signal}: ${why}`;
	try {
		return `native backtrace of the ${signal} (gdb, core ${path.basename(file)}):\n${await gdb(executable, file)}`;
	} finally {
		fs.rmSync(file, { force: true });
	}
}
