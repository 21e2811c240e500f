/** Issue 9: generated inputs at every public core operation on PostgreSQL; see property/suite.ts. */
import { propertySuite } from './property/suite';

propertySuite('postgres');
