/**
 * The world a property run acts on: one store, seeded with a few labels and links, shared by all calls
 * of the run (state builds up, as in real use), plus a raw connection to read it back.
 */
import {
	closeAllStores,
	openAssociations,
	type Associations,
	type StoreConfig,
} from '../../../core';
import { freshStore, type Dialect } from '../../support/stores';
import type { Operation } from './operations';
import { rawConnection, type Raw } from './stored-rows';

/** The namespace the world's store is opened in. */
export const NAMESPACE = 'acme';
/** A dotted (custom object) key one seeded label uses; the generators name it too. */
export const PETS = 'custom_objects.pets';
/** Object keys of the label the open checks create; no generated call touches it (see resolveRefs). */
export const PROBE_PAIR = ['zz_probe.one', 'zz_probe.two'];

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
export async function resolveRefs(world: World, value: unknown): Promise<unknown> {
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

export async function call(world: World, operation: Operation): Promise<unknown> {
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
