/**
 * Runs workflow JSON through n8n's real execution engine (n8n-core's WorkflowExecute), the way n8n's
 * own node tests do: a Workflow built from nodes + connections, a node-type registry, a credentials
 * helper that hands out decrypted test credentials, lifecycle hooks that resolve when the run ends.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type ITaskData,
	type IVersionedNodeType,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { AssociationTrigger } from '../../../nodes/AssociationTrigger/AssociationTrigger.node';
import { CreateAssociation } from '../../../nodes/CreateAssociation/CreateAssociation.node';
import { DeleteLabel } from '../../../nodes/DeleteLabel/DeleteLabel.node';
import { GetRelatedObjects } from '../../../nodes/GetRelatedObjects/GetRelatedObjects.node';
import { LinkRecords } from '../../../nodes/LinkRecords/LinkRecords.node';
import type { StoreConfig } from '../../../core';

// n8n's logger reports every node error on the console; the tests assert those errors themselves.
process.env.N8N_LOG_LEVEL ??= 'silent';

export const PACKAGE = 'n8n-nodes-object-associations';
export const EMIT = 'test.emitItems';

/** A start node for tests: outputs the items given in its `items` parameter (a JSON array). */
class EmitItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Emit Items',
		name: 'emitItems',
		group: ['input'],
		version: 1,
		description: 'Test start node',
		defaults: { name: 'Emit Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

const nodeTypeMap: Record<string, INodeType> = {
	[EMIT]: new EmitItems(),
	[`${PACKAGE}.createAssociation`]: new CreateAssociation(),
	[`${PACKAGE}.linkRecords`]: new LinkRecords(),
	[`${PACKAGE}.getRelatedObjects`]: new GetRelatedObjects(),
	[`${PACKAGE}.deleteLabel`]: new DeleteLabel(),
	[`${PACKAGE}.associationTrigger`]: new AssociationTrigger(),
};

/** Adds a node type under its full type name (say, one of n8n's own nodes, for a side-by-side measurement). */
export function registerNodeType(type: string, nodeType: INodeType): void {
	nodeTypeMap[type] = nodeType;
}

export const nodeTypes: INodeTypes = {
	getByName: (type: string): INodeType | IVersionedNodeType => lookup(type),
	getByNameAndVersion: (type: string): INodeType => lookup(type),
	getKnownTypes: () => ({}),
};

function lookup(type: string): INodeType {
	const nodeType = nodeTypeMap[type];
	if (!nodeType) throw new Error(`Unknown node type ${type}`);
	return nodeType;
}

/** Hands each credential type its decrypted data; nothing is encrypted in tests. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(
		_credentials: ICredentialDataDecryptedObject,
		_type: string,
		request: IHttpRequestOptions,
	) {
		return request;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_node: INodeCredentialsDetails,
		type: string,
	) {
		const data = this.data[type];
		if (!data) throw new Error(`No test credential for ${type}`);
		return data;
	}
	async updateCredentials(): Promise<void> {}
	async updateCredentialsOauthTokenData(): Promise<void> {}
	getCredentialsProperties() {
		return [];
	}
}

/** The credential's fields for a store configuration from test/support/stores.ts. */
export function credentialFor(
	config: StoreConfig,
	namespace = 'default',
): ICredentialDataDecryptedObject {
	if (config.type === 'sqlite') return { storeType: 'sqlite', sqlitePath: config.path, namespace };
	return {
		storeType: 'postgres',
		host: config.host,
		port: config.port ?? 5432,
		database: config.database,
		user: config.user,
		password: config.password ?? '',
		ssl: config.ssl ?? false,
		schema: config.schema ?? '',
		namespace,
	};
}

export const CREDENTIAL_REF = { associationStoreApi: { id: 'cred-1', name: 'Association store' } };

export function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executionId,
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'webhook',
		webhookWaitingBaseUrl: 'webhook-waiting',
		webhookTestBaseUrl: 'webhook-test',
		formWaitingBaseUrl: 'form-waiting',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used in tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, first output. */
	output(nodeName: string): INodeExecutionData[];
	/** Output items of a node's first run, per output (the second is the error output, if enabled). */
	outputs(nodeName: string): INodeExecutionData[][];
	/** The error that stopped the workflow, if any. */
	error: IRun['data']['resultData']['error'];
	/** The error a node's run ended with, if any. */
	nodeError(nodeName: string): ITaskData['error'];
}

let executionCounter = 0;

/**
 * Executes a workflow (n8n's exported JSON shape: nodes + connections) with WorkflowExecute,
 * starting at `startNode`, and waits for the workflowExecuteAfter hook.
 */
export async function runWorkflow(
	workflowData: Pick<IWorkflowBase, 'nodes' | 'connections'> & { id?: string },
	options: {
		credentials: Record<string, ICredentialDataDecryptedObject>;
		startNode?: string;
		executionId?: string;
	},
): Promise<RunResult> {
	const workflow = new Workflow({
		id: workflowData.id ?? 'wf-test',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const executionId = options.executionId ?? `exec-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: workflow.id,
		name: 'test',
		active: false,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase);
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));

	const start = workflow.getNode(options.startNode ?? workflowData.nodes[0].name) as INode;
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const additionalData = additionalDataFor(hooks, options.credentials, executionId);
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const runData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName) => {
			const task = runData[nodeName]?.[0];
			if (!task)
				throw new Error(
					`Node "${nodeName}" did not run. Workflow error: ${run.data.resultData.error?.message}`,
				);
			if (task.error) throw new Error(`Node "${nodeName}" failed: ${task.error.message}`);
			return task.data?.main?.[0] ?? [];
		},
		outputs: (nodeName) => (runData[nodeName]?.[0]?.data?.main ?? []).map((items) => items ?? []),
		nodeError: (nodeName) => runData[nodeName]?.[0]?.error,
	};
}

/** A workflow: Emit Items (with the given items) → the node under test. */
export function pipeline(
	items: IDataObject[],
	node: Omit<INode, 'id' | 'position' | 'typeVersion'> & { typeVersion?: number },
) {
	const emit: INode = {
		id: 'emit',
		name: 'Emit Items',
		type: EMIT,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
	const target: INode = {
		id: 'target',
		typeVersion: 1,
		position: [200, 0],
		credentials: CREDENTIAL_REF,
		...node,
		type: node.type.includes('.') ? node.type : `${PACKAGE}.${node.type}`,
	} as INode;
	return {
		nodes: [emit, target],
		connections: {
			[emit.name]: { main: [[{ node: target.name, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
	};
}

/** A real n8n LoadOptionsContext for the node, so listSearch methods run as the editor runs them. */
export function loadOptionsContext(
	node: INode,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): LoadOptionsContext {
	const workflow = new Workflow({
		id: 'wf-test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'load-options', {} as IWorkflowBase);
	return new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(hooks, credentials, 'load-options'),
		'parameters',
	);
}

/** A resource locator value as the editor stores it. */
export const rl = (value: string, mode: 'list' | 'key' = 'list') => ({ __rl: true, mode, value });

/** Runs Emit Items (with `items`) → one node of this package, and returns the run. */
export async function runNode(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	items: IDataObject[],
	node: { name: string; type: string; parameters: INode['parameters']; onError?: INode['onError'] },
	workflowId = 'wf-test',
): Promise<RunResult> {
	const workflow = pipeline(items, node);
	return await runWorkflow({ ...workflow, id: workflowId }, { credentials });
}
