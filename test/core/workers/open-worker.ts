// Opens a store (running migrations if needed) in its own process, then creates a label.
import { closeAllStores, openAssociations, type StoreConfig } from '../../../core';

openAssociations(JSON.parse(process.env.WORKER_STORE!) as StoreConfig, 'boot')
	.then((core) =>
		core.labels.create({
			key: `label_${process.env.WORKER_SEED}`,
			firstObjectKey: 'contact',
			secondObjectKey: 'company',
			firstLabel: `L${process.env.WORKER_SEED}`,
		}),
	)
	.then(() => closeAllStores())
	.catch((error) => {
		process.stderr.write(String(error?.stack ?? error));
		process.exit(1);
	});
