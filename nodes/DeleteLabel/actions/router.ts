import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import * as deleteLabel from './label/delete.operation';

export const operations = { delete: deleteLabel };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
