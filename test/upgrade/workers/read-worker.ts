// Opens an old store with the current code in its own process (migrations run here, racing the other
// worker), reads everything a user can read and prints it as JSON.
import { closeAllStores, type StoreConfig } from '../../../core';
import { viewThroughCore, type StoreView } from '../views';

const config = JSON.parse(process.env.WORKER_STORE!) as StoreConfig;
const expected = JSON.parse(process.env.WORKER_EXPECTED!) as StoreView;

viewThroughCore(config, expected)
	.then(async (view) => {
		await closeAllStores();
		process.stdout.write(JSON.stringify(view));
	})
	.catch((error) => {
		process.stderr.write(String(error?.stack ?? error));
		process.exit(1);
	});
