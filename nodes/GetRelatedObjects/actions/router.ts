import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import * as count from './related/count.operation';
import * as getRelated from './related/getRelated.operation';
import * as history from './related/history.operation';
import * as labelsBetween from './related/labelsBetween.operation';
import * as traverse from './related/traverse.operation';

export const operations = { getRelated, labelsBetween, count, traverse, history };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, operations);
}
