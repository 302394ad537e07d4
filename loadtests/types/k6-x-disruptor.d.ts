// Types for `k6/x/disruptor` as xk6-disruptor v0.3.17 exposes it (the last release; the project is archived).
// Durations are Go duration strings ("500ms", "30s"). Only fields that v0.3.17 accepts are declared, so an
// unknown field in an object literal is a type error; loadtests/test/disruptor-static.test.ts checks the bundles.
declare module 'k6/x/disruptor' {
  /** A Go duration string, e.g. "500ms", "30s", "1m30s". */
  export type GoDuration = string;

  export interface HTTPFault {
    /** Average delay added to every request (default "0"). */
    averageDelay?: GoDuration;
    /** Variation around averageDelay (default "0"). */
    delayVariation?: GoDuration;
    /** Fraction in [0, 1] of requests answered with errorCode. */
    errorRate?: number;
    errorCode?: number;
    errorBody?: string;
    /** Comma-separated URL paths left undisturbed, e.g. "/healthz,/readyz". */
    exclude?: string;
    /** Target port (number or port name); required when the Service exposes several ports. */
    port?: number | string;
  }

  export interface GrpcFault {
    averageDelay?: GoDuration;
    delayVariation?: GoDuration;
    errorRate?: number;
    statusCode?: number;
    statusMessage?: string;
    exclude?: string;
    port?: number | string;
  }

  export interface DisruptionOptions {
    /** Port the agent's proxy listens on inside the target pods (default 8000). */
    proxyPort?: number;
  }

  export interface PodTerminationFault {
    /** How many pods: a number, or a percentage of the targets such as "30%". */
    count: number | string;
    /** Maximum time to wait for the pods to terminate. */
    timeout?: GoDuration;
  }

  export interface DisruptorOptions {
    /** Maximum time to wait for the agent to be ready in the target pods (default "30s"). */
    injectTimeout?: GoDuration;
  }

  export interface PodAttributes {
    labels?: Record<string, string>;
  }

  export interface PodSelector {
    namespace: string;
    select?: PodAttributes;
    exclude?: PodAttributes;
  }

  interface Disruptor {
    /** Blocks for `duration`; the fault ends by itself when it elapses. */
    injectHTTPFaults(fault: HTTPFault, duration: GoDuration, options?: DisruptionOptions): void;
    injectGrpcFaults(fault: GrpcFault, duration: GoDuration, options?: DisruptionOptions): void;
    /** Names of the target pods. */
    targets(): string[];
    /** Terminates pods gracefully; returns the names of the pods it terminated. */
    terminatePods(fault: PodTerminationFault): string[];
  }

  export class ServiceDisruptor implements Disruptor {
    constructor(service: string, namespace: string, options?: DisruptorOptions);
    injectHTTPFaults(fault: HTTPFault, duration: GoDuration, options?: DisruptionOptions): void;
    injectGrpcFaults(fault: GrpcFault, duration: GoDuration, options?: DisruptionOptions): void;
    targets(): string[];
    terminatePods(fault: PodTerminationFault): string[];
  }

  export class PodDisruptor implements Disruptor {
    constructor(selector: PodSelector, options?: DisruptorOptions);
    injectHTTPFaults(fault: HTTPFault, duration: GoDuration, options?: DisruptionOptions): void;
    injectGrpcFaults(fault: GrpcFault, duration: GoDuration, options?: DisruptionOptions): void;
    targets(): string[];
    terminatePods(fault: PodTerminationFault): string[];
  }
}
