// Types for seek-bzip 2.0 (it ships none): the one call tessera uses.
declare module "seek-bzip" {
  interface OutputStream {
    writeByte(byte: number): void;
  }
  const Bunzip: {
    decode(input: Buffer, output: OutputStream, multistream?: boolean): Buffer | undefined;
  };
  export default Bunzip;
}
