import { pairOperation } from './common';

/** Removes the link between two records under one or more labels; a missing link is not_linked. */
export const { description, execute } = pairOperation('unlink');
