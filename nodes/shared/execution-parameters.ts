import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { NOT_SIMPLE, resolveSimple } from './simple-expression';

/** What the parameter readers need of an execution: the node, and a parameter's value for an item. */
export interface ParameterSource {
	getNode(): INode;
	getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown): unknown;
}

/**
 * True when a raw parameter value (as stored in the workflow) holds an expression anywhere: n8n marks an
 * expression as a string starting with "=", and a resource locator or collection keeps it inside (say, in a
 * locator's `value`).
 */
export function holdsExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	if (Array.isArray(raw)) return raw.some(holdsExpression);
	if (raw !== null && typeof raw === 'object') return Object.values(raw).some(holdsExpression);
	return false;
}

/**
 * Parameters read once per execution when they hold no expression. A parameter without an expression has
 * the same value for every item, yet n8n's getNodeParameter resolves it again per item (a deep copy and a
 * walk of the value); with 10,000 items that is most of a node's time. Parameters that hold an expression
 * are read per item: those whose expressions only read the item's own field (`{{ $json.id }}`) straight from
 * the item (see resolveSimple), the others through n8n. A parameter not in the workflow (its default) holds
 * no expression either. The values handed out are shared between items: readers must not change them.
 */
export function perExecutionParameters(context: IExecuteFunctions): ParameterSource {
	const raw = context.getNode().parameters ?? {};
	const constant = new Map<string, unknown>();
	let items: INodeExecutionData[] | undefined;
	return {
		getNode: () => context.getNode(),
		getNodeParameter(name, itemIndex, fallbackValue) {
			const top = name.split('.')[0];
			if (holdsExpression(raw[top])) {
				if (name === top) {
					items ??= context.getInputData();
					const value = resolveSimple(raw[top], items[itemIndex]?.json);
					if (value !== NOT_SIMPLE) return value;
				}
				return context.getNodeParameter(name, itemIndex, fallbackValue);
			}
			const key = `${name}\0${JSON.stringify(fallbackValue) ?? ''}`;
			if (constant.has(key)) return constant.get(key);
			const value: unknown = context.getNodeParameter(name, itemIndex, fallbackValue);
			constant.set(key, value);
			return value;
		},
	};
}
