import { createHash } from 'node:crypto';
import type { StoreConfig } from '../types';
import { AssociationError } from '../errors';
import { Store } from './store';

/** Opening a store (folders, file or connection, tables) fails after this long at the latest. */
export const DEFAULT_OPEN_TIMEOUT_MS = 20_000;

function timeoutError(config: StoreConfig, limitMs: number): AssociationError {
	const seconds = `${Math.round(limitMs / 100) / 10} s`;
	if (config.type === 'sqlite') {
		return new AssociationError(
			'STORE',
			`Could not open the SQLite file "${config.path}" within ${seconds}. Check that the file is on a disk that answers (not a hung network mount) and that no other program keeps it locked.`,
			{ path: config.path, timeoutMs: limitMs },
		);
	}
	return new AssociationError(
		'STORE',
		`Could not connect to PostgreSQL at ${config.host}:${config.port ?? 5432}/${config.database} within ${seconds}: the server did not complete the connection in time. Check host, port and SSL setting, that no firewall swallows the connection, and that the server is not overloaded.`,
		{ timeoutMs: limitMs },
	);
}

/**
 * Store.open with an upper bound on its time: whatever the configuration points at, the caller gets
 * a store or a clear error within `openTimeoutMs`. A store that opens after the bound is closed again.
 */
export function boundedOpen(config: StoreConfig): Promise<Store> {
	const limitMs = config.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
	const opening = Store.open(config);
	let timer: NodeJS.Timeout | undefined;
	const bound = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(timeoutError(config, limitMs));
			void opening.then(
				(store) => store.close().catch(() => undefined),
				() => undefined,
			);
		}, limitMs);
	});
	return Promise.race([opening, bound]).finally(() => clearTimeout(timer));
}

/** The TLS setting for a cache key: the client key only as its hash (as the password). */
export function secretFreeTls(ssl: Extract<StoreConfig, { type: 'postgres' }>['ssl']): {
	ssl?: unknown;
} {
	if (typeof ssl !== 'object' || !ssl.key) return {};
	return { ssl: { ...ssl, key: createHash('sha256').update(ssl.key).digest('hex') } };
}
