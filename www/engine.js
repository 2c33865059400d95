// The page side of the engine worker: promise-returning calls, errors rebuilt as SegmetryError-shaped Errors
// (name 'SegmetryError', code, start, end, subject), and a `dataset` facade whose async analyze() the report
// component consumes exactly like the package's worker-client dataset.

export class EngineError extends Error {
  constructor({ code, message, start, end, subject }) {
    super(message);
    this.name = 'SegmetryError';
    this.code = code;
    if (start !== undefined) this.start = start;
    if (end !== undefined) this.end = end;
    if (subject !== undefined) this.subject = subject;
  }
}

export function createEngine() {
  const worker = new Worker(new URL('./engine-worker.js', import.meta.url), {
    type: 'module',
    name: 'segmetry-engine',
  });
  const pending = new Map();
  let next = 1;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  worker.onmessage = ({ data }) => {
    if (data.ready) {
      resolveReady(data);
      return;
    }
    const entry = pending.get(data.id);
    if (!entry) return;
    pending.delete(data.id);
    if (data.error) entry.reject(new EngineError(data.error));
    else entry.resolve(data.result);
  };
  worker.onerror = (event) => {
    const err = new EngineError({
      code: 'INTERNAL',
      message: `the engine worker failed: ${event.message ?? 'unknown error'}`,
    });
    rejectReady(err);
    for (const entry of pending.values()) entry.reject(err);
    pending.clear();
  };
  const call = async (method, ...args) => {
    await ready;
    const id = next++;
    const transfer = args.flatMap((a) => (a?.bytes instanceof ArrayBuffer ? [a.bytes] : []));
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args }, transfer);
    });
  };
  return {
    ready,
    call,
    /** A facade with the worker client's dataset shape, for the report component. */
    dataset: { analyze: (options) => call('analyze', options) },
    terminate: () => worker.terminate(),
  };
}
