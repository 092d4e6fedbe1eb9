import { join } from 'node:path';
import { ROUTES } from '../routes/route-table';
import { writeAuthorizationMatrix } from './authorization-matrix';

// `npm run authorization-matrix -w services/gateway` after a build: rewrites the committed matrix.
const file = join(__dirname, '..', '..', 'authorization-matrix.json');
writeAuthorizationMatrix(ROUTES, file);
process.stdout.write(`wrote ${file}\n`);
