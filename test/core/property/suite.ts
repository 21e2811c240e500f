/**
 * Property-based checks of every public core operation (issue 9): fast-check generates inputs that mix
 * valid values with hostile ones (NUL, lone surrogates, emoji, control characters, very long text,
 * numbers, null, objects, lists) and throws them at one store. For each call:
 * - a refusal is an AssociationError with a known code (never STORE: a healthy store must not fail on
 *   what a caller sends), a non-empty, well-formed message, and no table changed;
 * - a success returns exactly what is stored (read back with raw SQL), no undefined result slot, and
 *   the tables change by exactly what the result reports (created links = new rows = new events …).
 *
 * PROPERTY_RUNS (calls per dialect, default 5000) and PROPERTY_SEED replay a run; the seed is printed at
 * the start and, with the path of the failing case, in the failure. The store is shared by all calls of a
 * run (state builds up, as in real use), so replay a failure with the same seed and runs, not the
 * counterexample alone. PROPERTY_DEBUG=<op> prints the refusals of one operation (to tune generators).
 */
import * as fc from 'fast-check';

import type { Dialect } from '../../support/stores';
import { check } from './check';
import { inputsIn, operation } from './operations';
import { closeWorld, openWorld, type World } from './world';

export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 5000);
export const PROPERTY_SEED =
	process.env.PROPERTY_SEED !== undefined
		? Number(process.env.PROPERTY_SEED)
		: Math.floor(Math.random() * 2 ** 31);

/** One dialect's suite: PROPERTY_RUNS generated calls on one store. */
export function propertySuite(dialect: Dialect): void {
	describe(`every public operation on ${dialect}, with generated inputs`, () => {
		let world: World | undefined;
		beforeAll(async () => {
			world = await openWorld(dialect);
		});
		afterAll(() => closeWorld(world));

		it(`${PROPERTY_RUNS} calls: a typed refusal that changes nothing, or a result that is what is stored`, async () => {
			// Printed first, so a run that dies (not only one that fails) can be replayed.
			console.log(
				`[${dialect}] property suite: PROPERTY_SEED=${PROPERTY_SEED} PROPERTY_RUNS=${PROPERTY_RUNS}`,
			);
			let calls = 0;
			let inputs = 0;
			const outcomes = new Map<string, number>();
			const started = Date.now();
			await fc.assert(
				fc.asyncProperty(operation, async (generated) => {
					calls++;
					inputs += inputsIn(generated);
					const outcome = `${generated.op}:${await check(world!, generated)}`;
					outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
				}),
				{ seed: PROPERTY_SEED, numRuns: PROPERTY_RUNS },
			);
			console.log(
				`[${dialect}] ${calls} calls with ${inputs} generated inputs in ${((Date.now() - started) / 1000).toFixed(1)} s; outcomes: ${[
					...outcomes,
				]
					.sort()
					.map(([outcome, n]) => `${outcome} ${n}`)
					.join(', ')}`,
			);
		}, 600_000);
	});
}
