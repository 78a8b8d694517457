// QR codes in a picture (QR-code phishing: a poster, a fake parking ticket, a QR inside a mail), decoded
// with zxing-wasm (ZXing-C++ compiled to WebAssembly, maintained). The .wasm binary is read from
// node_modules and handed over as wasmBinary: by default the package would fetch it from a CDN.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

let prepared = false;

/** Where the reader's .wasm file is inside the installed package. */
export function qrWasmFile(): string {
  const entry = fileURLToPath(import.meta.resolve('zxing-wasm/reader'));
  // .../dist/es/reader/index.js → .../dist/reader/zxing_reader.wasm
  return entry.replace(/dist\/(?:es|cjs)\/reader\/index\.[cm]?js$/, 'dist/reader/zxing_reader.wasm');
}

function prepare(): void {
  if (prepared) return;
  const bytes = readFileSync(qrWasmFile());
  prepareZXingModule({
    overrides: {
      wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    },
  });
  prepared = true;
}

const OPTIONS: ReaderOptions = {
  formats: ['QRCode', 'MicroQRCode'],
  tryHarder: true,
  tryInvert: true,
  maxNumberOfSymbols: 4,
};

/** The texts of the QR codes found (at most 4, each at most 2,000 characters); [] when none. */
export async function decodeQr(img: {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}): Promise<string[]> {
  prepare();
  // zxing-wasm takes any { data (RGBA), width, height } as ImageData.
  const results = await readBarcodes(img as unknown as Parameters<typeof readBarcodes>[0], OPTIONS);
  const texts = results.filter((r) => r.isValid && r.text.trim() !== '').map((r) => r.text.slice(0, 2000));
  return [...new Set(texts)];
}
