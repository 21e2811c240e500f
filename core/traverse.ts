import { AssociationError } from './errors';
import { allLabels, describeRef, labelNotFound, matchesRef } from './label-lookup';
import * as schemas from './schemas';
import type { Store } from './store/store';
import type { GraphSqlRepository, HopSource } from './store/repositories/graph.repository';
import {
	MAX_LINKS_PER_HOP,
	comparePositions,
	decodeTraversalCursor,
	encodeTraversalCursor,
	traverseInput,
	type TraversalPosition,
} from './traverse-input';
import type { AssociationLabel, Side } from './types';
import type { z } from 'zod';

export type TraverseInput = z.input<typeof traverseInput>;

/** One link of a path: the label followed and the record it led to (with its role under that label). */
export interface TraversalHop {
	labelKey: string;
	/** The reached record's role, as seen from the record before it (its side's display name). */
	label: string;
	objectKey: string;
	recordId: string;
	linkId: string;
}

export interface ReachedRecord {
	objectKey: string;
	recordId: string;
	/** Hops from the start record: 1 to 5. */
	depth: number;
	/** The start record the path begins at. */
	from: { objectKey: string; recordId: string };
	/** The hops of the path that reached the record first; its last hop is the record itself. */
	path: TraversalHop[];
}

export interface TraversalPage {
	items: ReachedRecord[];
	nextCursor: string | null;
}

/** A label followed from one of its sides, during one step. */
interface Direction {
	label: AssociationLabel;
	from: Side;
	fromObject: string;
	toObject: string;
}

/** A record reached (or started from), with the link that reached it first. */
interface Node extends TraversalPosition {
	parent: Node | null;
	hop: TraversalHop | null;
}

const other = (side: Side): Side => (side === 'first' ? 'second' : 'first');
const objectOf = (label: AssociationLabel, side: Side) =>
	side === 'first' ? label.firstObjectKey : label.secondObjectKey;
const nodeKey = (objectKey: string, recordId: string) => `${objectKey}\u0000${recordId}`;
/** Link ids are decimal BIGINTs: shorter is smaller. */
const compareIds = (a: string, b: string) =>
	a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/**
 * Which labels each step follows, from which side, decided from the labels alone (not the data): a step
 * whose label or target object cannot continue from the objects the previous step reaches is refused.
 */
export function planSteps(
	labels: AssociationLabel[],
	namespace: string,
	startObjects: Set<string>,
	steps: z.output<typeof traverseInput>['steps'],
): Direction[][] {
	let objects = startObjects;
	return steps.map((step, i) => {
		const where = `steps[${i}]`;
		const reachable = [...objects].join(', ');
		let candidates = labels;
		if (step.label) {
			const label = labels.find((candidate) => matchesRef(candidate, step.label!));
			if (!label) throw labelNotFound(namespace, step.label);
			if (!objects.has(label.firstObjectKey) && !objects.has(label.secondObjectKey)) {
				throw new AssociationError(
					'VALIDATION',
					`Invalid traversal: ${where}.label (${describeRef(step.label)}) links ${label.firstObjectKey} and ${label.secondObjectKey}, but this step starts from ${reachable}. Pick a label of ${reachable}, or change the step before it.`,
					{ step: i, labelKey: label.key, from: [...objects] },
				);
			}
			candidates = [label];
		}
		const directions: Direction[] = [];
		for (const label of candidates) {
			for (const from of ['first', 'second'] as const) {
				const fromObject = objectOf(label, from);
				const toObject = objectOf(label, other(from));
				if (!objects.has(fromObject)) continue;
				if (step.objectKey !== undefined && step.objectKey !== toObject) continue;
				directions.push({ label, from, fromObject, toObject });
			}
		}
		if (directions.length === 0) {
			const through = step.label ? `label "${candidates[0].key}"` : 'any label';
			throw new AssociationError(
				'VALIDATION',
				`Invalid traversal: ${where} cannot reach ${step.objectKey ?? 'any object'} from ${reachable} through ${through}. Fix ${where}.objectKey or ${where}.label, or create a label that links them.`,
				{ step: i, from: [...objects], objectKey: step.objectKey ?? null },
			);
		}
		objects = new Set(directions.map((direction) => direction.toObject));
		return directions;
	});
}

/**
 * Follows a path of steps from one or many start records, one set-based statement per hop. Every record
 * is reached once, at its smallest depth, through the first path in output order (so cycles end); the
 * start records themselves are never reached again.
 */
export async function traverse(
	store: Store,
	namespace: string,
	input: TraverseInput,
): Promise<TraversalPage> {
	const parsed = schemas.parse(traverseInput, input, 'traversal');
	const after = parsed.cursor ? decodeTraversalCursor(parsed.cursor) : null;
	return store.read(async (repo) => {
		const labels = await allLabels(repo, namespace);
		const plan = planSteps(
			labels,
			namespace,
			new Set(parsed.start.map((record) => record.objectKey)),
			parsed.steps,
		);
		const visited = new Map<string, Node>();
		let frontier: Node[] = [];
		for (const record of parsed.start) {
			const key = nodeKey(record.objectKey, record.recordId);
			if (visited.has(key)) continue;
			const node: Node = { ...record, depth: 0, parent: null, hop: null };
			visited.set(key, node);
			frontier.push(node);
		}
		const reached: Node[] = [];
		let wanted = 0;
		for (let depth = 1; depth <= plan.length && frontier.length > 0; depth++) {
			frontier = await nextDepth(repo.graph, plan[depth - 1], frontier, visited, depth);
			reached.push(...frontier);
			if (after) wanted += frontier.filter((node) => comparePositions(node, after) > 0).length;
			else wanted += frontier.length;
			if (wanted > parsed.limit) break;
		}
		const remaining = after ? reached.filter((node) => comparePositions(node, after) > 0) : reached;
		const page = remaining.slice(0, parsed.limit);
		return {
			items: page.map(toReached),
			nextCursor:
				remaining.length > parsed.limit ? encodeTraversalCursor(page[page.length - 1]) : null,
		};
	});
}

/** One hop: every link from the frontier through the step's directions, new records only, in output order. */
async function nextDepth(
	graph: GraphSqlRepository,
	directions: Direction[],
	frontier: Node[],
	visited: Map<string, Node>,
	depth: number,
): Promise<Node[]> {
	const sources: Record<Side, HopSource[]> = { first: [], second: [] };
	const byLabel = new Map<string, Direction[]>();
	for (const direction of directions) {
		byLabel.set(direction.label.id, [...(byLabel.get(direction.label.id) ?? []), direction]);
		for (const node of frontier) {
			if (node.objectKey === direction.fromObject)
				sources[direction.from].push({ labelId: direction.label.id, recordId: node.recordId });
		}
	}
	const rows = await graph.hop(sources.first, sources.second, MAX_LINKS_PER_HOP + 1);
	if (rows.length > MAX_LINKS_PER_HOP) {
		throw new AssociationError(
			'VALIDATION',
			`Invalid traversal: steps[${depth - 1}] follows more than ${MAX_LINKS_PER_HOP.toLocaleString('en-US')} links from ${frontier.length} records. Narrow it: name a label or a target object in steps[${depth - 1}], or start from fewer records.`,
			{ step: depth - 1, max: MAX_LINKS_PER_HOP },
		);
	}
	const order = new Map(
		frontier.map((node, index) => [nodeKey(node.objectKey, node.recordId), index]),
	);
	// The first path to each new record: its parent earliest in output order, then the oldest link.
	const best = new Map<string, { parent: Node; rank: number; hop: TraversalHop }>();
	for (const row of rows) {
		const direction = byLabel.get(row.labelId)!.find((d) => d.from === other(row.toSide))!;
		const key = nodeKey(direction.toObject, row.toRecordId);
		if (visited.has(key)) continue;
		const parentKey = nodeKey(direction.fromObject, row.fromRecordId);
		const rank = order.get(parentKey)!;
		const current = best.get(key);
		if (
			current &&
			(current.rank < rank ||
				(current.rank === rank && compareIds(current.hop.linkId, row.linkId) < 0))
		)
			continue;
		best.set(key, {
			parent: frontier[rank],
			rank,
			hop: {
				labelKey: direction.label.key,
				label: row.toSide === 'first' ? direction.label.firstLabel : direction.label.secondLabel,
				objectKey: direction.toObject,
				recordId: row.toRecordId,
				linkId: row.linkId,
			},
		});
	}
	const next: Node[] = [...best.values()].map(({ parent, hop }) => ({
		depth,
		objectKey: hop.objectKey,
		recordId: hop.recordId,
		parent,
		hop,
	}));
	next.sort(comparePositions);
	for (const node of next) visited.set(nodeKey(node.objectKey, node.recordId), node);
	return next;
}

function toReached(node: Node): ReachedRecord {
	const path: TraversalHop[] = [];
	let at: Node = node;
	while (at.parent) {
		path.unshift(at.hop!);
		at = at.parent;
	}
	return {
		objectKey: node.objectKey,
		recordId: node.recordId,
		depth: node.depth,
		from: { objectKey: at.objectKey, recordId: at.recordId },
		path,
	};
}
