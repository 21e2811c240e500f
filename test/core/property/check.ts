/**
 * One generated call, made and checked: a typed refusal that changes nothing, or a result that is what
 * is stored. The checks of a successful result are by operation family (check-*.ts).
 */
import { checkLabelOperation } from './check-labels';
import { checkLinkOperation } from './check-links';
import { checkOpen } from './check-open';
import { checkQuery } from './check-queries';
import { expectKnownError } from './expectations';
import type { Operation } from './operations';
import { fingerprint, type Fingerprint, type Raw } from './stored-rows';
import { call, resolveRefs, type World } from './world';

/** A successful call as the family checks see it: its result, and the tables before and after. */
export interface Outcome {
	world: World;
	raw: Raw;
	result: unknown;
	before: Fingerprint;
	after: Fingerprint;
	/** Asserts that no table changed. */
	unchanged: () => void;
	/** Asserts that the tables changed by exactly these row counts. */
	delta: (labels: number, links: number, events: number) => void;
}

/** Runs one generated call and checks it; throws (failing the property) on any broken rule. */
export async function check(world: World, generated: Operation): Promise<string> {
	const operation = (await resolveRefs(world, generated)) as Operation;
	const { raw } = world;
	const before = await fingerprint(raw);
	let result: unknown;
	try {
		result = await call(world, operation);
	} catch (error) {
		expectKnownError(error);
		if (process.env.PROPERTY_DEBUG === operation.op) console.log(error.message.slice(0, 160));
		expect(await fingerprint(raw)).toEqual(before);
		return error.code;
	}
	expect(result).not.toBeUndefined();
	const after = await fingerprint(raw);
	const unchanged = () => expect(after).toEqual(before);
	const delta = (labels: number, links: number, events: number) =>
		expect([
			after.labels - before.labels,
			after.links - before.links,
			after.events - before.events,
		]).toEqual([labels, links, events]);

	const outcome: Outcome = { world, raw, result, before, after, unchanged, delta };

	switch (operation.op) {
		case 'create':
		case 'createMany':
		case 'rename':
		case 'setLimits':
		case 'delete':
		case 'get':
		case 'usage':
		case 'list':
		case 'objectKeys':
			return checkLabelOperation(operation, outcome);
		case 'link':
		case 'linkMany':
		case 'unlink':
		case 'unlinkMany':
		case 'unlinkRecord':
		case 'unlinkRecords':
			return checkLinkOperation(operation, outcome);
		case 'relatedList':
		case 'relatedCount':
		case 'labelsBetween':
		case 'events':
			return checkQuery(operation, outcome);
		case 'open':
			return checkOpen(operation, outcome);
	}
}
