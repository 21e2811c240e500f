/** Issue 9: generated inputs at every public core operation on PostgreSQL; see property-harness.ts. */
import { propertySuite } from './property-harness';

propertySuite('postgres');
