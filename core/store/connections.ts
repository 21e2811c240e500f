import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { StoreConfig } from '../types';
import { Store } from './store';
import { boundedOpen, secretFreeTls } from './bounded-open';

const IDLE_CLOSE_MS = 5 * 60_000;

/** One store (pool) per configuration per process, opened on first use and reused by every call after. */
const stores = new Map<string, Promise<Store>>();
let sweeper: NodeJS.Timeout | undefined;

export function storeKey(config: StoreConfig): string {
	const identity =
		config.type === 'sqlite'
			? { type: config.type, path: path.resolve(config.path) }
			: {
					...config,
					password: createHash('sha256')
						.update(config.password ?? '')
						.digest('hex'),
					...secretFreeTls(config.ssl),
				};
	return JSON.stringify(identity);
}

export function openStore(config: StoreConfig): Promise<Store> {
	const key = storeKey(config);
	let store = stores.get(key);
	if (!store) {
		store = boundedOpen(config);
		stores.set(key, store);
		// A failed open is not cached: the next call (say, after fixing the credential) tries again.
		store.catch(() => stores.get(key) === store && stores.delete(key));
		startSweeper();
	}
	return store;
}

export async function closeStore(config: StoreConfig): Promise<void> {
	const key = storeKey(config);
	const store = stores.get(key);
	stores.delete(key);
	if (store) await (await store.catch(() => undefined))?.close();
}

export async function closeAllStores(): Promise<void> {
	const open = [...stores.values()];
	stores.clear();
	if (sweeper) clearInterval(sweeper);
	sweeper = undefined;
	await Promise.all(open.map(async (store) => (await store.catch(() => undefined))?.close()));
}

export const openStoreCount = (): number => stores.size;

/** Closes pools nobody used for a while, as n8n's own Postgres node does. */
function startSweeper(): void {
	if (sweeper) return;
	sweeper = setInterval(() => {
		for (const [key, pending] of stores) {
			void pending.then(
				(store) => {
					if (
						!store.busy &&
						Date.now() - store.lastUsedAt > IDLE_CLOSE_MS &&
						stores.get(key) === pending
					) {
						stores.delete(key);
						void store.close();
					}
				},
				() => undefined,
			);
		}
	}, 60_000);
	sweeper.unref();
}
