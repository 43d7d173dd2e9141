/**
 * CPU and allocation profiling of the current thread through `node:inspector`, started and
 * stopped around exactly the calls being studied (unlike `--cpu-prof`, which records the whole
 * life of a thread, setup and warm-up included). Works on the main thread and inside a worker
 * (a worker's session attaches to that worker's own isolate).
 */
import { Session } from 'node:inspector';

/** A V8 CPU profile (`.cpuprofile`, as Chrome DevTools and speedscope read it). */
export interface CpuProfile {
  readonly nodes: readonly { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A V8 sampling heap profile (`.heapprofile`). */
export interface HeapProfile {
  readonly head: HeapNode;
}

/** One node of a sampling heap profile. */
export interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

/** Where a frame's code is. */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** Start and stop a CPU profile (and optionally sampled allocations) of this thread. */
export class InspectorProfiler {
  private session: Session | undefined;
  private heap = false;

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T)));
    });
  }

  /** Start profiling; `heap` also samples allocations (one sample per ~4 KiB allocated). */
  async start(heap: boolean, intervalUs = 100): Promise<void> {
    this.session = new Session();
    this.session.connect();
    this.heap = heap;
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    if (heap) {
      await this.post('HeapProfiler.enable');
      // Count what the collector already freed too: per-call garbage is what a hot path costs.
      await this.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    await this.post('Profiler.start');
  }

  /** Stop and return the profiles. */
  async stop(): Promise<{ profile: CpuProfile; heap?: HeapProfile }> {
    const { profile } = await this.post<{ profile: CpuProfile }>('Profiler.stop');
    let heap: HeapProfile | undefined;
    if (this.heap) heap = (await this.post<{ profile: HeapProfile }>('HeapProfiler.stopSampling')).profile;
    this.session!.disconnect();
    this.session = undefined;
    return heap ? { profile, heap } : { profile };
  }
}
