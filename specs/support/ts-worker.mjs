// Worker bootstrap: registers tsx so the worker can run TypeScript, then loads the real entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__remoraEntry);
