/** Checks of an opened instance: it works, and its namespace and actor reach an event exactly. */
import type { Associations } from '../../../core';
import type { Outcome } from './check';
import type { Operation } from './operations';
import { expectStoredLabel, expectStoredLink } from './stored-rows';
import { PROBE_PAIR } from './world';

type OpenOperation = Extract<Operation, { op: 'open' }>;

export async function checkOpen(
	operation: OpenOperation,
	{ world, raw, result }: Outcome,
): Promise<string> {
	// A usable instance: its namespace and actor reach an event exactly.
	const opened = result as Associations;
	expect(opened.namespace).toBe(String(operation.namespace).trim());
	// The probe pair's object keys are longer than the generator's, so no generated call touches it.
	const { label } = await opened.labels.create({
		firstObjectKey: PROBE_PAIR[0],
		secondObjectKey: PROBE_PAIR[1],
		firstLabel: 'Probe',
	});
	await expectStoredLabel(raw, label);
	const pair = {
		label: { id: label.id },
		firstRecordId: 'r1',
		secondRecordId: `r${++world.probes}`,
	};
	await expectStoredLink(raw, (await opened.links.link(pair)).link);
	expect((await opened.links.unlink(pair)).status).toBe('deleted');
	const [event] = await raw.all(
		'SELECT namespace, type, label_id, actor FROM association_events WHERE namespace = ? ORDER BY id DESC LIMIT 1',
		[opened.namespace],
	);
	expect(event.type).toBe('link.deleted');
	expect(event.namespace).toBe(opened.namespace);
	expect(String(event.label_id)).toBe(label.id);
	const actor = operation.actor as Record<string, unknown> | null | undefined;
	const expected =
		actor === undefined || actor === null
			? null
			: Object.fromEntries(Object.entries(actor).filter(([, value]) => value !== undefined));
	expect(event.actor === null ? null : JSON.parse(String(event.actor))).toEqual(expected);
	return 'ok';
}
