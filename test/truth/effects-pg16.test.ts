import { defineTruthSuite } from './effects-suite';

defineTruthSuite(16);
