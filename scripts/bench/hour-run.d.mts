/** Types of hour-run.mjs. */
export declare const SAMPLES: number;
export declare function hourLongRun(): string;
export declare function runLines(samples: number, children?: number): Generator<string>;
