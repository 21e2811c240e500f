/**
 * Polls the Association Trigger the way n8n's poll trigger executor does: a real n8n-core PollContext
 * on a Workflow that keeps the node's static data, then the node's poll() function.
 */
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IWorkflowBase,
} from 'n8n-workflow';

import { AssociationTrigger } from '../../../nodes/AssociationTrigger/AssociationTrigger.node';
import { CREDENTIAL_REF, PACKAGE, additionalDataFor, nodeTypes } from './engine';

export interface TriggerUnderTest {
	/** One poll; `manual` is the editor's "Fetch test event". Returns the emitted items or null. */
	poll(mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[] | null>;
	/** The workflow's static data as n8n would save it (JSON). */
	savedStaticData(): IDataObject;
}

/**
 * An active workflow with the trigger. `staticData` is what n8n loaded from its database (pass
 * savedStaticData() of an earlier instance to simulate a restart).
 */
export function activeTrigger(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	parameters: INode['parameters'],
	staticData: IDataObject = {},
): TriggerUnderTest {
	const node: INode = {
		id: 'trigger',
		name: 'Association Trigger',
		type: `${PACKAGE}.associationTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: CREDENTIAL_REF,
	};
	const workflow = new Workflow({
		id: 'wf-trigger',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: structuredClone(staticData),
	});
	const trigger = new AssociationTrigger();
	return {
		async poll(mode = 'trigger') {
			const hooks = new ExecutionLifecycleHooks(mode, 'poll', {} as IWorkflowBase);
			const context = new PollContext(
				workflow,
				node,
				additionalDataFor(hooks, credentials, 'poll'),
				mode,
				'activate',
			);
			const result = await trigger.poll.call(context);
			return result === null ? null : result[0];
		},
		savedStaticData: () => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}
