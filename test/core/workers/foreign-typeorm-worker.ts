// Inside n8n, TypeORM's process-wide metadata storage is created first by n8n's own TypeORM fork, whose
// storage lacks methods ours calls (filterForeignKeys). This process sets up the same situation, then uses the core.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MetadataArgsStorage } = require('typeorm/metadata-args/MetadataArgsStorage');

const foreign = new MetadataArgsStorage();
foreign.filterForeignKeys = undefined;
(globalThis as Record<string, unknown>).typeormMetadataArgsStorage = foreign;

async function main(): Promise<void> {
	const { closeAllStores, openAssociations } = await import('../../../core');
	const core = await openAssociations(JSON.parse(process.env.WORKER_STORE!), 'n8n');
	await core.labels.create({
		key: 'owner',
		firstObjectKey: 'contact',
		secondObjectKey: 'company',
		firstLabel: 'Owner',
	});
	const result = await core.links.link({
		label: { key: 'owner' },
		firstRecordId: 'c1',
		secondRecordId: 'acme',
	});
	await closeAllStores();
	// Our entities must not have been registered in the host's storage either.
	process.stdout.write(
		JSON.stringify({ status: result.status, hostTables: foreign.tables.length }),
	);
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
