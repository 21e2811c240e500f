import {
	closeAllStores,
	openAssociations,
	type Actor,
	type Associations,
	type StoreConfig,
} from '../../core';
import { freshStore, type Dialect } from '../support/stores';

export interface Fixture {
	config: StoreConfig;
	open(namespace?: string, actor?: Actor): Promise<Associations>;
}

/** Gives each test a fresh, empty store of the dialect and closes pools after the suite. */
export function useStore(dialect: Dialect): () => Fixture {
	let fixture: Fixture;
	beforeEach(async () => {
		const config = await freshStore(dialect);
		fixture = {
			config,
			open: (namespace = 'acme', actor) => openAssociations(config, namespace, actor),
		};
	});
	afterAll(() => closeAllStores());
	return () => fixture;
}

export const PROPERTY = 'custom_objects.property';

export async function expectError(
	promise: Promise<unknown>,
	code: string,
	message?: RegExp,
): Promise<Error & { code: string; details: Record<string, unknown> }> {
	let caught: unknown;
	try {
		await promise;
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeDefined();
	expect((caught as { code?: string }).code).toBe(code);
	if (message) expect((caught as Error).message).toMatch(message);
	return caught as Error & { code: string; details: Record<string, unknown> };
}
