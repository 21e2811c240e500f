import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import * as link from './link/link.operation';
import * as merge from './link/merge.operation';
import * as unlink from './link/unlink.operation';
import * as unlinkAll from './link/unlinkAll.operation';

export const operations = { link, unlink, unlinkAll, merge };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
