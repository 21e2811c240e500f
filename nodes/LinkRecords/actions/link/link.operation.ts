import { pairOperation } from './common';

/** Links two records under one or more labels; linking again is not an error (already_linked). */
export const { description, execute } = pairOperation('link');
