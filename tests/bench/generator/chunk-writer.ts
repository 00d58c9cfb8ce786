/** Where the generator's text goes. A returned promise is awaited: that is how a file stream pushes back. */
export type ChunkSink = (chunk: string) => void | Promise<void>;

/** Default chunk size: big enough that the sink is called rarely, small enough to keep memory flat. */
const CHUNK_CHARS = 1 << 16;

/**
 * Buffers small strings into chunks of about 64 KiB for the sink. `push` returns a promise only when it
 * handed a chunk to a sink that returned one, so the caller awaits (and yields) only then, not per record.
 */
export type ChunkWriter = {
  push(text: string): Promise<void> | undefined;
  flush(): Promise<void> | undefined;
  /** UTF-8 bytes handed to the sink so far. */
  readonly bytes: number;
};

export function createChunkWriter(sink: ChunkSink, chunkChars = CHUNK_CHARS): ChunkWriter {
  let buffer = '';
  let bytes = 0;
  const flush = () => {
    if (buffer === '') return undefined;
    const chunk = buffer;
    buffer = '';
    bytes += Buffer.byteLength(chunk);
    return sink(chunk) ?? undefined;
  };
  return {
    push(text) {
      buffer += text;
      return buffer.length >= chunkChars ? flush() : undefined;
    },
    flush,
    get bytes() {
      return bytes;
    },
  };
}
