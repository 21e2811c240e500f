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
import { Client } from 'pg';

import {
	AssociationError,
	closeAllStores,
	openAssociations,
	type AssociationLabel,
	type Associations,
	type Link,
	type StoreConfig,
} from '../../core';
import { freshStore, type Dialect } from '../support/stores';

export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 5000);
export const PROPERTY_SEED =
	process.env.PROPERTY_SEED !== undefined
		? Number(process.env.PROPERTY_SEED)
		: Math.floor(Math.random() * 2 ** 31);

const KNOWN_CODES = new Set([
	'VALIDATION',
	'NOT_FOUND',
	'CONFLICT',
	'LABEL_LIMIT',
	'RECORD_LIMIT',
	'IN_USE',
	'CONFIRMATION_REQUIRED',
	'IMMUTABLE',
]);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAMESPACE = 'acme';
const PETS = 'custom_objects.pets';
const PROBE_PAIR = ['zz_probe.one', 'zz_probe.two'];

// ---------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------

const hostileUnit = fc.constantFrom(
	'\u0000',
	'\ud800',
	'\udbff',
	'\udc00',
	'\udfff',
	'\t',
	'\n',
	'\u007f',
	'\u00a0',
	'\u2028',
	'\ufeff',
	'\ufffe',
	' ',
	'😀',
	'👨‍👩‍👧',
	'🇫🇷',
	'é',
	'e\u0301',
	'%',
	'_',
	'\\',
	"'",
	'"',
	'a',
	'Z',
	'0',
	'.',
	':',
	'-',
);
/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const hostileString: fc.Arbitrary<string> = fc.oneof(
	fc.string({ unit: hostileUnit, maxLength: 8 }),
	fc.string({ unit: codeUnit, maxLength: 8 }),
	fc.string({ unit: 'binary', maxLength: 10 }),
	fc.string({ unit: 'grapheme', maxLength: 10 }),
	fc.string({ unit: hostileUnit, minLength: 95, maxLength: 105 }),
	fc.string({ unit: hostileUnit, minLength: 250, maxLength: 260 }),
	fc.constantFrom(
		'',
		' ',
		'a'.repeat(100),
		'a'.repeat(101),
		'a'.repeat(255),
		'a'.repeat(256),
		'😀'.repeat(100),
		'😀'.repeat(101),
		'😀'.repeat(255),
		'😀'.repeat(256),
		'😀'.repeat(128) + '😀'.slice(0, 1),
	),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: hostileString },
	fc.integer(),
	fc.double(),
	fc.constantFrom(null, undefined, true, false, NaN, Infinity, -0, 2 ** 53, 2 ** 63, 1e300, -1),
	fc.bigInt(),
	fc.object({ maxDepth: 1, maxKeys: 3 }),
	fc.object({ maxDepth: 1, maxKeys: 2, withNullPrototype: true }),
	fc.constantFrom(Symbol('id'), () => 'id', new Date(0), /re/, new Map(), Object.create(null)),
	fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

/** One character the store cannot keep, or a display name must not have. */
const poison = fc.constantFrom(
	'\u0000',
	'\ud800',
	'\udfff',
	'\ud83d',
	'\ude00',
	'\t',
	'\n',
	'\u007f',
);

/** A plausible value with one poison character put in (text only): valid but for that character. */
const poisoned = <T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
	fc.tuple(plausible, poison, fc.nat()).map(([value, bad, at]) => {
		if (typeof value !== 'string') return value;
		const cut = at % (value.length + 1);
		return value.slice(0, cut) + bad + value.slice(cut);
	});

/** Mostly plausible, sometimes plausible but poisoned, sometimes anything. */
const mix = <T>(plausible: fc.Arbitrary<T>, plausibleWeight = 10): fc.Arbitrary<unknown> =>
	fc.oneof(
		{ weight: plausibleWeight, arbitrary: plausible },
		{ weight: 1, arbitrary: poisoned(plausible) },
		{ weight: 1, arbitrary: anyValue },
	);

const objectKey = mix(
	fc.oneof(
		fc.constantFrom('contact', 'company', PETS, 'opportunity', ' contact ', 'Contact'),
		fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6})?$/),
	),
);
const labelKey = mix(
	fc.oneof(
		{
			weight: 4,
			arbitrary: fc.constantFrom('owner', 'spouse', 'buyer', 'one_company', 'missing'),
		},
		{ weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/) },
	),
);
/** Object keys as a link or query names them: mostly those of the stored labels. */
const linkObjectKey = fc.oneof(
	{ weight: 4, arbitrary: mix(fc.constantFrom('contact', 'company', PETS)) },
	{ weight: 1, arbitrary: objectKey },
);
const recordId = mix(
	fc.oneof(
		fc.constantFrom('c1', 'c2', 'co1', 'co2', 'p1', '😀', 'id with spaces'),
		fc.integer({ min: -3, max: 3 }),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
	),
);
const displayName = mix(
	fc.oneof(
		fc.constantFrom('Owner', 'Spouse', 'Buyer', 'Seller', '🐶', ' Owner ', 'Primärer Kontakt'),
		fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
	),
);
const limit = mix(fc.integer({ min: 0, max: 1002 }));

/** Present as undefined more often than not (an optional field the caller left out). */
const sometimes = (value: fc.Arbitrary<unknown>) =>
	fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: value });

/** A label ref; { labelIndex } is replaced by { id } of a stored label when the call is made. */
const labelRef = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ key: labelKey }) },
	{ weight: 2, arbitrary: fc.nat({ max: 30 }).map((labelIndex) => ({ labelIndex })) },
	{ weight: 1, arbitrary: fc.record({ id: mix(fc.uuid()) }) },
	{ weight: 1, arbitrary: fc.record({ key: labelKey, id: fc.uuid() }) },
	{ weight: 1, arbitrary: anyValue },
);

/** An object with some of `fields` (each generated), maybe an unknown field too; or anything. */
const shape = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) =>
	fc.oneof(
		{
			weight: 16,
			arbitrary: fc
				.tuple(
					fc.record(fields, { requiredKeys: required }),
					fc.oneof(
						{ weight: 15, arbitrary: fc.constant(null) },
						{ weight: 1, arbitrary: fc.record({ extra: anyValue }) },
						{ weight: 1, arbitrary: fc.dictionary(hostileString, anyValue, { maxKeys: 2 }) },
					),
				)
				.map(([record, extra]) => ({ ...record, ...(extra ?? {}) })),
		},
		{ weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
		{ weight: 1, arbitrary: anyValue },
	);

const createInput = shape(
	{
		key: labelKey,
		firstObjectKey: objectKey,
		secondObjectKey: objectKey,
		firstLabel: displayName,
		secondLabel: displayName,
		firstLimit: limit,
		secondLimit: limit,
	},
	['firstObjectKey', 'secondObjectKey', 'firstLabel'],
);
const linkInput = shape(
	{
		label: labelRef,
		firstRecordId: recordId,
		secondRecordId: recordId,
		firstObjectKey: sometimes(linkObjectKey),
		secondObjectKey: sometimes(linkObjectKey),
	},
	['label', 'firstRecordId', 'secondRecordId'],
);
const unlinkRecordInput = shape(
	{ objectKey: linkObjectKey, recordId, labels: mix(fc.array(labelRef, { maxLength: 3 })) },
	['objectKey', 'recordId'],
);
const relatedQuery = shape(
	{
		objectKey: linkObjectKey,
		recordId,
		labels: mix(fc.array(labelRef, { maxLength: 2 })),
		relatedObjectKey: linkObjectKey,
		limit: mix(fc.integer({ min: 0, max: 1001 })),
		cursor: mix(
			fc.oneof(
				fc.bigInt({ min: 0n, max: 2n ** 64n }).map((id) => cursorOf(String(id))),
				fc.constantFrom(cursorOf('9223372036854775807'), cursorOf('9223372036854775808')),
			),
		),
	},
	['objectKey', 'recordId'],
);
const countQuery = shape(
	{
		objectKey: linkObjectKey,
		recordId,
		labels: mix(fc.array(labelRef, { maxLength: 2 })),
		relatedObjectKey: linkObjectKey,
	},
	['objectKey', 'recordId'],
);
const recordRef = shape({ objectKey: linkObjectKey, recordId }, ['objectKey', 'recordId']);
const batch = <T>(item: fc.Arbitrary<T>) =>
	fc.oneof(
		{ weight: 9, arbitrary: fc.array(item, { maxLength: 6 }) },
		{ weight: 1, arbitrary: fc.sparseArray(item, { maxLength: 4 }) },
		{ weight: 1, arbitrary: anyValue },
	);
const batchOptions = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(undefined, {}, { atomic: true }, { atomic: false }) },
	{ weight: 1, arbitrary: anyValue },
	{ weight: 1, arbitrary: fc.record({ atomic: anyValue }) },
);

function cursorOf(after: string): string {
	return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

export type Operation =
	| { op: 'create'; input: unknown }
	| { op: 'createMany'; inputs: unknown; options: unknown }
	| { op: 'rename'; ref: unknown; input: unknown }
	| { op: 'setLimits'; ref: unknown; input: unknown }
	| { op: 'delete'; ref: unknown; confirmation: unknown }
	| { op: 'get' | 'usage'; ref: unknown }
	| { op: 'list'; filter: unknown }
	| { op: 'objectKeys' }
	| { op: 'link' | 'unlink'; input: unknown }
	| { op: 'linkMany' | 'unlinkMany'; inputs: unknown; options: unknown }
	| { op: 'unlinkRecord'; input: unknown }
	| { op: 'unlinkRecords'; inputs: unknown; options: unknown }
	| { op: 'relatedList' | 'relatedCount'; query: unknown }
	| { op: 'labelsBetween'; input: unknown }
	| { op: 'events'; query: unknown }
	| { op: 'open'; config: unknown; namespace: unknown; actor: unknown };

const op = <T extends Operation['op'], R extends Record<string, fc.Arbitrary<unknown>>>(
	name: T,
	fields: R,
) => fc.record(fields).map((value) => ({ op: name, ...value }) as unknown as Operation);

export const operation: fc.Arbitrary<Operation> = fc.oneof(
	{ weight: 3, arbitrary: op('create', { input: createInput }) },
	{ weight: 2, arbitrary: op('createMany', { inputs: batch(createInput), options: batchOptions }) },
	{
		weight: 2,
		arbitrary: op('rename', {
			ref: labelRef,
			input: fc.oneof(
				{ weight: 4, arbitrary: shape({ firstLabel: displayName, secondLabel: displayName }) },
				{
					weight: 1,
					arbitrary: shape({
						firstLabel: displayName,
						secondLabel: displayName,
						key: labelKey,
						firstObjectKey: objectKey,
						secondObjectKey: objectKey,
					}),
				},
			),
		}),
	},
	{
		weight: 2,
		arbitrary: op('setLimits', {
			ref: labelRef,
			input: shape({ firstLimit: limit, secondLimit: limit }),
		}),
	},
	{
		weight: 1,
		arbitrary: op('delete', { ref: labelRef, confirmation: mix(fc.constant('DELETE'), 2) }),
	},
	{ weight: 1, arbitrary: op('get', { ref: labelRef }) },
	{ weight: 1, arbitrary: op('usage', { ref: labelRef }) },
	{
		weight: 1,
		arbitrary: op('list', {
			filter: shape({
				objectKey,
				otherObjectKey: objectKey,
				search: mix(fc.string({ unit: 'grapheme', maxLength: 4 })),
				limit: mix(fc.integer({ min: 0, max: 1001 })),
				offset: mix(fc.integer({ min: -1, max: 20 })),
			}),
		}),
	},
	{ weight: 1, arbitrary: op('objectKeys', {}) },
	{ weight: 4, arbitrary: op('link', { input: linkInput }) },
	{ weight: 4, arbitrary: op('linkMany', { inputs: batch(linkInput), options: batchOptions }) },
	{ weight: 2, arbitrary: op('unlink', { input: linkInput }) },
	{ weight: 2, arbitrary: op('unlinkMany', { inputs: batch(linkInput), options: batchOptions }) },
	{ weight: 1, arbitrary: op('unlinkRecord', { input: unlinkRecordInput }) },
	{
		weight: 1,
		arbitrary: op('unlinkRecords', { inputs: batch(unlinkRecordInput), options: batchOptions }),
	},
	{ weight: 2, arbitrary: op('relatedList', { query: relatedQuery }) },
	{ weight: 1, arbitrary: op('relatedCount', { query: countQuery }) },
	{
		weight: 1,
		arbitrary: op('labelsBetween', {
			input: shape({ first: recordRef, second: recordRef }, ['first', 'second']),
		}),
	},
	{
		weight: 1,
		arbitrary: op('events', {
			query: shape({
				afterId: mix(fc.oneof(fc.nat(50), fc.constantFrom(2 ** 53, 2 ** 63, 1.5))),
				limit: mix(fc.integer({ min: 0, max: 1001 })),
				labelKey,
			}),
		}),
	},
	{
		weight: 1,
		arbitrary: op('open', {
			config: fc.oneof(
				{ weight: 6, arbitrary: fc.constant('valid') },
				{
					weight: 1,
					arbitrary: fc.constantFrom(
						null,
						5,
						'sqlite',
						{},
						{ type: 'mysql' },
						{ type: 'sqlite' },
						{ type: 'sqlite', path: '' },
						{ type: 'sqlite', path: 'a\u0000b' },
						{ type: 'postgres', host: 'h\u0000' },
					),
				},
			),
			namespace: mix(
				fc.oneof(
					fc.constantFrom('acme', 'other', ' acme ', 'tenant:1'),
					fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,10}$/),
				),
			),
			actor: fc.oneof(
				fc.constant(undefined),
				shape({
					workflowId: mix(fc.string({ maxLength: 5 })),
					executionId: mix(fc.string({ maxLength: 5 })),
					nodeName: mix(fc.string({ unit: 'grapheme', maxLength: 8 })),
					userId: mix(fc.string({ maxLength: 5 })),
				}),
			),
		}),
	},
);

/** How many generated inputs an operation carries (batch items count one each). */
export function inputsIn(operation: Operation): number {
	return 'inputs' in operation && Array.isArray(operation.inputs)
		? Math.max(1, operation.inputs.length)
		: 1;
}

// ---------------------------------------------------------------------------------------------------
// The store, read back raw
// ---------------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

interface Raw {
	all(sql: string, params?: unknown[]): Promise<Row[]>;
	close(): Promise<void>;
}

async function rawConnection(config: StoreConfig): Promise<Raw> {
	if (config.type === 'postgres') {
		const client = new Client({ ...config });
		await client.connect();
		return {
			all: async (sql, params = []) => {
				let n = 0;
				return (
					await client.query(
						sql.replace(/\?/g, () => `$${++n}`),
						params,
					)
				).rows as Row[];
			},
			close: () => client.end(),
		};
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sqlite3 = require('sqlite3') as typeof import('sqlite3');
	const db = new sqlite3.Database(config.path);
	return {
		all: (sql, params = []) =>
			new Promise((resolve, reject) =>
				db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
			),
		close: () => new Promise((resolve) => db.close(() => resolve())),
	};
}

interface Fingerprint {
	labels: number;
	links: number;
	events: number;
	lastEvent: string;
}

const fingerprint = async (raw: Raw): Promise<Fingerprint> => {
	const [row] = await raw.all(`SELECT
		(SELECT COUNT(*) FROM association_labels) AS labels,
		(SELECT COUNT(*) FROM association_links) AS links,
		(SELECT COUNT(*) FROM association_events) AS events,
		(SELECT MAX(id) FROM association_events) AS last_event`);
	return {
		labels: Number(row.labels),
		links: Number(row.links),
		events: Number(row.events),
		lastEvent: String(row.last_event),
	};
};

const labelRow = async (raw: Raw, id: string) =>
	(
		await raw.all(
			`SELECT id, namespace, key, first_object_key, second_object_key, first_label, second_label,
				first_limit, second_limit, created_at, updated_at FROM association_labels WHERE id = ?`,
			[id],
		)
	)[0];

const linkRow = async (raw: Raw, id: string) =>
	(
		await raw.all(
			'SELECT id, namespace, label_id, first_record_id, second_record_id, created_at FROM association_links WHERE id = ?',
			[id],
		)
	)[0];

async function expectStoredLabel(raw: Raw, label: AssociationLabel): Promise<void> {
	const row = await labelRow(raw, label.id);
	expect(row).toBeDefined();
	expect({
		id: String(row.id),
		namespace: row.namespace,
		key: row.key,
		firstObjectKey: row.first_object_key,
		secondObjectKey: row.second_object_key,
		firstLabel: row.first_label,
		secondLabel: row.second_label,
		firstLimit: Number(row.first_limit),
		secondLimit: Number(row.second_limit),
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	}).toEqual({
		id: label.id,
		namespace: label.namespace,
		key: label.key,
		firstObjectKey: label.firstObjectKey,
		secondObjectKey: label.secondObjectKey,
		firstLabel: label.firstLabel,
		secondLabel: label.secondLabel,
		firstLimit: label.firstLimit,
		secondLimit: label.secondLimit,
		createdAt: label.createdAt,
		updatedAt: label.updatedAt,
	});
	expect(label.key).toMatch(/^[a-z][a-z0-9_]{0,99}$/);
}

async function expectStoredLink(raw: Raw, link: Link): Promise<void> {
	const row = await linkRow(raw, link.id);
	expect(row).toBeDefined();
	expect([String(row.label_id), row.first_record_id, row.second_record_id, row.created_at]).toEqual(
		[link.labelId, link.firstRecordId, link.secondRecordId, link.createdAt],
	);
	const label = await labelRow(raw, link.labelId);
	expect([label.key, label.first_object_key, label.second_object_key]).toEqual([
		link.labelKey,
		link.firstObjectKey,
		link.secondObjectKey,
	]);
}

/** The record ids an input asked for, as the core keeps them (numbers as decimal text). */
const askedIds = (input: unknown): string[] => {
	const { firstRecordId, secondRecordId } = input as Record<string, unknown>;
	return [String(firstRecordId), String(secondRecordId)].sort();
};

function expectKnownError(error: unknown): asserts error is AssociationError {
	if (!(error instanceof AssociationError)) throw error;
	if (!KNOWN_CODES.has(error.code)) throw error;
	expect(typeof error.message).toBe('string');
	expect(error.message.length).toBeGreaterThan(0);
	// Messages are shown in n8n and logged: the offending text appears escaped, never raw.
	expect(LONE_SURROGATE.test(error.message)).toBe(false);
	expect(error.message.includes('\u0000')).toBe(false);
}

function expectItemError(error: { code: string; message: string } | undefined): void {
	expect(error).toBeDefined();
	expect(KNOWN_CODES.has(error!.code)).toBe(true);
	expect(error!.message.length).toBeGreaterThan(0);
	expect(LONE_SURROGATE.test(error!.message)).toBe(false);
	expect(error!.message.includes('\u0000')).toBe(false);
}

/** Every index 0…n-1 once, in order, nothing undefined. */
function expectResultPerItem(results: Array<{ index: number }>, inputs: unknown): void {
	expect(Array.isArray(results)).toBe(true);
	expect(results).toHaveLength((inputs as unknown[]).length);
	results.forEach((result, index) => {
		expect(result).toBeDefined();
		expect(result.index).toBe(index);
	});
}

// ---------------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------------

export interface World {
	config: StoreConfig;
	core: Associations;
	raw: Raw;
	probes: number;
}

export async function openWorld(dialect: Dialect): Promise<World> {
	const config = await freshStore(dialect);
	const core = await openAssociations(config, NAMESPACE, { workflowId: 'wf', nodeName: 'Props' });
	await core.labels.createMany([
		{ key: 'owner', firstObjectKey: 'contact', secondObjectKey: 'company', firstLabel: 'Owner' },
		{ key: 'spouse', firstObjectKey: 'contact', secondObjectKey: 'contact', firstLabel: 'Spouse' },
		{
			key: 'buyer',
			firstObjectKey: 'contact',
			secondObjectKey: PETS,
			firstLabel: 'Buyer',
			secondLabel: 'Seller',
			secondLimit: 2,
		},
		{
			key: 'one_company',
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: 'Sole contact',
			secondLabel: 'Sole company',
			firstLimit: 1,
		},
	]);
	await core.links.linkMany([
		{ label: { key: 'owner' }, firstRecordId: 'c1', secondRecordId: 'co1' },
		{ label: { key: 'spouse' }, firstRecordId: 'c1', secondRecordId: 'c2' },
		{ label: { key: 'buyer' }, firstRecordId: 'c1', secondRecordId: 'p1' },
	]);
	return { config, core, raw: await rawConnection(config), probes: 0 };
}

export async function closeWorld(world: World | undefined): Promise<void> {
	await world?.raw.close();
	await closeAllStores();
}

/** Replaces { labelIndex } refs (anywhere in the input) by { id } of a stored label. */
async function resolveRefs(world: World, value: unknown): Promise<unknown> {
	const ids = (
		await world.raw.all(
			'SELECT id FROM association_labels WHERE namespace = ? AND first_object_key <> ? ORDER BY key',
			[NAMESPACE, PROBE_PAIR[0]],
		)
	).map((row) => String(row.id));
	const walk = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(walk);
		if (
			node !== null &&
			typeof node === 'object' &&
			Object.getPrototypeOf(node) === Object.prototype
		) {
			const record = node as Record<string, unknown>;
			if (typeof record.labelIndex === 'number' && Object.keys(record).length === 1)
				return ids.length > 0 ? { id: ids[record.labelIndex % ids.length] } : { key: 'missing' };
			return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v)]));
		}
		return node;
	};
	return walk(value);
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

	switch (operation.op) {
		case 'create':
		case 'createMany': {
			const inputs =
				operation.op === 'create' ? [operation.input] : (operation.inputs as unknown[]);
			const results =
				operation.op === 'create'
					? [
							{
								index: 0,
								status: (result as { created: boolean }).created ? 'created' : 'unchanged',
								...(result as object),
							},
						]
					: (result as Array<{
							index: number;
							status: string;
							label?: AssociationLabel;
							error?: { code: string; message: string };
						}>);
			expectResultPerItem(results, inputs);
			let created = 0;
			for (const [index, item] of (
				results as Array<{
					status: string;
					label?: AssociationLabel;
					error?: { code: string; message: string };
				}>
			).entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				await expectStoredLabel(raw, item.label!);
				const input = inputs[index] as { key?: string; firstLabel: string; secondLabel?: string };
				if (input.key !== undefined) expect(item.label!.key).toBe(input.key.trim());
				const names = [item.label!.firstLabel, item.label!.secondLabel].sort();
				const asked = [
					input.firstLabel.trim(),
					(input.secondLabel ?? input.firstLabel).trim(),
				].sort();
				expect(names).toEqual(asked);
				if (item.status === 'created') created++;
			}
			delta(created, 0, created);
			return 'ok';
		}
		case 'rename':
		case 'setLimits': {
			const label = result as AssociationLabel;
			await expectStoredLabel(raw, label);
			expect(after.labels).toBe(before.labels);
			expect(after.events - before.events).toBeLessThanOrEqual(1);
			return 'ok';
		}
		case 'delete': {
			const { id } = result as { id: string };
			expect(await labelRow(raw, id)).toBeUndefined();
			delta(-1, 0, 1);
			return 'ok';
		}
		case 'get':
			unchanged();
			await expectStoredLabel(raw, result as AssociationLabel);
			return 'ok';
		case 'usage': {
			unchanged();
			const { label, links } = result as { label: AssociationLabel; links: number };
			await expectStoredLabel(raw, label);
			const [row] = await raw.all(
				'SELECT COUNT(*) AS n FROM association_links WHERE label_id = ?',
				[label.id],
			);
			expect(links).toBe(Number(row.n));
			return 'ok';
		}
		case 'list':
			unchanged();
			for (const label of result as AssociationLabel[]) await expectStoredLabel(raw, label);
			return 'ok';
		case 'objectKeys': {
			unchanged();
			const keys = result as string[];
			expect(keys).toEqual([...keys].sort());
			expect(keys).toEqual(expect.arrayContaining(['company', 'contact', 'opportunity']));
			return 'ok';
		}
		case 'link':
		case 'linkMany':
		case 'unlink':
		case 'unlinkMany': {
			const single = 'input' in operation;
			const inputs = 'input' in operation ? [operation.input] : (operation.inputs as unknown[]);
			const results = (single ? [result] : result) as Array<{
				index: number;
				status: string;
				link?: Link;
				error?: { code: string; message: string };
			}>;
			expectResultPerItem(results, inputs);
			let created = 0;
			let deleted = 0;
			for (const [index, item] of results.entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				const link = item.link!;
				expect([link.firstRecordId, link.secondRecordId].sort()).toEqual(askedIds(inputs[index]));
				if (item.status === 'created' || item.status === 'already_linked') {
					await expectStoredLink(raw, link);
					if (item.status === 'created') created++;
				} else if (item.status === 'deleted') {
					expect(await linkRow(raw, link.id)).toBeUndefined();
					deleted++;
				} else {
					expect(item.status).toBe('not_linked');
				}
			}
			delta(0, created - deleted, created + deleted);
			return 'ok';
		}
		case 'unlinkRecord':
		case 'unlinkRecords': {
			const single = operation.op === 'unlinkRecord';
			const inputs = single ? [operation.input] : (operation.inputs as unknown[]);
			const results = (
				single ? [{ index: 0, status: 'unlinked', ...(result as object) }] : result
			) as Array<{
				index: number;
				status: string;
				deleted?: number;
				links?: Link[];
				error?: { code: string; message: string };
			}>;
			expectResultPerItem(results, inputs);
			let deleted = 0;
			for (const [index, item] of results.entries()) {
				if (item.status === 'error') {
					expectItemError(item.error);
					continue;
				}
				expect(item.deleted).toBe(item.links!.length);
				const recordId = String((inputs[index] as { recordId: unknown }).recordId);
				for (const link of item.links!) {
					expect(await linkRow(raw, link.id)).toBeUndefined();
					expect([link.firstRecordId, link.secondRecordId]).toContain(recordId);
				}
				deleted += item.deleted!;
			}
			delta(0, 0 - deleted, deleted);
			return 'ok';
		}
		case 'relatedList': {
			unchanged();
			const page = result as {
				items: Array<{ recordId: string; linkId: string; labelId: string; side: string }>;
				nextCursor: string | null;
			};
			const recordId = String((operation.query as { recordId: unknown }).recordId);
			for (const item of page.items) {
				const row = await linkRow(raw, item.linkId);
				expect(row).toBeDefined();
				expect(String(row.label_id)).toBe(item.labelId);
				const [mine, theirs] =
					item.side === 'first'
						? [row.second_record_id, row.first_record_id]
						: [row.first_record_id, row.second_record_id];
				expect([mine, theirs]).toEqual([recordId, item.recordId]);
			}
			expect(page.nextCursor === null || typeof page.nextCursor === 'string').toBe(true);
			return 'ok';
		}
		case 'relatedCount':
			unchanged();
			expect(Number.isInteger(result)).toBe(true);
			expect(result as number).toBeGreaterThanOrEqual(0);
			return 'ok';
		case 'labelsBetween':
			unchanged();
			for (const item of result as Array<{ linkId: string; labelId: string }>) {
				const row = await linkRow(raw, item.linkId);
				expect(String(row?.label_id)).toBe(item.labelId);
			}
			return 'ok';
		case 'events': {
			unchanged();
			const events = result as Array<{
				id: number;
				namespace: string;
				type: string;
				labelId: string;
				labelKey: string;
				firstRecordId: string | null;
				secondRecordId: string | null;
				actor: unknown;
			}>;
			for (const event of events) {
				const [row] = await raw.all(
					`SELECT namespace, type, label_id, label_key, first_record_id, second_record_id, actor
					FROM association_events WHERE id = ?`,
					[event.id],
				);
				expect({
					...row,
					label_id: String(row.label_id),
					actor: row.actor === null ? null : JSON.parse(String(row.actor)),
				}).toEqual({
					namespace: event.namespace,
					type: event.type,
					label_id: event.labelId,
					label_key: event.labelKey,
					first_record_id: event.firstRecordId,
					second_record_id: event.secondRecordId,
					actor: event.actor,
				});
			}
			expect(events.map((event) => event.id)).toEqual(
				[...events.map((event) => event.id)].sort((a, b) => a - b),
			);
			return 'ok';
		}
		case 'open': {
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
			const actor = operation.actor as Record<string, unknown> | undefined;
			const expected =
				actor === undefined
					? null
					: Object.fromEntries(Object.entries(actor).filter(([, value]) => value !== undefined));
			expect(event.actor === null ? null : JSON.parse(String(event.actor))).toEqual(expected);
			return 'ok';
		}
	}
}

async function call(world: World, operation: Operation): Promise<unknown> {
	const { core } = world;
	const any = (value: unknown) => value as never;
	switch (operation.op) {
		case 'create':
			return core.labels.create(any(operation.input));
		case 'createMany':
			return core.labels.createMany(any(operation.inputs), any(operation.options));
		case 'rename':
			return core.labels.rename(any(operation.ref), any(operation.input));
		case 'setLimits':
			return core.labels.setLimits(any(operation.ref), any(operation.input));
		case 'delete':
			return core.labels.delete(any(operation.ref), any(operation.confirmation));
		case 'get':
			return core.labels.get(any(operation.ref));
		case 'usage':
			return core.labels.usage(any(operation.ref));
		case 'list':
			return core.labels.list(any(operation.filter));
		case 'objectKeys':
			return core.labels.objectKeys();
		case 'link':
			return core.links.link(any(operation.input));
		case 'linkMany':
			return core.links.linkMany(any(operation.inputs), any(operation.options));
		case 'unlink':
			return core.links.unlink(any(operation.input));
		case 'unlinkMany':
			return core.links.unlinkMany(any(operation.inputs), any(operation.options));
		case 'unlinkRecord':
			return core.links.unlinkRecord(any(operation.input));
		case 'unlinkRecords':
			return core.links.unlinkRecords(any(operation.inputs), any(operation.options));
		case 'relatedList':
			return core.related.list(any(operation.query));
		case 'relatedCount':
			return core.related.count(any(operation.query));
		case 'labelsBetween':
			return core.related.labelsBetween(any(operation.input));
		case 'events':
			return core.events(any(operation.query));
		case 'open':
			return openAssociations(
				operation.config === 'valid' ? world.config : any(operation.config),
				any(operation.namespace),
				any(operation.actor),
			);
	}
}

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
