// synckit's worker for the sync case: the same `add` as every other contender.
import { runAsWorker } from 'synckit';

runAsWorker(async (a, b) => a + b);
