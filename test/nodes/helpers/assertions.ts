import type { INodeExecutionData, ITaskData } from 'n8n-workflow';

/** The json of each output item, in order. */
export const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);

/** The input item each output item is paired with. */
export const pairedOf = (items: INodeExecutionData[]) =>
	items.map((item) => (item.pairedItem as { item: number } | undefined)?.item);

/** The parts of a node error a user sees: message, description and the item it names. */
export function visibleError(error: ITaskData['error']) {
	if (!error) throw new Error('expected the node to fail, but it succeeded');
	return {
		message: error.message,
		description: (error as { description?: string }).description,
		itemIndex: (error as { context?: { itemIndex?: number } }).context?.itemIndex,
	};
}
