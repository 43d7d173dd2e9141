import type { BenchContext, CaseResult } from '../lib/types.js';
export async function runState(_ctx: BenchContext): Promise<CaseResult[]> { return []; }
