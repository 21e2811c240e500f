/**
 * The harness's report of an n8n that a signal killed: a launcher shaped like provision-n8n.sh's runs a Node that
 * dies by SIGSEGV, and the result carries gdb's native backtrace from the core it left (or, on a machine without
 * gdb or with cores piped elsewhere, the reason there is none); and which such crashes `expectSuccess` lets
 * pass. No n8n needed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { expectSuccess } from './example-helpers';
import { parseExecuteOutput, runN8n } from './n8n-harness';
import { executableOf, hardCoreLimit } from './native-crash';

const hasGdb = (() => {
	try {
		execFileSync('gdb', ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
})();
const corePattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
const coresLandInCwd =
	!corePattern.startsWith('|') && !corePattern.replace(/%p/g, '').includes('%');
const coresAllowed = hardCoreLimit() !== '0';

describe('a launcher killed by SIGSEGV', () => {
	let dir: string;
	let launcher: string;

	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-crash-'));
		launcher = path.join(dir, 'n8n');
		fs.writeFileSync(
			launcher,
			`#!/usr/bin/env bash\nexec "${process.execPath}" -e "process.kill(process.pid, 'SIGSEGV')" "$@"\n`,
			{ mode: 0o755 },
		);
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('the launcher’s executable is the node it execs', () => {
		expect(executableOf(launcher)).toBe(process.execPath);
	});

	test('reports the signal with the crashing thread’s native stack (or why there is none), and leaves no core behind', async () => {
		const result = await runN8n(launcher, ['execute'], { PATH: process.env.PATH }, 60_000, dir);

		expect(result.signal).toBe('SIGSEGV');
		expect(result.stderr).toContain(`[n8n-harness] ${result.nativeBacktrace}`);
		if (hasGdb && coresLandInCwd && coresAllowed) {
			expect(result.nativeBacktrace).toMatch(
				/^native backtrace of the SIGSEGV \(gdb, core core[.\d]*\):/,
			);
			// gdb names the frames of the thread that took the signal: kill() called from node
			expect(result.nativeBacktrace).toMatch(/#0 .*(kill|raise)/);
			expect(result.nativeBacktrace).toContain(process.execPath);
			// and every thread's stack, here Node's own platform workers among them
			expect(result.nativeBacktrace).toMatch(/^Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP \d+\)\)/m);
			expect(result.nativeBacktrace).toContain('PlatformWorkerThread');
		} else if (!coresAllowed) {
			expect(result.nativeBacktrace).toBe(
				'no native backtrace of the SIGSEGV: core dumps are off: the hard limit on core files is 0 (`ulimit -H -c`)',
			);
		} else {
			expect(result.nativeBacktrace).toMatch(
				/^(no native backtrace of the SIGSEGV: |native backtrace)/,
			);
		}
		expect(fs.readdirSync(dir).filter((name) => name.startsWith('core'))).toEqual([]);
	});
});

describe('expectSuccess on a successful run that ended by SIGSEGV (no n8n needed)', () => {
	const printedRun = JSON.stringify(
		{
			data: {
				resultData: {
					runData: { A: [{ data: { main: [[{ json: { x: 1 } }]] } }] },
					lastNodeExecuted: 'A',
				},
			},
			status: 'success',
		},
		null,
		2,
	);
	const crashed = (nativeBacktrace: string | undefined) =>
		parseExecuteOutput({
			code: null,
			signal: 'SIGSEGV',
			stdout: printedRun,
			stderr: '',
			seconds: 1,
			nativeBacktrace,
		});
	const stack = (frames: string) =>
		`native backtrace of the SIGSEGV (gdb, core core):\nProgram terminated with signal SIGSEGV, Segmentation fault.\n${frames}`;
	// what expectSuccess reports goes to stderr: captured here, so CI logs show no made-up crash
	let reported: string[];
	let stderrWrite: jest.SpyInstance;
	beforeEach(() => {
		reported = [];
		stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
			reported.push(String(text));
			return true;
		});
	});
	afterEach(() => stderrWrite.mockRestore());

	test('n8n’s isolated-vm exit race is reported, not failed: the run’s items are still there to assert on', () => {
		const result = crashed(
			stack(
				'#5  0x00007f953c31362e in ivm::thread_pool_t::resize(unsigned long) ()\n#6  0x00007f953c30d20b in ivm::thread_pool_t::~thread_pool_t() ()\n#7  __run_exit_handlers',
			),
		);
		expect(() => expectSuccess(result)).not.toThrow();
		expect(result.json).toEqual([{ x: 1 }]);
		expect(reported.join('')).toMatch(
			/^n8n printed a successful run, then died by SIGSEGV while exiting \(n8n's isolated-vm exit race; see expectSuccess\)\nnative backtrace of the SIGSEGV[\s\S]*ivm::thread_pool_t::~thread_pool_t/,
		);
	});

	test('a SIGSEGV with any other stack fails, with the stack in the message', () => {
		const frames = '#0  0x00007f0 in node_sqlite3::Statement::Work_Run(napi_env__*, void*) ()';
		expect(() => expectSuccess(crashed(stack(frames)))).toThrow(
			/workflow failed \(success, exit null, signal SIGSEGV\)[\s\S]*node_sqlite3::Statement::Work_Run/,
		);
		expect(reported).toEqual([]);
	});

	test('without a stack (no gdb, cores off) the crash cannot be told apart and is reported', () => {
		const result = crashed('no native backtrace of the SIGSEGV: core dumps are off');
		expect(() => expectSuccess(result)).not.toThrow();
		expect(() => expectSuccess(crashed(undefined))).not.toThrow();
		expect(reported).toHaveLength(2);
		expect(reported[0]).toContain('no native backtrace of the SIGSEGV: core dumps are off');
	});

	test('any other signal after a printed success still fails', () => {
		const result = parseExecuteOutput({
			code: null,
			signal: 'SIGABRT',
			stdout: printedRun,
			stderr: '',
			seconds: 1,
		});
		expect(() => expectSuccess(result)).toThrow(/signal SIGABRT/);
	});
});
