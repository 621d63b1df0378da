// DNS over TCP frames each message behind a two-octet length (RFC 1035 §4.2.2). The
// reader allocates a frame once its length is known and copies every octet into it exactly
// once, so a peer that sends a 64 KiB frame one octet per segment costs O(n), not the
// O(n²) of re-concatenating everything pending on each chunk.

export class TcpFrameReader {
  /** Octets of the length prefix read so far (0, 1 or 2). */
  private lengthOctets = 0;
  private length = 0;
  private frame: Uint8Array | undefined;
  private filled = 0;

  /** True while part of a frame (even one octet of its length) has arrived. */
  get midFrame(): boolean {
    return this.lengthOctets > 0;
  }

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.lengthOctets < 2) {
        this.length = (this.length << 8) | chunk[at++];
        if (++this.lengthOctets < 2) continue;
        this.frame = new Uint8Array(this.length);
        this.filled = 0;
      } else {
        const n = Math.min(chunk.length - at, this.length - this.filled);
        this.frame!.set(chunk.subarray(at, at + n), this.filled);
        this.filled += n;
        at += n;
      }
      if (this.filled === this.length) {
        done.push(this.frame!);
        this.frame = undefined;
        this.lengthOctets = 0;
        this.length = 0;
      }
    }
    return done;
  }
}
