// Plays n8n for one credential test: answers GET /healthz on 127.0.0.1 (its port printed as
// "PORT <n>"), runs the Association Store credential test on the credential in WORKER_CREDENTIAL
// while a 10 ms timer counts its ticks, prints "RESULT <json>" and keeps serving until SIGTERM.
import { createServer } from 'node:http';
import type { ICredentialsDecrypted } from 'n8n-workflow';

import { closeAllStores } from '../../../core';
// (the function every node's credentialTest.associationStoreConnectionTest is; importing a node
// class here would resolve LinkRecords.node to its .json codex file under ts-node)
import { associationStoreConnectionTest } from '../../../nodes/shared/methods/credentialTest';

const server = createServer((request, response) => {
	response.writeHead(request.url === '/healthz' ? 200 : 404, {
		'content-type': 'application/json',
	});
	response.end(JSON.stringify({ status: 'ok' }));
});

server.listen(0, '127.0.0.1', async () => {
	const { port } = server.address() as { port: number };
	process.stdout.write(`PORT ${port}\n`);
	let ticks = 0;
	const heartbeat = setInterval(() => ticks++, 10);
	const started = Date.now();
	const result = await associationStoreConnectionTest.call(
		{} as never,
		{
			id: 'c',
			name: 'Association store',
			type: 'associationStoreApi',
			data: JSON.parse(process.env.WORKER_CREDENTIAL ?? '{}'),
		} as ICredentialsDecrypted,
	);
	clearInterval(heartbeat);
	process.stdout.write(`RESULT ${JSON.stringify({ result, ms: Date.now() - started, ticks })}\n`);
});

process.on('SIGTERM', () => {
	server.close();
	void closeAllStores().finally(() => process.exit(0));
});
