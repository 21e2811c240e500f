// A separate OS process linking into a shared store; prints what the core acknowledged, as JSON.
import { closeAllStores, openAssociations, type LinkInput, type StoreConfig } from '../../../core';

async function main(): Promise<void> {
	const config = JSON.parse(process.env.WORKER_STORE!) as StoreConfig;
	const seed = Number(process.env.WORKER_SEED);
	const rounds = Number(process.env.WORKER_ROUNDS ?? 40);
	const core = await openAssociations(config, 'race', { nodeName: `worker-${seed}` });
	const acknowledged: { first: string; second: string; status: string }[] = [];
	let state = seed * 7919 + 1;
	const random = (n: number) => {
		state = (state * 48271) % 2147483647;
		return state % n;
	};
	for (let round = 0; round < rounds; round++) {
		const batch: LinkInput[] = Array.from({ length: 10 }, () => ({
			label: { key: 'hot' },
			firstRecordId: `c${random(4)}`,
			secondRecordId: `p${random(30)}`,
		}));
		const results = await core.links.linkMany(batch);
		if (results.every((result) => result.status === 'error' && result.error.code === 'NOT_FOUND')) {
			// The label is created by the test while the workers start: wait for it (bounded by the jest timeout).
			await new Promise((resolve) => setTimeout(resolve, 20));
			round--;
			continue;
		}
		results.forEach((result, i) => {
			if (result.status !== 'error')
				acknowledged.push({
					first: String(batch[i].firstRecordId),
					second: String(batch[i].secondRecordId),
					status: result.status,
				});
			else if (result.error.code !== 'RECORD_LIMIT')
				throw new Error(`unexpected ${result.error.code}: ${result.error.message}`);
		});
	}
	await closeAllStores();
	process.stdout.write(JSON.stringify(acknowledged));
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
