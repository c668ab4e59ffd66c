// The part of autocannon 9's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    total: number;
  }
  /** One connection of the run (autocannon's lib/httpClient.js), as `setupClient` receives it. */
  export interface Client {
    /** `connError`: the socket failed (the request in flight has no answer); `timeout`: no answer in time. */
    on(event: 'connError', listener: (error: Error) => void): this;
    on(event: 'timeout', listener: () => void): this;
    /** An answer arrived (status, bytes, milliseconds). */
    on(event: 'response', listener: (status: number, bytes: number, ms: number) => void): this;
    /** Emitted as a request is about to be sent, before the client sets up the next one. */
    on(event: 'request', listener: () => void): this;
    /** The request being sent or awaited and its context (what `setupRequest` was given). */
    requestIterator: { context: Record<string, unknown> };
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    timeout?: number;
    headers?: Record<string, string>;
    setupClient?: (client: Client) => void;
    requests?: {
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }[];
  }
  export interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
