import type { ICredentialDataDecryptedObject, Logger } from 'n8n-workflow';

import { messageOf, type Associations } from '../../core';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How often one n8n process prunes one store's namespace at most. */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
/** Per call: at most this many batches of this many events (each batch its own short transaction). */
export const PRUNE_BATCH_SIZE = 1000;
export const PRUNE_MAX_BATCHES = 20;

/** The credential's retention: null keeps every event (the default). */
export function retentionDays(credential: ICredentialDataDecryptedObject): number | null {
	if (credential.eventRetention !== 'days') return null;
	const days = Number(credential.eventRetentionDays);
	return Number.isInteger(days) && days >= 1 ? days : null;
}

const lastPruned = new Map<string, number>();

/** Forgets when stores were pruned (tests). */
export function resetPruneSchedule(): void {
	lastPruned.clear();
}

const storeIdentity = (credential: ICredentialDataDecryptedObject, namespace: string): string =>
	JSON.stringify([
		credential.storeType,
		credential.sqlitePath,
		credential.host,
		credential.port,
		credential.database,
		credential.schema,
		namespace,
	]);

/**
 * Retention, run opportunistically after node runs and trigger polls: when the credential keeps events for
 * N days and this process has not pruned this namespace in the last PRUNE_INTERVAL_MS, events older than
 * N days are deleted in bounded batches. A failure is logged and never fails the run that triggered it.
 */
export async function pruneIfDue(
	associations: Associations,
	credential: ICredentialDataDecryptedObject,
	logger?: Logger,
	now = Date.now(),
): Promise<number> {
	const days = retentionDays(credential);
	if (days === null) return 0;
	const key = storeIdentity(credential, associations.namespace);
	if (now - (lastPruned.get(key) ?? -Infinity) < PRUNE_INTERVAL_MS) return 0;
	lastPruned.set(key, now);
	try {
		return await associations.history.prune({
			before: new Date(now - days * DAY_MS).toISOString(),
			batchSize: PRUNE_BATCH_SIZE,
			maxBatches: PRUNE_MAX_BATCHES,
		});
	} catch (error) {
		logger?.warn(`Association events could not be pruned: ${messageOf(error)}`);
		return 0;
	}
}
