// Every workflow the pipeline worker runs. The worker bundles this file, so it must only export workflows.
export { doctor } from './doctor';
