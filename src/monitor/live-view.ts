/**
 * The live view on stderr: one status line rewritten in place on a
 * terminal, or one line per sample (-n). In place, the line is erased
 * before the command's own output is written (see relayOutput) and drawn
 * again after it, so the two never share a line.
 */
import { liveSegments, renderSegments, useColor, type LiveInput } from './live-line.js';

export interface LiveViewOptions {
  stream: NodeJS.WriteStream;
  /** -n: print one line per sample instead of rewriting one. */
  linePerSample: boolean;
  env?: NodeJS.ProcessEnv;
}

export class LiveView {
  readonly #stream: NodeJS.WriteStream;
  readonly #inPlace: boolean;
  readonly #enabled: boolean;
  readonly #color: boolean;
  #frame = 0;
  #shown = false;
  #last: LiveInput | undefined;
  /** The command's output ended mid-line: drawing now would overwrite it. */
  #midLine = false;

  constructor(options: LiveViewOptions) {
    this.#stream = options.stream;
    const tty = options.stream.isTTY === true;
    // Rewriting a line needs a terminal; without one, only -n prints.
    this.#inPlace = tty && !options.linePerSample;
    this.#enabled = this.#inPlace || options.linePerSample;
    this.#color = useColor(options.stream, options.env ?? process.env);
  }

  /** Whether the command's output must pass through relayOutput. */
  get needsRelay(): boolean {
    return this.#inPlace;
  }

  update(input: LiveInput): void {
    if (!this.#enabled) return;
    this.#last = input;
    this.#frame++;
    if (this.#inPlace) this.#draw();
    else this.#stream.write(renderSegments(liveSegments(input, true, this.#frame), this.#color) + '\n');
  }

  #draw(): void {
    if (!this.#last || this.#midLine) return;
    // A pty may report 0 columns; one column is kept free so the line never wraps.
    const columns = this.#stream.columns > 0 ? this.#stream.columns : 80;
    const width = Math.max(10, columns - 1);
    this.#stream.write(`\r\x1b[K${renderSegments(liveSegments(this.#last, false, this.#frame), this.#color, width)}`);
    this.#shown = true;
  }

  #erase(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }

  /** Writes a chunk of the command's output with the status line out of the way. */
  relayOutput(target: NodeJS.WritableStream, chunk: Buffer): void {
    this.#erase();
    target.write(chunk);
    if (chunk.length > 0) this.#midLine = chunk[chunk.length - 1] !== 10;
    this.#draw();
  }

  /** Leaves the last status on its own line, ready for the summary. */
  finish(): void {
    if (this.#shown) this.#stream.write('\n');
    this.#shown = false;
    this.#last = undefined;
  }
}
