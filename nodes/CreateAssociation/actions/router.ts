import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import * as create from './label/create.operation';
import * as exportDefinitions from './label/exportDefinitions.operation';
import * as get from './label/get.operation';
import * as getMany from './label/getMany.operation';
import * as importDefinitions from './label/importDefinitions.operation';
import * as rename from './label/rename.operation';
import * as setLimits from './label/setLimits.operation';

export const operations = {
	create,
	rename,
	setLimits,
	get,
	getMany,
	exportDefinitions,
	importDefinitions,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
